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
//
// With four workers the loop over them is unrolled and their frames
// flatten into SSA values, but each resume still entered a small transfer
// loop (the worker names the child, the child names the worker back) that
// dfa-jump-threading does not take: its dispatch is a branch on one code.
// TransferLoopPeeling peels its first trips and MergedBranchThreading sends
// the end of each trip straight to the next; after the second trip every
// resume is over, so the loop is gone and the kernel is the round-robin
// loop alone, with no loop nested in it and no local memory. Its first
// round starts the workers, every later one resumes them: FirstTripPeeling
// takes the first round out of the loop, and the 2-bit suspend indices,
// which were 0 on the first round and 2 on the others, are gone from it (no
// 16-bit registers, no `and.b16` to test them).
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   '-Rpass=coroptx-peel-(transfer-loops|first-trip)' 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=PEELED
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include <coroptx/block_on.h>

#include "../Inputs/lazy_worker.h"

using coroptx::task;

__device__ unsigned mix(unsigned x, unsigned y) {
  x ^= x >> 13;
  return x * 1664525u + y;
}

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

// PEELED-DAG: remark: the first 2 transfers after a resume are peeled out of the transfer loop
// PEELED-DAG: remark: the first trip of this loop is peeled: from the second on, a state it tests is always -2, and its tests fold
// CHECK-LABEL: .entry _Z11round_robinILi16EEvPjj(
// CHECK-NOT: level{{[0-9]}}
// CHECK: awaiting_worker
// CHECK-NOT: level{{[0-9]}}
// CHECK: ret;
// CHECK-LABEL: .entry _Z11round_robinILi4EEvPjj(
// CHECK-NOT: {{\.local|\.b16}}
// CHECK: Loop Header: Depth=1
// CHECK-NOT: {{Depth=2|\.local|\.b16}}
// CHECK: ret;
// `#pragma unroll 1` keeps the 16-worker loops rolled (unrolled, their
// frames would flatten: test/ptx/coroutine-array-loops-unrolled.cu).
template <int K> __global__ void round_robin(unsigned *out, unsigned seed) {
  constexpr int Unroll = K > 4 ? 1 : K;
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned results[K];
  worker workers[K];
#pragma unroll Unroll
  for (int k = 0; k < K; ++k)
    workers[k] = awaiting_worker(seed + t * K + k, &results[k]);
  for (unsigned round = 0; round <= 64; ++round)
#pragma unroll Unroll
    for (int k = 0; k < K; ++k)
      if (!workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
#pragma unroll Unroll
  for (int k = 0; k < K; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k] + k;
  }
  out[t] = sum;
}
template __global__ void round_robin<16>(unsigned *, unsigned);
template __global__ void round_robin<4>(unsigned *, unsigned);

// The other coroutines of the module, reached from their own kernel.
__device__ task<unsigned> level1(unsigned x) { co_return mix(x, 1); }
__device__ task<unsigned> level2(unsigned x) { co_return mix(co_await level1(x), 2); }
__device__ task<unsigned> level3(unsigned x) { co_return mix(co_await level2(x), 3); }
__global__ void nested(unsigned *out, unsigned seed) {
  out[threadIdx.x] = coroptx::block_on(level3(seed + threadIdx.x));
}
