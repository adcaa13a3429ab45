// A coroutine parked in a global for a later kernel outlives the function
// that starts it: its frame cannot live in a caller's frame, and coroptx says
// so at the coroutine's line instead of falling back to malloc.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -verify %s
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -S -o /dev/null -Xclang -verify %s
#include <coroutine>

struct parked_task {
  struct promise_type {
    __device__ parked_task get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __device__ void return_void() {}
    __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

__device__ std::coroutine_handle<> parked[256];
__device__ int progress[256];

__device__ parked_task worker(int slot) { // expected-error-re {{coroptx: the frame of device coroutine 'worker(int)' would be allocated on the heap: {{.*}}give its promise_type an operator new}}
  progress[slot] = 1;
  co_await std::suspend_always{};
  progress[slot] = 2;
}

__global__ void start() { parked[threadIdx.x] = worker(threadIdx.x).handle; }

__global__ void finish() {
  parked[threadIdx.x].resume();
  parked[threadIdx.x].destroy();
}
