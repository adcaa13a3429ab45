// A promise type's own operator new is the user's choice: a parked coroutine
// that brings its own storage compiles, and its frame comes from that storage.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o - -Xclang -verify %s | FileCheck %s
// expected-no-diagnostics
#include <coroutine>
#include <cstddef>

__device__ alignas(16) unsigned char arena[256][64];

struct parked_task {
  struct promise_type {
    __device__ static void *operator new(std::size_t size) {
      return size <= sizeof(arena[0]) ? arena[threadIdx.x] : nullptr;
    }
    __device__ static void operator delete(void *) {}
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

__device__ parked_task worker() { co_return; }

// CHECK-LABEL: .entry _Z5startv
// CHECK-NOT: malloc
// CHECK: arena
__global__ void start() { parked[threadIdx.x] = worker().handle; }
