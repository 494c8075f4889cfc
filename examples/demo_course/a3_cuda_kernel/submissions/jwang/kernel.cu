// CS 4790 A3: row-wise softmax on the GPU.
//
// out[r][c] = exp(in[r][c] - max_r) / sum_c' exp(in[r][c'] - max_r)
//
// Build: nvcc -O3 -arch=sm_80 -o softmax kernel.cu
// Run:   ./softmax ROWS COLS [REPEATS]
// Prints one line of key=value pairs; exit code 0 if the result matches the CPU.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cuda_runtime.h>

#define CUDA_CHECK(call)                                                     \
    do {                                                                     \
        cudaError_t err_ = (call);                                           \
        if (err_ != cudaSuccess) {                                           \
            fprintf(stderr, "CUDA error %s at %s:%d\n",                      \
                    cudaGetErrorString(err_), __FILE__, __LINE__);           \
            exit(EXIT_FAILURE);                                              \
        }                                                                    \
    } while (0)

#define WARP_MASK 0xffffffffu

/* ---- warp level ---------------------------------------------------------- */

__device__ __forceinline__ float warpSum(float val) {
  for (int delta = 16; delta > 0; delta >>= 1) {
    val += __shfl_down_sync(WARP_MASK, val, delta);
  }
  return val;
}

__device__ __forceinline__ float warpMax(float val) {
  for (int delta = 16; delta > 0; delta >>= 1) {
    val = fmaxf(val, __shfl_down_sync(WARP_MASK, val, delta));
  }
  return val;
}

/* ---- block level: every warp reduces, warp 0 combines the warp results ---- */

__device__ float blockSum(float val) {
  __shared__ float warpVals[32];
  const int laneId = threadIdx.x % 32, warpId = threadIdx.x / 32;
  val = warpSum(val);
  if (laneId == 0) { warpVals[warpId] = val; }
  __syncthreads();
  const int numWarps = (blockDim.x + 31) / 32;
  val = (threadIdx.x < numWarps) ? warpVals[laneId] : 0.0f;
  if (warpId == 0) { val = warpSum(val); }
  if (threadIdx.x == 0) { warpVals[0] = val; }
  __syncthreads();
  return warpVals[0];
}

__device__ float blockMax(float val) {
  __shared__ float warpVals[32];
  const int laneId = threadIdx.x % 32, warpId = threadIdx.x / 32;
  val = warpMax(val);
  if (laneId == 0) { warpVals[warpId] = val; }
  __syncthreads();
  const int numWarps = (blockDim.x + 31) / 32;
  val = (threadIdx.x < numWarps) ? warpVals[laneId] : -FLT_MAX;
  if (warpId == 0) { val = warpMax(val); }
  if (threadIdx.x == 0) { warpVals[0] = val; }
  __syncthreads();
  return warpVals[0];
}

/* softmax: grid = one block per row */
__global__ void softmax_kernel(const float* in, float* out, int rows, int cols) {
  const int r = blockIdx.x;
  if (r >= rows) { return; }
  const float* src = in + (size_t)r * cols;
  float* dst = out + (size_t)r * cols;

  // row maximum (for numerical stability)
  float rowMax = -FLT_MAX;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) { rowMax = fmaxf(rowMax, src[j]); }
  rowMax = blockMax(rowMax);

  // denominator
  float denom = 0.0f;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) { denom += __expf(src[j] - rowMax); }
  denom = blockSum(denom);

  // normalise
  const float scale = 1.0f / denom;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) { dst[j] = __expf(src[j] - rowMax) * scale; }
}

static void softmax_cpu(const float* in, float* out, int rows, int cols) {
    for (int r = 0; r < rows; ++r) {
        const float* x = in + (size_t)r * cols;
        float* y = out + (size_t)r * cols;
        float m = x[0];
        for (int c = 1; c < cols; ++c) m = fmaxf(m, x[c]);
        double s = 0.0;
        for (int c = 0; c < cols; ++c) s += exp((double)x[c] - m);
        for (int c = 0; c < cols; ++c) y[c] = (float)(exp((double)x[c] - m) / s);
    }
}

int main(int argc, char** argv) {
    int rows = argc > 1 ? atoi(argv[1]) : 4096;
    int cols = argc > 2 ? atoi(argv[2]) : 1024;
    int repeats = argc > 3 ? atoi(argv[3]) : 20;
    size_t n = (size_t)rows * cols;

    std::vector<float> h_in(n), h_out(n), h_ref(n);
    srand(42);
    for (size_t i = 0; i < n; ++i) h_in[i] = (float)rand() / RAND_MAX * 20.0f - 10.0f;

    float *d_in, *d_out;
    CUDA_CHECK(cudaMalloc(&d_in, n * sizeof(float)));
    CUDA_CHECK(cudaMalloc(&d_out, n * sizeof(float)));
    CUDA_CHECK(cudaMemcpy(d_in, h_in.data(), n * sizeof(float), cudaMemcpyHostToDevice));

    // fewer threads for short rows (but never less than a warp)
    int nthreads = 32;
    if (cols >= 256) nthreads = 128;
    if (cols >= 1024) nthreads = 256;
    dim3 block(nthreads);
    dim3 grid(rows);
    size_t smem = 0;

    softmax_kernel<<<grid, block, smem>>>(d_in, d_out, rows, cols);  // warmup
    CUDA_CHECK(cudaGetLastError());
    CUDA_CHECK(cudaDeviceSynchronize());

    cudaEvent_t start, stop;
    CUDA_CHECK(cudaEventCreate(&start));
    CUDA_CHECK(cudaEventCreate(&stop));
    CUDA_CHECK(cudaEventRecord(start));
    for (int i = 0; i < repeats; ++i)
        softmax_kernel<<<grid, block, smem>>>(d_in, d_out, rows, cols);
    CUDA_CHECK(cudaEventRecord(stop));
    CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0.0f;
    CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    ms /= repeats;

    CUDA_CHECK(cudaMemcpy(h_out.data(), d_out, n * sizeof(float), cudaMemcpyDeviceToHost));
    softmax_cpu(h_in.data(), h_ref.data(), rows, cols);
    double max_err = 0.0;
    for (size_t i = 0; i < n; ++i)
        max_err = fmax(max_err, fabs((double)h_out[i] - (double)h_ref[i]));

    double gbps = 2.0 * n * sizeof(float) / (ms * 1e6);
    printf("rows=%d cols=%d time_ms=%.4f gbps=%.2f max_err=%.3e\n",
           rows, cols, ms, gbps, max_err);

    CUDA_CHECK(cudaEventDestroy(start));
    CUDA_CHECK(cudaEventDestroy(stop));
    CUDA_CHECK(cudaFree(d_in));
    CUDA_CHECK(cudaFree(d_out));
    return max_err < 1e-5 ? 0 : 1;
}
