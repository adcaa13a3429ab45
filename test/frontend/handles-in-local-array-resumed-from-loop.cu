// Where frame placement stops today: workers whose handles sit in a local
// array, filled and resumed from loops (round-robin scheduling). Their
// handles never leave the kernel, but LLVM's CoroElide cannot follow them
// through the array, so each frame would need the heap, and coroptx says so
// at the coroutine's line rather than call malloc. (With constant indices the
// frames are placed and fold into registers:
// test/ptx/handles-in-array-resume-directly.cu.) When placement learns to
// follow handles through local memory, this test flips.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -verify %s
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -S -o /dev/null -Xclang -verify %s
#include <coroutine>

struct worker {
  struct promise_type {
    __device__ worker get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __device__ void return_void() {}
    __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

__device__ worker work(unsigned seed, unsigned *out) { // expected-error-re {{coroptx: the frame of device coroutine 'work(unsigned int, unsigned int*)' would be allocated on the heap{{.*}}}}
  unsigned acc = seed;
  for (unsigned step = 0; step < 64; ++step) {
    acc = acc * 1664525u + 1013904223u + step;
    co_await std::suspend_always{};
  }
  *out = acc;
}

__global__ void round_robin(unsigned *out) {
  constexpr int K = 4;
  unsigned results[K];
  worker workers[K];
  for (int k = 0; k < K; ++k)
    workers[k] = work(threadIdx.x * K + k, &results[k]);
  for (int round = 0; round <= 64; ++round)
    for (int k = 0; k < K; ++k)
      if (!workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
  for (int k = 0; k < K; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k];
  }
  out[threadIdx.x] = sum;
}
