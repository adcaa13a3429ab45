// The coroutine types the benchmark's coroutine variants share: a lazy task
// with symmetric transfer (the shape of coroptx::task), a lazy worker that a
// scheduler resumes, and a generator. Where their frames come from:
//   clang alone + malloc   promise_storage's operator new: device malloc
//                          (BENCH_MALLOC, defined in variant_malloc.cu)
//   clang alone + arena    promise_storage's operator new: a per-thread bump
//                          arena (BENCH_ARENA, defined in variant_arena.cu)
//   coroptx                the global operator new, which the passes replace
//                          (a promise's own operator new would be respected)
#ifndef COROPTX_BENCH_TASK_H
#define COROPTX_BENCH_TASK_H

#include <coroutine>
#include <cstddef>
#include <utility>

namespace bench {

#if defined(BENCH_ARENA)
struct promise_storage {
  __device__ static void *operator new(std::size_t bytes);
  __device__ static void operator delete(void *frame, std::size_t bytes);
};
#elif defined(BENCH_MALLOC)
struct promise_storage {
  __device__ static void *operator new(std::size_t bytes) {
    return malloc(bytes);
  }
  __device__ static void operator delete(void *frame, std::size_t) {
    free(frame);
  }
};
#else
struct promise_storage {};
#endif

template <class T> class [[clang::coro_await_elidable]] task {
public:
  struct promise_type : promise_storage {
    T value{};
    std::coroutine_handle<> continuation = std::noop_coroutine();
    __device__ task get_return_object() {
      return task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    struct final_awaiter {
      __device__ bool await_ready() noexcept { return false; }
      __device__ std::coroutine_handle<>
      await_suspend(std::coroutine_handle<promise_type> self) noexcept {
        return self.promise().continuation;
      }
      __device__ void await_resume() noexcept {}
    };
    __device__ final_awaiter final_suspend() noexcept { return {}; }
    __device__ void return_value(T v) { value = v; }
    __device__ void unhandled_exception() {}
  };

  __device__ task(task &&other) noexcept
      : handle_(std::exchange(other.handle_, {})) {}
  __device__ ~task() {
    if (handle_)
      handle_.destroy();
  }

  __device__ bool await_ready() const noexcept { return false; }
  __device__ std::coroutine_handle<>
  await_suspend(std::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  __device__ T await_resume() { return handle_.promise().value; }

  /// Runs the task to completion from ordinary code (it must not suspend
  /// on anything but its children).
  __device__ T run() {
    handle_.resume();
    return handle_.promise().value;
  }

private:
  __device__ explicit task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

/// A lazily started coroutine that suspends back to its scheduler.
struct worker {
  struct promise_type : promise_storage {
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

/// A co_yield generator of unsigned values.
struct generator {
  struct promise_type : promise_storage {
    unsigned current = 0;
    __device__ generator get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __device__ std::suspend_always yield_value(unsigned v) noexcept {
      current = v;
      return {};
    }
    __device__ void return_void() {}
    __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

} // namespace bench

#endif // COROPTX_BENCH_TASK_H
