// demo_async: the C++ counterpart of VectorWare's "async/await on the GPU"
// demo. Ordinary C++20 coroutines, driven by block_on inside one kernel over
// many threads; the host runs the very same coroutines on the CPU and checks
// that every thread agrees.
//
//   clang++-22 -x cuda --cuda-gpu-arch=sm_90 -std=c++20 -O2 \
//       -fplugin=<build>/lib/CoroPTX.so demo_async.cu -lcudart
#include <coroptx/coroptx.h>

#include "cuda_check.h"

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

using coroptx::block_on;
using coroptx::ready;
using coroptx::task;

// Simple coroutines, called below from the kernel and from the host.
__host__ __device__ task<int> async_double(int x) { co_return x * 2; }

__host__ __device__ task<int> async_add_then_double(int a, int b) {
  int sum = a + b;
  co_return co_await async_double(sum);
}

__host__ __device__ task<int> async_conditional(int x, bool do_double) {
  if (do_double)
    co_return co_await async_double(x);
  co_return x;
}

__host__ __device__ task<int> async_multi_step(int x) {
  int step1 = co_await async_double(x);
  int step2 = co_await async_double(step1);
  co_return step2;
}

struct DemoResult {
  int doubled, chained, conditional, multi_step, from_block, from_combinator;
  bool operator==(const DemoResult &) const = default;
};

// Wrapping arithmetic, as Rust's wrapping_add / wrapping_mul.
__host__ __device__ int wrapping_add(int a, int b) {
  return static_cast<int>(static_cast<unsigned>(a) + static_cast<unsigned>(b));
}
__host__ __device__ int wrapping_mul(int a, int b) {
  return static_cast<int>(static_cast<unsigned>(a) * static_cast<unsigned>(b));
}

// One thread's run of the demo: the same code on the GPU and on the CPU.
__host__ __device__ DemoResult run_demo(int val, bool flag) {
  DemoResult r;
  // A coroutine with a single co_return.
  r.doubled = block_on(async_double(val));
  // Chained coroutines.
  r.chained = block_on(async_add_then_double(val, r.doubled));
  // A condition inside a coroutine.
  r.conditional = block_on(async_conditional(val, flag));
  // Several co_await points in one coroutine.
  r.multi_step = block_on(async_multi_step(val));
  // An "async block": a coroutine lambda awaiting two calls.
  int chained = r.chained;
  r.from_block = block_on([&]() -> task<int> {
    int doubled_a = co_await async_double(val);
    int doubled_b = co_await async_double(chained);
    co_return wrapping_add(doubled_a, doubled_b);
  }());
  // Combinators, with no new coroutine written by hand.
  r.from_combinator = block_on(ready(val).then(
      [](int v) { return ready(wrapping_add(wrapping_mul(v, 2), 100)); }));
  return r;
}

__global__ void demo_async(DemoResult *out, int n, int base) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = run_demo(base + i, (i & 1) != 0);
}

int main(int argc, char **argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1 << 20;
  const int base = -12345;
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("demo_async: no CUDA device found; skipped the GPU run\n");
    return 77;
  }

  DemoResult *device_out = nullptr;
  CHECK_CUDA(cudaMalloc(&device_out, n * sizeof(DemoResult)));
  CHECK_CUDA(cudaMemset(device_out, 0xff, n * sizeof(DemoResult)));
  const int threads = 256;
  demo_async<<<(n + threads - 1) / threads, threads>>>(device_out, n, base);
  CHECK_CUDA(cudaGetLastError());
  CHECK_CUDA(cudaDeviceSynchronize());
  std::vector<DemoResult> gpu(n);
  CHECK_CUDA(cudaMemcpy(gpu.data(), device_out, n * sizeof(DemoResult),
                        cudaMemcpyDeviceToHost));
  CHECK_CUDA(cudaFree(device_out));

  int mismatches = 0;
  for (int i = 0; i < n; ++i)
    if (!(gpu[i] == run_demo(base + i, (i & 1) != 0)))
      ++mismatches;

  std::printf("demo_async: %d threads, val = %d + thread index, flag = odd "
              "thread\n", n, base);
  std::printf("%-8s %-16s %12s %12s\n", "thread", "result", "GPU", "CPU");
  for (int i : {0, 1, n / 2 + 1, n - 1}) {
    DemoResult cpu = run_demo(base + i, (i & 1) != 0);
    const char *names[] = {"doubled",    "chained",    "conditional",
                           "multi_step", "from_block", "from_combinator"};
    const int g[] = {gpu[i].doubled,    gpu[i].chained,
                     gpu[i].conditional, gpu[i].multi_step,
                     gpu[i].from_block,  gpu[i].from_combinator};
    const int c[] = {cpu.doubled,    cpu.chained,    cpu.conditional,
                     cpu.multi_step, cpu.from_block, cpu.from_combinator};
    for (int k = 0; k < 6; ++k)
      std::printf("%-8d %-16s %12d %12d\n", i, names[k], g[k], c[k]);
  }
  std::printf("demo_async: %s (%d of %d threads match the CPU)\n",
              mismatches == 0 ? "PASS" : "FAIL", n - mismatches, n);
  return mismatches == 0 ? 0 : 1;
}
