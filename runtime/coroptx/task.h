// <coroptx/task.h> -*- C++ -*-
//
// task<T>: a lazy, move-only coroutine that produces one T. It starts when it
// is awaited (or driven by block_on) and, when it finishes, transfers control
// symmetrically to its awaiter. Its frame has no hidden allocation: the
// coroptx passes place it in the frame of whoever awaits or runs it.
#ifndef COROPTX_TASK_H
#define COROPTX_TASK_H

#include <coroptx/config.h>

#include <coroutine>
#include <new>
#include <type_traits>
#include <utility>

namespace coroptx {

template <class T = void> class task;

namespace detail {

/// What task promises share: lazy start, and a final suspension that resumes
/// the awaiter (a noop coroutine when nobody awaits, e.g. under block_on).
class task_promise_base {
public:
  COROPTX_HOST_DEVICE std::suspend_always initial_suspend() noexcept {
    return {};
  }

  struct final_awaiter {
    COROPTX_HOST_DEVICE bool await_ready() noexcept { return false; }
    template <class Promise>
    COROPTX_HOST_DEVICE std::coroutine_handle<>
    await_suspend(std::coroutine_handle<Promise> self) noexcept {
      return self.promise().continuation_;
    }
    COROPTX_HOST_DEVICE void await_resume() noexcept {}
  };
  COROPTX_HOST_DEVICE final_awaiter final_suspend() noexcept { return {}; }

  // Device code has no exceptions; on the host an escaping exception is a
  // bug in the task's body, reported as loudly as on the device.
  COROPTX_HOST_DEVICE void unhandled_exception() noexcept { COROPTX_TRAP(); }

  COROPTX_HOST_DEVICE void
  set_continuation(std::coroutine_handle<> awaiter) noexcept {
    continuation_ = awaiter;
  }

private:
  std::coroutine_handle<> continuation_ = std::noop_coroutine();
};

template <class T> class task_promise : public task_promise_base {
public:
  COROPTX_HOST_DEVICE task_promise() noexcept {}
  COROPTX_HOST_DEVICE ~task_promise() {
    if (has_value_)
      value_.~T();
  }

  COROPTX_HOST_DEVICE task<T> get_return_object() noexcept;

  // U defaults to T so that `co_return {...};` names T's constructor.
  template <class U = T>
    requires std::is_convertible_v<U &&, T>
  COROPTX_HOST_DEVICE void return_value(U &&value) noexcept(
      std::is_nothrow_constructible_v<T, U &&>) {
    ::new (static_cast<void *>(&value_)) T(std::forward<U>(value));
    has_value_ = true;
  }

  COROPTX_HOST_DEVICE T take() noexcept { return std::move(value_); }

private:
  union {
    T value_;
  };
  bool has_value_ = false;
};

template <> class task_promise<void> : public task_promise_base {
public:
  COROPTX_HOST_DEVICE task<void> get_return_object() noexcept;
  COROPTX_HOST_DEVICE void return_void() noexcept {}
  COROPTX_HOST_DEVICE void take() noexcept {}
};

} // namespace detail

template <class T> class COROPTX_AWAIT_ELIDABLE task {
public:
  using promise_type = detail::task_promise<T>;
  using value_type = T;

  COROPTX_HOST_DEVICE task(task &&other) noexcept
      : handle_(std::exchange(other.handle_, {})) {}
  COROPTX_HOST_DEVICE task &operator=(task &&other) noexcept {
    if (this != &other) {
      if (handle_)
        handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  task(const task &) = delete;
  task &operator=(const task &) = delete;
  COROPTX_HOST_DEVICE ~task() {
    if (handle_)
      handle_.destroy();
  }

  /// True once the body has run to its end.
  COROPTX_HOST_DEVICE bool done() const noexcept {
    return !handle_ || handle_.done();
  }

  // Awaiting a task starts it and hands it the awaiter to resume at its end.
  COROPTX_HOST_DEVICE bool await_ready() const noexcept { return false; }
  COROPTX_HOST_DEVICE std::coroutine_handle<>
  await_suspend(std::coroutine_handle<> awaiter) noexcept {
    handle_.promise().set_continuation(awaiter);
    return handle_;
  }
  COROPTX_HOST_DEVICE T await_resume() noexcept {
    return handle_.promise().take();
  }

  /// The coroutine's handle, for drivers such as block_on.
  COROPTX_HOST_DEVICE std::coroutine_handle<promise_type> handle() const noexcept {
    return handle_;
  }

  /// Chains \p f after this task; see <coroptx/combinators.h>.
  template <class F> COROPTX_HOST_DEVICE auto then(F f) &&;

private:
  friend promise_type;
  COROPTX_HOST_DEVICE explicit task(std::coroutine_handle<promise_type> h) noexcept
      : handle_(h) {}

  std::coroutine_handle<promise_type> handle_;
};

namespace detail {
template <class T>
COROPTX_HOST_DEVICE task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<task_promise>::from_promise(*this));
}
COROPTX_HOST_DEVICE inline task<void>
task_promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<task_promise>::from_promise(*this));
}
} // namespace detail

} // namespace coroptx

#endif // COROPTX_TASK_H
