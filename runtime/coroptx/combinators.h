// <coroptx/combinators.h> -*- C++ -*-
//
// Combinators in the spirit of Rust's futures_util, for any awaitable:
//   ready(v)            an awaitable that already holds v
//   then(a, f)          await a, call f on its result; if f returns an
//                       awaitable, await that too (a.then(f) on coroptx types)
//   when_all(a, b, ...) await every one, yield a tuple of their results
// Each combinator that awaits is itself a task, so its frame is placed like
// any other: in the frame of whoever awaits it.
#ifndef COROPTX_COMBINATORS_H
#define COROPTX_COMBINATORS_H

#include <coroptx/awaitable.h>
#include <coroptx/config.h>
#include <coroptx/task.h>

#include <tuple>

namespace coroptx {

template <class T> class ready_awaitable;

/// Chains \p f after \p work. f takes work's result (nothing for void); when
/// f returns an awaitable, its result is the result of the chain.
template <awaitable A, class F>
COROPTX_HOST_DEVICE auto then(A work, F f);

/// An awaitable whose value is already there: awaiting it never suspends.
template <class T> class ready_awaitable {
public:
  COROPTX_HOST_DEVICE explicit ready_awaitable(T value) noexcept(
      std::is_nothrow_move_constructible_v<T>)
      : value_(std::move(value)) {}

  COROPTX_HOST_DEVICE bool await_ready() const noexcept { return true; }
  COROPTX_HOST_DEVICE void await_suspend(std::coroutine_handle<>) noexcept {}
  COROPTX_HOST_DEVICE T await_resume() noexcept { return std::move(value_); }

  template <class F> COROPTX_HOST_DEVICE auto then(F f) && {
    return coroptx::then(std::move(*this), std::move(f));
  }

private:
  T value_;
};

template <class T> COROPTX_HOST_DEVICE ready_awaitable<T> ready(T value) {
  return ready_awaitable<T>(std::move(value));
}

namespace detail {

/// What f yields once its own result, if awaitable, is awaited.
template <class F, class Arg> struct then_result {
  using call_result = std::invoke_result_t<F &, Arg>;
  using type = call_result;
};
template <class F, class Arg>
  requires awaitable<std::invoke_result_t<F &, Arg>>
struct then_result<F, Arg> {
  using type = await_result_t<std::invoke_result_t<F &, Arg>>;
};
template <class F> struct then_result<F, void> {
  using type = std::invoke_result_t<F &>;
};
template <class F>
  requires awaitable<std::invoke_result_t<F &>>
struct then_result<F, void> {
  using type = await_result_t<std::invoke_result_t<F &>>;
};

template <class R, class Callable>
COROPTX_HOST_DEVICE task<R> finish_then(Callable call) {
  if constexpr (awaitable<decltype(call())>) {
    if constexpr (std::is_void_v<R>)
      co_await call();
    else
      co_return co_await call();
  } else if constexpr (std::is_void_v<R>) {
    call();
  } else {
    co_return call();
  }
}

template <awaitable A, class F, class R>
COROPTX_HOST_DEVICE task<R> then_task(A work, F f) {
  if constexpr (std::is_void_v<await_result_t<A>>) {
    co_await std::move(work);
    if constexpr (std::is_void_v<R>)
      co_await finish_then<R>([&] { return f(); });
    else
      co_return co_await finish_then<R>([&] { return f(); });
  } else {
    auto value = co_await std::move(work);
    if constexpr (std::is_void_v<R>)
      co_await finish_then<R>([&] { return f(std::move(value)); });
    else
      co_return co_await finish_then<R>(
          [&] { return f(std::move(value)); });
  }
}

template <class T>
using value_or_unit_t = std::conditional_t<std::is_void_v<T>, unit, T>;

template <awaitable A>
COROPTX_HOST_DEVICE task<value_or_unit_t<await_result_t<A>>>
as_value(A work) {
  if constexpr (std::is_void_v<await_result_t<A>>) {
    co_await std::move(work);
    co_return unit{};
  } else {
    co_return co_await std::move(work);
  }
}

} // namespace detail

template <awaitable A, class F> COROPTX_HOST_DEVICE auto then(A work, F f) {
  using R = typename detail::then_result<F, await_result_t<A>>::type;
  return detail::then_task<A, F, R>(std::move(work), std::move(f));
}

template <class T>
template <class F>
COROPTX_HOST_DEVICE auto task<T>::then(F f) && {
  return coroptx::then(std::move(*this), std::move(f));
}

/// Awaits every awaitable, first to last, and yields all their results; a
/// void result shows as coroptx::unit.
template <awaitable... As>
COROPTX_HOST_DEVICE task<std::tuple<detail::value_or_unit_t<await_result_t<As>>...>>
when_all(As... works) {
  // A braced list evaluates left to right, so the awaits run in order.
  co_return std::tuple<detail::value_or_unit_t<await_result_t<As>>...>{
      co_await detail::as_value(std::move(works))...};
}

} // namespace coroptx

#endif // COROPTX_COMBINATORS_H
