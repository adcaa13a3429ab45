// <coroptx/awaitable.h> -*- C++ -*-
//
// The awaitable concept and the type an awaitable produces, as the runtime's
// drivers and combinators need them.
#ifndef COROPTX_AWAITABLE_H
#define COROPTX_AWAITABLE_H

#include <coroutine>
#include <type_traits>
#include <utility>

namespace coroptx {

/// A type that `co_await` accepts through the member protocol.
template <class A>
concept awaitable = requires(A &a, std::coroutine_handle<> h) {
  { a.await_ready() } -> std::convertible_to<bool>;
  a.await_suspend(h);
  a.await_resume();
};

/// What `co_await std::declval<A>()` produces.
template <class A>
using await_result_t = decltype(std::declval<A &>().await_resume());

/// The stand-in for `void` where a result must be a value (when_all).
struct unit {
  friend constexpr bool operator==(unit, unit) noexcept { return true; }
};

} // namespace coroptx

#endif // COROPTX_AWAITABLE_H
