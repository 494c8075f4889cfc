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

#define THREADS 256

// Kernel 1: one block per row computes the row max and 1/sum(exp(x - max)).
// The pair is stored in stats[row] as (x = max, y = 1/sum).
__global__ void row_stats_kernel(const float* in, float2* stats, int rows, int cols) {
    __shared__ float buf[THREADS];
    int row = blockIdx.x;
    if (row >= rows) return;
    const float* x = in + (size_t)row * cols;

    float local = -FLT_MAX;
    for (int c = threadIdx.x; c < cols; c += THREADS) local = fmaxf(local, x[c]);
    buf[threadIdx.x] = local;
    __syncthreads();
    for (int half = THREADS / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) buf[threadIdx.x] = fmaxf(buf[threadIdx.x], buf[threadIdx.x + half]);
        __syncthreads();
    }
    float m = buf[0];
    __syncthreads();

    local = 0.0f;
    for (int c = threadIdx.x; c < cols; c += THREADS) local += expf(x[c] - m);
    buf[threadIdx.x] = local;
    __syncthreads();
    for (int half = THREADS / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) buf[threadIdx.x] += buf[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) stats[row] = make_float2(m, 1.0f / buf[0]);
}

// Kernel 2: element-wise.  blockIdx.y is the row, x covers the columns, so
// every thread does exactly one element and there is no loop.
__global__ void normalize_kernel(const float* in, const float2* stats, float* out,
                                 int rows, int cols) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y;
    if (r >= rows || c >= cols) return;
    size_t idx = (size_t)r * cols + c;
    float2 st = stats[r];
    out[idx] = expf(in[idx] - st.x) * st.y;
}

// Replaces the single softmax_kernel launch of the template.
static void softmax_gpu(const float* d_in, float* d_out, float2* d_stats, int rows, int cols) {
    row_stats_kernel<<<rows, THREADS>>>(d_in, d_stats, rows, cols);
    dim3 grid2((cols + THREADS - 1) / THREADS, rows);
    normalize_kernel<<<grid2, THREADS>>>(d_in, d_stats, d_out, rows, cols);
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
    float2* d_stats;
    CUDA_CHECK(cudaMalloc(&d_in, n * sizeof(float)));
    CUDA_CHECK(cudaMalloc(&d_out, n * sizeof(float)));
    CUDA_CHECK(cudaMalloc(&d_stats, rows * sizeof(float2)));
    CUDA_CHECK(cudaMemcpy(d_in, h_in.data(), n * sizeof(float), cudaMemcpyHostToDevice));

    softmax_gpu(d_in, d_out, d_stats, rows, cols);  // warmup
    CUDA_CHECK(cudaGetLastError());
    CUDA_CHECK(cudaDeviceSynchronize());

    cudaEvent_t start, stop;
    CUDA_CHECK(cudaEventCreate(&start));
    CUDA_CHECK(cudaEventCreate(&stop));
    CUDA_CHECK(cudaEventRecord(start));
    for (int i = 0; i < repeats; ++i)
        softmax_gpu(d_in, d_out, d_stats, rows, cols);
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
    CUDA_CHECK(cudaFree(d_stats));
    return max_err < 1e-5 ? 0 : 1;
}
