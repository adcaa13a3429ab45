// A scheduler loop over flattened coroutines loses the tests that only its
// rounds decide. Four workers resumed round-robin all step on rounds 1 to
// 63 and finish on round 64, but every round tested each worker's done
// flag and step (9 branches a round, where the hand-written loop has one).
// LoopPhaseSplitting runs the loop trip by trip on the states its branches
// read (all start at constants) and splits the trips into phases that
// repeat one path: the rounds become a loop with one branch, its own, whose
// body steps the four workers, and the round that finishes them follows.
// Sleepers whose turns come in a period split into groups of trips (the
// second kernel).
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   -Rpass=coroptx-split-loop-phases 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include "../Inputs/lazy_worker.h"

__device__ unsigned mix(unsigned x, unsigned y) {
  x ^= x >> 13;
  return x * 1664525u + 1013904223u + y;
}

/// Steps `Steps` times, suspending after each, then writes its result.
template <unsigned Steps>
__device__ worker stepping_worker(unsigned seed, unsigned *result) {
  unsigned acc = seed;
  for (unsigned step = 0; step < Steps; ++step) {
    acc = mix(acc, step);
    co_await std::suspend_always{};
  }
  *result = acc;
}

// REMARK: scheduler-loops-in-phases.cu:[[@LINE+14]]:3: remark: the 64 trips of this loop split into 2 phases, each repeating one path through 1 trip; their branches fold
// CHECK-LABEL: .entry _Z11round_robinPjj(
// CHECK:       Loop Header: Depth=1
// CHECK-NOT:   {{setp|bra|Depth}}
// CHECK-COUNT-4: mul.lo.s32 {{.*}}, 1664525;
// CHECK-NOT:   {{bra|Depth}}
// CHECK:       @%p{{[0-9]+}} bra
// CHECK-NOT:   {{bra|Depth}}
// CHECK:       ret;
__global__ void round_robin(unsigned *out, unsigned seed) {
  unsigned results[4];
  worker workers[4];
  for (int k = 0; k < 4; ++k)
    workers[k] = stepping_worker<64>(seed + 4 * threadIdx.x + k, &results[k]);
  for (unsigned round = 0; round <= 64; ++round)
    for (int k = 0; k < 4; ++k)
      if (!workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
  for (int k = 0; k < 4; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k] + k;
  }
  out[threadIdx.x] = sum;
}

// Sixteen sleepers, each resumed when its turn comes (once in 8 ticks).
// Their 2-bit suspend indices sat in bytes that SROA split off each frame
// and could not promote (NarrowIntegerSlots retypes them), because a
// sleeper whose first turn is not the first tick is started on a later
// trip. The loop over groups of 8 ticks then steps each of the 16 sleepers
// once and tests no turn (`and.b32 ..., 7`), with no local memory.
// REMARK: scheduler-loops-in-phases.cu:[[@LINE+15]]:3: remark: the 136 trips of this loop split into 3 phases, each repeating one path through 8 trips; their branches fold
// CHECK-LABEL: .entry _Z16mostly_suspendedPjj(
// CHECK-NOT:   .local
// CHECK:       Loop Header: Depth=1
// CHECK-NOT:   {{setp|bra|Depth|and.b32}}
// CHECK-COUNT-16: mul.lo.s32 {{.*}}, 1664525;
// CHECK-NOT:   {{bra|Depth|and.b32}}
// CHECK:       @%p{{[0-9]+}} bra
// CHECK-NOT:   Depth
// CHECK:       ret;
__global__ void mostly_suspended(unsigned *out, unsigned seed) {
  unsigned results[16];
  worker workers[16];
  for (int k = 0; k < 16; ++k)
    workers[k] = stepping_worker<16>(seed + 16 * threadIdx.x + k, &results[k]);
  for (unsigned tick = 0; tick < 8 * 17; ++tick)
    for (int k = 0; k < 16; ++k)
      if ((tick + k) % 8 == 0 && !workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
  for (int k = 0; k < 16; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k] + k;
  }
  out[threadIdx.x] = sum;
}
