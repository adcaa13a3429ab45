// Each slot of an unrolled executor carries two flags around the scheduler
// loop: "the slot is free" and "its job has started". A third, "its job is
// done", always equals "free" (a job that ends frees its slot at once, and
// both start false at the spawn), and CongruentPhis makes them one; without
// it the kernel kept the third flag, tested once more after every resume.
// With four jobs: eight flags, and a ninth: the last slot's "free" reaches
// the loop negated ("holds its job", true at the spawn), and CongruentPhis
// merges only phis that are equal, not opposite, so that slot keeps "done".
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include "../Inputs/stepper_job.h"

constexpr int jobs = 4;
using executor = coroptx::static_executor<jobs, 128>;

// The loop header's flags: a constant from the spawns, the next value from
// the latch.
// CHECK-LABEL: define {{.*}} @_Z8countersPji(
// CHECK-COUNT-9: = phi i1 [ {{true|false}}, %{{[0-9]+}} ], [ %{{[0-9]+}}, %{{[0-9]+}} ]{{$}}
// CHECK-NOT:     = phi i1 [ {{true|false}}, %{{[0-9]+}} ], [ %{{[0-9]+}}, %{{[0-9]+}} ]{{$}}
// CHECK:         ret void
__global__ void counters(unsigned *out, int steps) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  executor ex;
  for (int k = 0; k < jobs; ++k)
    if (!ex.spawn(stepper(ex, t + k, steps, &out[jobs * t + k])))
      __trap();
  ex.run();
}
