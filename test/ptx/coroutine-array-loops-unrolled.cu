// Sixteen workers in a local array, started, resumed and destroyed by loops
// over the array's index. LLVM alone leaves loops of this size rolled, so
// every handle is reached by a variable index and the frames stay in local
// memory (two kilobytes per thread). CoroutineArrayUnrolling marks the three
// loops for full unrolling: each handle then sits at a constant offset, the
// frames flatten into SSA values, and the kernel has no local memory and no
// dispatch on resume pointers left (the worker's name never appears).
//
// When another loop picks the worker by a run-time value (here a modulo),
// unrolling the others would not make the offsets constant: those loops are
// left alone, and the frames stay in local memory.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   -Rpass=coroptx-unroll-coroutine-arrays 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include <coroptx/task.h>

#include "../Inputs/lazy_worker.h"

__device__ unsigned mix(unsigned x, unsigned y) {
  x ^= x >> 13;
  return x * 1664525u + y;
}

__device__ coroptx::task<unsigned> child(unsigned acc, unsigned step) {
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

// REMARK-COUNT-3: remark: this loop over 16 coroutines of a local array is unrolled: each frame at a constant offset can live in registers
// REMARK-NOT: remark
// CHECK-LABEL: .entry _Z11round_robinPjj(
// CHECK-NOT: {{\.local|awaiting_worker}}
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

// CHECK-LABEL: .entry _Z12modulo_turnsPjj(
// CHECK: .local
// CHECK: ret;
__global__ void modulo_turns(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned results[16];
  worker workers[16];
  for (int k = 0; k < 16; ++k)
    workers[k] = awaiting_worker(seed + t * 16 + k, &results[k]);
  for (unsigned turn = 0; turn < 16 * 65; ++turn) {
    worker &w = workers[(t + turn) % 16];
    if (!w.handle.done())
      w.handle.resume();
  }
  unsigned sum = 0;
  for (int k = 0; k < 16; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k] + k;
  }
  out[t] = sum;
}
