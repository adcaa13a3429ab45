// Sixteen jobs spawned in a loop into an executor that is a local of the
// kernel. Each trip's spawn searches the executor's sixteen slots for a free
// one, so until the loop is unrolled every slot may hold any of the sixteen
// frames. CoroutineArrayUnrolling marks the loop once the ramp is inlined
// (a trip is then about 3,700 instructions, too many to copy yet), and
// ConfirmSpawnLoopUnrolling keeps the mark once the post-split passes have
// made a trip a few hundred: LoopUnroll copies it, each search folds to a
// constant slot, and the frames are SSA values. Before, the loop stayed
// rolled and no remark came: the kernel took 230 registers and 7,179 lines
// of PTX (2,864 selp picking among the frames); then 157 and 1,238.
// Each slot's handle, once copied, still held its frame's 64-bit code or 0,
// compared with all sixteen codes to find the job it names (168 64-bit
// compares, 133 selp.b64). ConstantPhiCompares, run again after LoopUnroll,
// makes each handle one flag: 77 registers, 888 lines, no selp.b64.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   -Rpass=coroptx-unroll-coroutine-arrays \
// RUN:   -Rpass-missed=coroptx-unroll-coroutine-arrays 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include "../Inputs/stepper_job.h"

constexpr int jobs = 16;
using executor = coroptx::static_executor<jobs, 128>;

// REMARK: remark: this loop over 16 coroutines started into a local object is unrolled
// REMARK-NOT: remark
// CHECK-LABEL: .entry _Z7sixteenPji
// CHECK-NOT: .local
// CHECK-NOT: __local_depot
// CHECK-NOT: call
// CHECK-NOT: selp.b64
// CHECK: ret;
__global__ void sixteen(unsigned *out, int steps) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  executor ex;
  for (int k = 0; k < jobs; ++k)
    if (!ex.spawn(stepper(ex, t + k, steps, &out[jobs * t + k])))
      __trap();
  ex.run();
}
