// A tiny harness for self-checking GPU programs: run a scenario on every
// thread of a kernel and on the CPU, and compare thread by thread.
#ifndef COROPTX_TEST_GPU_CHECK_H
#define COROPTX_TEST_GPU_CHECK_H

#include <cuda_runtime.h>

#include <cstdio>
#include <vector>

namespace gpu_check {

/// Exit code that CTest reads as "skipped".
inline constexpr int skipped = 77;

inline bool have_gpu() {
  int devices = 0;
  return cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0;
}

template <auto Scenario>
__global__ void run_scenario(long long *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = Scenario(i);
}

/// Runs Scenario(thread) for n threads on the GPU and on the CPU; prints one
/// line and returns true when every thread agrees.
template <auto Scenario> bool compare(const char *name, int n) {
  long long *device_out = nullptr;
  std::vector<long long> gpu(n);
  cudaError_t err = cudaMalloc(&device_out, n * sizeof(long long));
  if (err == cudaSuccess)
    err = cudaMemset(device_out, 0xff, n * sizeof(long long));
  cudaEvent_t start, stop;
  float kernel_ms = 0;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  if (err == cudaSuccess) {
    cudaEventRecord(start);
    run_scenario<Scenario><<<(n + 127) / 128, 128>>>(device_out, n);
    cudaEventRecord(stop);
    err = cudaGetLastError();
  }
  if (err == cudaSuccess)
    err = cudaDeviceSynchronize();
  if (err == cudaSuccess)
    cudaEventElapsedTime(&kernel_ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  if (err == cudaSuccess)
    err = cudaMemcpy(gpu.data(), device_out, n * sizeof(long long),
                     cudaMemcpyDeviceToHost);
  cudaFree(device_out);
  if (err != cudaSuccess) {
    std::printf("FAIL %-28s CUDA error: %s\n", name, cudaGetErrorString(err));
    return false;
  }
  int mismatches = 0, first_bad = -1;
  for (int i = 0; i < n; ++i)
    if (gpu[i] != Scenario(i) && mismatches++ == 0)
      first_bad = i;
  if (mismatches == 0) {
    std::printf("PASS %-28s %d threads (kernel %.2f ms), thread %d: GPU %lld "
                "== CPU %lld\n", name, n, kernel_ms, n - 1, gpu[n - 1],
                Scenario(n - 1));
    return true;
  }
  std::printf("FAIL %-28s %d of %d threads differ; thread %d: GPU %lld, CPU "
              "%lld\n", name, mismatches, n, first_bad, gpu[first_bad],
              Scenario(first_bad));
  return false;
}

} // namespace gpu_check

#endif // COROPTX_TEST_GPU_CHECK_H
