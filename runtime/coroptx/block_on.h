// <coroptx/block_on.h> -*- C++ -*-
//
// block_on(awaitable): runs an awaitable to completion on the calling thread,
// from __global__, __device__ or host code, and returns its result. It is
// the bridge from ordinary code into coroutines, like Rust's block_on.
//
// There is no executor behind it: everything awaited must finish by running
// (tasks, ready values, combinators). An awaitable that suspends to wait for
// something else would never be resumed on this thread; block_on stops the
// thread with a trap rather than spin forever. Use an executor for that.
#ifndef COROPTX_BLOCK_ON_H
#define COROPTX_BLOCK_ON_H

#include <coroptx/awaitable.h>
#include <coroptx/config.h>
#include <coroptx/task.h>

namespace coroptx {

/// Runs \p work until it returns, and yields its result.
template <class T> COROPTX_HOST_DEVICE T block_on(task<T> work) {
  std::coroutine_handle<typename task<T>::promise_type> h = work.handle();
  h.resume();
  if (!h.done())
    COROPTX_TRAP();
  return h.promise().take();
}

namespace detail {
template <awaitable A>
COROPTX_HOST_DEVICE task<await_result_t<A>> drive(A work) {
  co_return co_await std::move(work);
}
template <awaitable A>
  requires std::is_void_v<await_result_t<A>>
COROPTX_HOST_DEVICE task<void> drive(A work) {
  co_await std::move(work);
}
} // namespace detail

/// Runs any awaitable (a ready value, a combinator, a user type) to its end.
template <awaitable A> COROPTX_HOST_DEVICE await_result_t<A> block_on(A work) {
  return block_on(detail::drive(std::move(work)));
}

} // namespace coroptx

#endif // COROPTX_BLOCK_ON_H
