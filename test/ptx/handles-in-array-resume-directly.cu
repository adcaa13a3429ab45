// Two generators kept in an array and resumed from a loop. clang alone puts
// both frames on the heap; with coroptx the frames live in the kernel and,
// once every resume is direct, fold into registers: no call, no local memory.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
// RUN: %clang-plain-device --cuda-gpu-arch=sm_90 -O2 -S %s -o - -include %coroptx-src/runtime/coroptx/detail/device_coroutine.h | FileCheck %s --check-prefix=CLANG-ALONE
#include <coroutine>

struct counter {
  struct promise_type {
    int value = 0;
    __device__ counter get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __device__ std::suspend_always yield_value(int v) noexcept {
      value = v;
      return {};
    }
    __device__ void return_void() {}
    __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

__device__ counter count_up(int from) {
  for (int i = from;; ++i)
    co_yield i;
}
__device__ counter count_down(int from) {
  for (int i = from;; --i)
    co_yield i;
}

// CHECK-NOT: prototype
// CHECK-LABEL: .entry _Z6kernelPii
// CHECK-NOT: .local
// CHECK-NOT: call
// CHECK: ret;
// CLANG-ALONE: call.uni (retval0), _Znwm
__global__ void kernel(int *out, int rounds) {
  counter machines[2] = {count_up(threadIdx.x), count_down(threadIdx.x)};
  int sum = 0;
  for (int r = 0; r < rounds; ++r)
    for (counter &m : machines) {
      m.handle.resume();
      sum += m.handle.promise().value;
    }
  for (counter &m : machines)
    m.handle.destroy();
  out[threadIdx.x] = sum;
}
