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

constexpr unsigned FULL_MASK = 0xffffffffu;

__device__ __forceinline__ float warp_reduce_max(float v) {
    for (int offset = 16; offset > 0; offset >>= 1)
        v = fmaxf(v, __shfl_down_sync(FULL_MASK, v, offset));
    return v;
}

__device__ __forceinline__ float warp_reduce_sum(float v) {
    for (int offset = 16; offset > 0; offset >>= 1)
        v += __shfl_down_sync(FULL_MASK, v, offset);
    return v;
}

// Two-level reduction: shuffle inside each warp, then warp 0 reduces the
// per-warp partials.  The result is broadcast to every thread of the block.
__device__ float block_reduce_max(float v) {
    __shared__ float partial[32];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    v = warp_reduce_max(v);
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int nwarps = (blockDim.x + 31) >> 5;
    v = (threadIdx.x < nwarps) ? partial[lane] : -FLT_MAX;
    if (warp == 0) v = warp_reduce_max(v);
    if (threadIdx.x == 0) partial[0] = v;
    __syncthreads();
    return partial[0];
}

__device__ float block_reduce_sum(float v) {
    __shared__ float partial[32];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    v = warp_reduce_sum(v);
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int nwarps = (blockDim.x + 31) >> 5;
    v = (threadIdx.x < nwarps) ? partial[lane] : 0.0f;
    if (warp == 0) v = warp_reduce_sum(v);
    if (threadIdx.x == 0) partial[0] = v;
    __syncthreads();
    return partial[0];
}

// One block per row: pass 1 finds the max, pass 2 the sum of exponentials,
// pass 3 writes the normalised values.
__global__ void softmax_kernel(const float* in, float* out, int rows, int cols) {
    int row = blockIdx.x;
    if (row >= rows) return;
    const float* x = in + (size_t)row * cols;
    float* y = out + (size_t)row * cols;

    float m = -FLT_MAX;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, x[c]);
    m = block_reduce_max(m);

    float s = 0.0f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) s += __expf(x[c] - m);
    s = block_reduce_sum(s);

    float inv = 1.0f / s;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) y[c] = __expf(x[c] - m) * inv;
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

    // small rows do not need 256 threads; keep at least one full warp
    int threads = cols >= 1024 ? 256 : (cols >= 256 ? 128 : 32);
    dim3 block(threads);
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
