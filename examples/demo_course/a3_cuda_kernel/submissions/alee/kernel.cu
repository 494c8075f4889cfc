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

// Shared-memory tree reduction (blockDim.x must be a power of two).
// Every thread gets the result back.
template <bool kMax>
__device__ float block_reduce(float val, float* tmp) {
    const int t = threadIdx.x;
    tmp[t] = val;
    __syncthreads();
    for (int stride = blockDim.x >> 1; stride > 0; stride >>= 1) {
        if (t < stride) {
            float o = tmp[t + stride];
            tmp[t] = kMax ? fmaxf(tmp[t], o) : tmp[t] + o;
        }
        __syncthreads();
    }
    float res = tmp[0];
    __syncthreads();
    return res;
}

// A block handles one row.  The row is staged in shared memory so that the
// second and third pass do not touch global memory again.
__global__ void softmax_kernel(const float* in, float* out, int rows, int cols) {
    extern __shared__ float shm[];
    float* cache = shm;
    float* tmp = shm + cols;
    if (blockIdx.x >= rows) return;
    const float* src = in + (size_t)blockIdx.x * cols;
    float* dst = out + (size_t)blockIdx.x * cols;

    float mx = -FLT_MAX;
    for (int i = threadIdx.x; i < cols; i += blockDim.x) {
        float v = src[i];
        cache[i] = v;
        mx = fmaxf(mx, v);
    }
    mx = block_reduce<true>(mx, tmp);

    // sum of exponentials; the values stay in the cache unchanged
    float partial = 0.0f;
    int i = threadIdx.x;
    while (i < cols) {
        partial += expf(cache[i] - mx);
        i += blockDim.x;
    }
    float denom = block_reduce<false>(partial, tmp);

    for (i = threadIdx.x; i < cols; i += blockDim.x) {
        dst[i] = expf(cache[i] - mx) / denom;
    }
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

    dim3 block(512);
    dim3 grid(rows);
    size_t smem = (cols + 512) * sizeof(float);
    if (smem > 48 * 1024) {
        fprintf(stderr, "cols=%d does not fit in 48 KB of shared memory\n", cols);
        return 2;
    }

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
