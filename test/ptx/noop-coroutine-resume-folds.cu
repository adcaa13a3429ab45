// Resuming std::noop_coroutine() through a type-erased handle is a load of a
// function pointer from its frame and an indirect call; coroptx knows that
// frame is a device-only constant and folds the call away.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
// RUN: %clang-plain-device --cuda-gpu-arch=sm_90 -O2 -S %s -o - -include %coroptx-src/runtime/coroptx/detail/device_coroutine.h | FileCheck %s --check-prefix=CLANG-ALONE
#include <coroutine>

// CHECK-LABEL: .entry _Z6kernelPPv
// CHECK-NOT: call
// CHECK: ret;
// CLANG-ALONE-LABEL: .entry _Z6kernelPPv
// CLANG-ALONE: prototype
__global__ void kernel(void **out) {
  std::coroutine_handle<> erased = std::noop_coroutine();
  erased.resume();
  out[threadIdx.x] = erased.address();
}
