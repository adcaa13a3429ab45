// A kernel that spawns its jobs in a loop over a constant count. Rolled,
// each trip searches the executor for a free slot and a free block of frame
// storage at run time, so every job's slot and frame is one of four, and
// the state array the jobs write through &state[k] stays in local memory.
// CoroutineArrayUnrolling unrolls a loop that starts coroutines whose frames
// go into a local object: the searches then fold to constant slots, and the
// kernel keeps nothing in local memory. (The loop also traps when a spawn
// fails: its trip count is the latch's.)
//
// A loop the programmer kept rolled (`#pragma unroll 1`) stays rolled, and
// its state array stays in local memory.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   -Rpass=coroptx-unroll-coroutine-arrays 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include <coroptx/executor.h>

using executor = coroptx::static_executor<4, 128>;

__device__ coroptx::job<> stepper(executor &ex, int steps, unsigned *state) {
  for (int left = steps; left != 0; --left) {
    *state = *state * 1664525u + 1013904223u;
    co_await ex.yield_now();
  }
}

/// One trip of the spawn loops below: a job that steps *state from seed.
__device__ void spawn_stepper(executor &ex, int steps, unsigned *state,
                              unsigned seed) {
  *state = seed;
  if (!ex.spawn(stepper(ex, steps, state)))
    __trap();
}

// REMARK-COUNT-1: remark: this loop over 4 coroutines started into a local object is unrolled: each frame at a constant offset can live in registers
// REMARK-NOT: remark
// CHECK-LABEL: .entry _Z10spawn_loopPji(
// CHECK-NOT: __local_depot
// CHECK: ret;
__global__ void spawn_loop(unsigned *out, int steps) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned state[4];
  executor ex;
  for (int k = 0; k < 4; ++k)
    spawn_stepper(ex, steps, &state[k], t + k);
  ex.run();
  out[t] = state[0] ^ state[1] ^ state[2] ^ state[3];
}

// CHECK-LABEL: .entry _Z22spawn_loop_kept_rolledPji(
// CHECK: __local_depot
// CHECK: ret;
__global__ void spawn_loop_kept_rolled(unsigned *out, int steps) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned state[4];
  executor ex;
#pragma unroll 1
  for (int k = 0; k < 4; ++k)
    spawn_stepper(ex, steps, &state[k], t + k);
  ex.run();
  out[t] = state[0] ^ state[1] ^ state[2] ^ state[3];
}
