// An executor that is a local of the kernel becomes SSA values, job frames
// included: every loop over its slots is unrolled, a slot picked by a
// run-time index is reached through a compare per slot, and FrameFlattening
// follows the handles through the slots, the frames' zero fill (a memset),
// the integer a ramp returns its job as, and accesses that LLVM merged back
// into one at a bounded variable index. The kernel has no local memory.
// (Before, the executor's 4 slots and frames took 704 bytes of it.)
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   -Rpass=coroptx-flatten-frames 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include "../Inputs/stepper_job.h"

using executor = coroptx::static_executor<4, 128>;

// REMARK: remark: coroutine frames in this function became SSA values
// CHECK-LABEL: .entry _Z4fourPji
// CHECK-NOT: .local
// CHECK-NOT: __local_depot
// CHECK: ret;
__global__ void four(unsigned *out, int steps) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  executor ex;
  ex.spawn(stepper(ex, t, steps, &out[4 * t]));
  ex.spawn(stepper(ex, t + 1, steps, &out[4 * t + 1]));
  ex.spawn(stepper(ex, t + 2, steps, &out[4 * t + 2]));
  ex.spawn(stepper(ex, t + 3, steps, &out[4 * t + 3]));
  ex.run();
}
