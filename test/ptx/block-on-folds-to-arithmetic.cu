// block_on of a task leaves nothing of the coroutine machinery: no call of
// any kind, no local memory, just the arithmetic. A task awaiting a child is
// heap-free and indirect-free, and its frames are SSA values
// (FrameFlattening): no local memory, no stack frame.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 -v %t.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90 -v %t.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=NESTED %}
#include <coroptx/block_on.h>

using coroptx::task;

__device__ task<int> twice(int x) { co_return 2 * x; }
__device__ task<int> twice_then_add(int x, int y) { co_return co_await twice(x) + y; }

// CHECK-LABEL: .entry _Z12single_levelPi
// CHECK-NOT: call
// CHECK-NOT: .local
// CHECK: shl.b32
// CHECK-NOT: call
// CHECK: ret;
// PTXAS: Compiling entry function '_Z12single_levelPi'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
__global__ void single_level(int *out) {
  out[threadIdx.x] = coroptx::block_on(twice(threadIdx.x));
}

// CHECK-LABEL: .entry _Z6nestedPii
// CHECK-NOT: {{malloc|_Znwm|_ZdlPv|prototype|\.local|call}}
// CHECK: ret;
// NESTED: Compiling entry function '_Z6nestedPii'
// NESTED-NEXT: Function properties for _Z6nestedPii
// NESTED-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
__global__ void nested(int *out, int y) {
  out[threadIdx.x] = coroptx::block_on(twice_then_add(threadIdx.x, y));
}
