// Sixteen workers resumed round-robin by a loop index, in a module with
// other coroutines. The index is a variable, so the frames stay in local
// memory and the dispatch cannot know which frame it resumes; but the
// frames' object only ever holds the parts of the worker and of the child
// it awaits, so DispatchNarrowing drops every other coroutine's arm: the
// kernel names no part of `level1`..`level3`, and ptxas sees a function
// of a few hundred lines, not thousands. TransferLoopPeeling then takes the
// first transfers of each resume (worker to child and back) out of the
// transfer loop, which test/ir/peel-transfer-loops.ll checks in detail;
// here the remark says that it ran on this kernel.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   -Rpass=coroptx-peel-transfer-loops 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=PEELED
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include <coroptx/block_on.h>

#include <coroutine>

using coroptx::task;

__device__ unsigned mix(unsigned x, unsigned y) {
  x ^= x >> 13;
  return x * 1664525u + y;
}

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

__device__ task<unsigned> child(unsigned acc, unsigned step) {
  co_return mix(acc, step);
}

__device__ worker awaiting_worker(unsigned seed, unsigned *result) {
  unsigned acc = seed;
  for (unsigned step = 0; step < 64; ++step) {
    acc = co_await child(acc, step);
    co_await std::suspend_always{};
  }
  *result = acc;
}

// PEELED: remark: the first 2 transfers after a resume are peeled out of the transfer loop
// CHECK-LABEL: .entry _Z11round_robinPjj(
// CHECK-NOT: level{{[0-9]}}
// CHECK: awaiting_worker
// CHECK-NOT: level{{[0-9]}}
// CHECK: ret;
__global__ void round_robin(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned results[16];
  worker workers[16];
  for (int k = 0; k < 16; ++k)
    workers[k] = awaiting_worker(seed + t * 16 + k, &results[k]);
  for (unsigned round = 0; round <= 64; ++round)
    for (int k = 0; k < 16; ++k)
      if (!workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
  for (int k = 0; k < 16; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k] + k;
  }
  out[t] = sum;
}

// The other coroutines of the module, reached from their own kernel.
__device__ task<unsigned> level1(unsigned x) { co_return mix(x, 1); }
__device__ task<unsigned> level2(unsigned x) { co_return mix(co_await level1(x), 2); }
__device__ task<unsigned> level3(unsigned x) { co_return mix(co_await level2(x), 3); }
__global__ void nested(unsigned *out, unsigned seed) {
  out[threadIdx.x] = coroptx::block_on(level3(seed + threadIdx.x));
}
