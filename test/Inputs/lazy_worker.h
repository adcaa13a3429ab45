// The coroutine most lowering tests schedule: a lazily started worker that
// suspends back to whoever resumes it and keeps its frame after it ends,
// so the kernel can test done() and destroy it. Nothing in its promise
// allocates or returns a value: what a test checks is the kernel's
// scheduling of its workers.
#ifndef COROPTX_TEST_LAZY_WORKER_H
#define COROPTX_TEST_LAZY_WORKER_H

#include <coroutine>

struct worker {
  struct promise_type {
    __device__ worker get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __device__ void return_void() {}
    __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

#endif // COROPTX_TEST_LAZY_WORKER_H
