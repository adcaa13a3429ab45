// <coroptx/join_handle.h> -*- C++ -*-
//
// join_handle<T, Executor>: what spawn() returns, the way to a spawned job's
// result. The result stays in the job's promise, inside the executor's own
// frame storage, until the handle takes it: with co_await from another job
// of the same executor, or with get() once run() has returned. Dropping the
// handle detaches the job; the executor then frees its slot as soon as the
// job ends.
//
//   auto a = ex.spawn(parse(ex, 0)), b = ex.spawn(parse(ex, 1));
//   // in another job of ex:
//   int first = co_await a;
//   auto [which, value] = co_await coroptx::when_any(a, b);
//   auto [x, y] = co_await coroptx::when_all(std::move(a), std::move(b));
//   // or after ex.run() returned run_status::all_done:
//   int on_host = a.get();
//
// when_all is the general combinator of <coroptx/combinators.h>: a
// join_handle is an awaitable like any other.
#ifndef COROPTX_JOIN_HANDLE_H
#define COROPTX_JOIN_HANDLE_H

#include <coroptx/config.h>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace coroptx {

template <class T, class Executor> class join_handle;
template <class T, class Executor, std::size_t N> class when_any_awaiter;

/// The handle of a spawned job that produces a T (nothing for void). Move-only.
template <class T, class Executor> class join_handle {
public:
  using value_type = T;

  /// A handle to no job, as spawn() returns when it failed.
  COROPTX_HOST_DEVICE join_handle() noexcept {}
  COROPTX_HOST_DEVICE join_handle(join_handle &&other) noexcept
      : executor_(other.executor_), slot_(other.slot_),
        generation_(other.generation_) {
    other.executor_ = nullptr;
  }
  COROPTX_HOST_DEVICE join_handle &operator=(join_handle &&other) noexcept {
    if (this != &other) {
      detach();
      executor_ = other.executor_;
      slot_ = other.slot_;
      generation_ = other.generation_;
      other.executor_ = nullptr;
    }
    return *this;
  }
  join_handle(const join_handle &) = delete;
  join_handle &operator=(const join_handle &) = delete;
  COROPTX_HOST_DEVICE ~join_handle() { detach(); }

  /// False when spawn() failed, and once the result has been taken.
  COROPTX_HOST_DEVICE explicit operator bool() const noexcept {
    return executor_ != nullptr;
  }

  /// True when the job has finished and its result waits in this handle.
  /// Stays false for a job that run() destroyed on a stop.
  COROPTX_HOST_DEVICE bool ready() const noexcept {
    return executor_ && executor_->job_finished(slot_, generation_);
  }

  /// Takes the result of a ready() job and frees its slot. Anything else is
  /// a bug in the caller, and traps.
  COROPTX_HOST_DEVICE T get() noexcept {
    if (!ready())
      COROPTX_TRAP();
    Executor *executor = executor_;
    executor_ = nullptr;
    return executor->template take_result<T>(slot_);
  }

  // co_await handle, from a job of the same executor (or a task it awaits):
  // parks that job until this one ends, then takes the result. A handle
  // whose job is gone (never spawned, or destroyed) does not suspend, and
  // traps in get().
  COROPTX_HOST_DEVICE bool await_ready() const noexcept {
    return !executor_ || !executor_->job_running(slot_, generation_);
  }
  COROPTX_HOST_DEVICE void
  await_suspend(std::coroutine_handle<> waiting) noexcept {
    watch();
    executor_->park_current_job(waiting);
  }
  COROPTX_HOST_DEVICE T await_resume() noexcept { return get(); }

private:
  template <class, class, std::size_t> friend class when_any_awaiter;
  friend Executor;

  COROPTX_HOST_DEVICE join_handle(Executor *executor, std::uint32_t slot,
                                  std::uint32_t generation) noexcept
      : executor_(executor), slot_(slot), generation_(generation) {}

  /// Wake the job running now when this one ends.
  COROPTX_HOST_DEVICE void watch() noexcept {
    executor_->watch(slot_, generation_);
  }
  COROPTX_HOST_DEVICE void unwatch() noexcept {
    if (executor_)
      executor_->unwatch(slot_, generation_);
  }
  /// When the job finished: its place among the executor's finishes.
  COROPTX_HOST_DEVICE std::uint32_t finish_order() const noexcept {
    return executor_->finish_order(slot_);
  }

  COROPTX_HOST_DEVICE void detach() noexcept {
    if (executor_)
      executor_->detach(slot_, generation_);
    executor_ = nullptr;
  }

  Executor *executor_ = nullptr;
  std::uint32_t slot_ = 0;
  std::uint32_t generation_ = 0;
};

/// What when_any yields: which handle's job finished first, and its result.
template <class T> struct when_any_result {
  std::size_t index;
  T value;
};
template <> struct when_any_result<void> {
  std::size_t index;
};

/// The awaitable when_any returns: parks the awaiting job until one of the
/// handles' jobs has finished, then takes the result of the job that
/// finished first. The other handles keep their jobs.
template <class T, class Executor, std::size_t N> class when_any_awaiter {
  static_assert(N > 0, "when_any waits for at least one job");

public:
  template <class... Handles>
    requires(sizeof...(Handles) == N &&
             (std::is_same_v<Handles, join_handle<T, Executor>> && ...))
  COROPTX_HOST_DEVICE explicit when_any_awaiter(Handles &...handles) noexcept
      : handles_{&handles...} {}
  COROPTX_HOST_DEVICE explicit when_any_awaiter(
      join_handle<T, Executor> (&handles)[N]) noexcept {
    for (std::size_t i = 0; i < N; ++i)
      handles_[i] = &handles[i];
  }

  COROPTX_HOST_DEVICE bool await_ready() const noexcept {
    for (join_handle<T, Executor> *handle : handles_)
      if (handle->await_ready())
        return true;
    return false;
  }
  COROPTX_HOST_DEVICE void
  await_suspend(std::coroutine_handle<> waiting) noexcept {
    for (join_handle<T, Executor> *handle : handles_)
      handle->watch();
    handles_[0]->executor_->park_current_job(waiting);
  }
  COROPTX_HOST_DEVICE when_any_result<T> await_resume() noexcept {
    std::size_t first = N;
    for (std::size_t i = 0; i < N; ++i) {
      join_handle<T, Executor> &handle = *handles_[i];
      handle.unwatch();
      if (!handle.ready())
        continue;
      if (first == N ||
          handle.finish_order() < handles_[first]->finish_order())
        first = i;
    }
    // No job finished: one was never spawned or was destroyed; get() traps.
    if (first == N)
      first = 0;
    if constexpr (std::is_void_v<T>) {
      handles_[first]->get();
      return {first};
    } else {
      return {first, handles_[first]->get()};
    }
  }

private:
  join_handle<T, Executor> *handles_[N];
};

/// co_await when_any(a, b, ...): the index and the result of whichever of
/// the handles' jobs finished first (all produce the same T). The handles
/// stay with the caller; the winner's is empty afterwards.
template <class T, class Executor, class... More>
  requires(std::is_same_v<More, join_handle<T, Executor>> && ...)
COROPTX_HOST_DEVICE when_any_awaiter<T, Executor, 1 + sizeof...(More)>
when_any(join_handle<T, Executor> &first, More &...more) noexcept {
  return when_any_awaiter<T, Executor, 1 + sizeof...(More)>(first, more...);
}

/// co_await when_any(handles): the same over an array of handles.
template <class T, class Executor, std::size_t N>
COROPTX_HOST_DEVICE when_any_awaiter<T, Executor, N>
when_any(join_handle<T, Executor> (&handles)[N]) noexcept {
  return when_any_awaiter<T, Executor, N>(handles);
}

} // namespace coroptx

#endif // COROPTX_JOIN_HANDLE_H
