// <coroptx/executor.h> -*- C++ -*-
//
// static_executor: runs up to Capacity jobs cooperatively on one thread, with
// no heap and no function pointers of its own. A job is a coroutine whose
// first parameter is the executor; its promise takes the frame from the
// executor's own storage (Capacity slots of SlotBytes, sized at compile time),
// so the frame never touches the heap. Resuming a job is h.resume() on a
// stored handle, which the coroptx passes turn into direct calls.
//
//   using executor = coroptx::static_executor<4>;
//   coroptx::job counter(executor &ex, int *count, const volatile int *go) {
//     co_await ex.wait_until([go] { return *go != 0; });
//     for (;;) { ++*count; co_await ex.sleep_for(1000); }
//   }
//   executor ex;
//   ex.spawn(counter(ex, &a));
//   ex.run(&stop_flag);     // until every job is done or *stop_flag != 0
//
// Jobs suspend only through the executor's awaitables (yield_now, sleep_for,
// wait_until),
// also from inside tasks they await: the executor resumes whatever coroutine
// suspended. run() destroys what is left when it stops, so every local's
// destructor runs.
#ifndef COROPTX_EXECUTOR_H
#define COROPTX_EXECUTOR_H

#include <coroptx/clock.h>
#include <coroptx/config.h>
#include <coroptx/task.h>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <new>

namespace coroptx {

/// A coroutine run by a static_executor: its first parameter is the
/// executor, whose storage holds the frame. Move-only; spawn() takes it.
class job {
public:
  struct promise_type {
    /// The frame comes from the executor passed as the first argument;
    /// nullptr when it has no free slot big enough.
    template <class Executor, class... Rest>
    COROPTX_HOST_DEVICE static void *operator new(std::size_t bytes,
                                                  Executor &ex,
                                                  Rest &...) noexcept {
      return ex.allocate_frame(bytes);
    }
    /// The executor reclaims the slot when the job ends.
    COROPTX_HOST_DEVICE static void operator delete(void *, std::size_t) noexcept {}

    COROPTX_HOST_DEVICE static job get_return_object_on_allocation_failure() noexcept {
      return job({});
    }
    COROPTX_HOST_DEVICE job get_return_object() noexcept {
      return job(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    COROPTX_HOST_DEVICE std::suspend_always initial_suspend() noexcept { return {}; }
    COROPTX_HOST_DEVICE std::suspend_always final_suspend() noexcept { return {}; }
    COROPTX_HOST_DEVICE void return_void() noexcept {}
    COROPTX_HOST_DEVICE void unhandled_exception() noexcept { COROPTX_TRAP(); }
  };

  COROPTX_HOST_DEVICE job(job &&other) noexcept : handle_(other.handle_) {
    other.handle_ = {};
  }
  job(const job &) = delete;
  COROPTX_HOST_DEVICE ~job() {
    if (handle_)
      handle_.destroy();
  }

  /// False when the executor had no room for the frame.
  COROPTX_HOST_DEVICE explicit operator bool() const noexcept {
    return static_cast<bool>(handle_);
  }
  COROPTX_HOST_DEVICE std::coroutine_handle<> release() noexcept {
    std::coroutine_handle<> h = handle_;
    handle_ = {};
    return h;
  }

private:
  COROPTX_HOST_DEVICE explicit job(std::coroutine_handle<promise_type> h) noexcept
      : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

/// How run() ended.
enum class run_status { all_done, stopped };

template <std::size_t Capacity, std::size_t SlotBytes = 256,
          class Clock = device_clock>
class static_executor {
  static_assert(Capacity > 0, "an executor runs at least one job");

public:
  COROPTX_HOST_DEVICE static_executor() noexcept {}
  static_executor(const static_executor &) = delete;
  COROPTX_HOST_DEVICE ~static_executor() { destroy_all(); }

  /// Takes \p work and schedules it; false if \p work could not get a frame
  /// (no free storage, or a frame larger than SlotBytes) or every one of the
  /// Capacity slots already runs a job.
  COROPTX_HOST_DEVICE bool spawn(job work) noexcept {
    if (!work)
      return false;
    for (slot &s : slots_)
      if (!s.handle) {
        s.handle = s.resume_point = work.release();
        s.wake_at = 0;
        ++live_;
        return true;
      }
    return false; // every slot runs a job; `work` is destroyed
  }

  /// Runs jobs round-robin until every job is done, or until *\p stop is
  /// nonzero (checked between resumptions; then every remaining job is
  /// destroyed). With no job ready it waits with exponential backoff, up to
  /// max_idle_wait_ns, for the next sleeper.
  COROPTX_HOST_DEVICE run_status run(const volatile int *stop = nullptr) noexcept {
    std::uint32_t backoff = min_idle_wait_ns;
    std::size_t next = 0;
    while (live_ != 0) {
      if (stop && *stop) {
        destroy_all();
        return run_status::stopped;
      }
      bool resumed = false;
      const std::uint64_t now = Clock::now_ns();
      for (std::size_t n = 0; n < Capacity; ++n) {
        std::size_t i = (next + n) % Capacity;
        slot &s = slots_[i];
        if (!s.handle || s.wake_at > now)
          continue;
        current_ = i;
        s.resume_point.resume();
        if (s.handle.done())
          finish(i);
        next = i + 1;
        resumed = true;
        break;
      }
      if (resumed) {
        backoff = min_idle_wait_ns;
      } else {
        Clock::sleep_ns(backoff);
        backoff = backoff < max_idle_wait_ns / 2 ? backoff * 2 : max_idle_wait_ns;
      }
    }
    return run_status::all_done;
  }

  /// Jobs spawned and not yet finished.
  COROPTX_HOST_DEVICE std::size_t live() const noexcept { return live_; }

  /// co_await ex.yield_now(): let the other ready jobs run first.
  COROPTX_HOST_DEVICE auto yield_now() noexcept { return sleeper{this, 0}; }
  /// co_await ex.sleep_for(ns): become ready again after \p ns nanoseconds.
  COROPTX_HOST_DEVICE auto sleep_for(std::uint64_t ns) noexcept {
    return sleeper{this, ns};
  }

  /// co_await ex.wait_until(pred): resume once pred() is true, checking it
  /// with an exponential backoff between min_idle_wait_ns and
  /// max_idle_wait_ns (pred reads a flag, an atomic, memory the host or
  /// another thread writes). Other jobs run meanwhile.
  template <class Predicate>
  COROPTX_HOST_DEVICE task<void> wait_until(Predicate pred) {
    std::uint64_t backoff = min_idle_wait_ns;
    while (!pred()) {
      co_await sleep_for(backoff);
      backoff = backoff < max_idle_wait_ns / 2 ? backoff * 2 : max_idle_wait_ns;
    }
  }

  /// For job::promise_type::operator new: a free block of frame storage, or
  /// nullptr. (Where the compiler can bound a job's lifetime by its caller,
  /// it places the frame there instead and never calls this.)
  COROPTX_HOST_DEVICE void *allocate_frame(std::size_t bytes) noexcept {
    if (bytes > SlotBytes)
      return nullptr;
    for (std::size_t i = 0; i < Capacity; ++i)
      if (!storage_taken_[i]) {
        storage_taken_[i] = true;
        return storage_[i];
      }
    return nullptr;
  }

  static constexpr std::uint32_t min_idle_wait_ns = 32;
  static constexpr std::uint32_t max_idle_wait_ns = 1u << 20;

private:
  struct slot {
    std::coroutine_handle<> handle;       // the job: done() and destroy()
    std::coroutine_handle<> resume_point; // what suspended: the job, or a
                                          // task it awaits, however deep
    std::uint64_t wake_at = 0;
  };

  struct sleeper {
    static_executor *ex;
    std::uint64_t ns;
    COROPTX_HOST_DEVICE bool await_ready() const noexcept { return false; }
    COROPTX_HOST_DEVICE void
    await_suspend(std::coroutine_handle<> suspended) const noexcept {
      slot &s = ex->slots_[ex->current_];
      s.resume_point = suspended;
      s.wake_at = ns ? Clock::now_ns() + ns : 0;
    }
    COROPTX_HOST_DEVICE void await_resume() const noexcept {}
  };

  /// Gives back the storage block of \p frame, if it has one here.
  COROPTX_HOST_DEVICE void release_storage(const void *frame) noexcept {
    for (std::size_t i = 0; i < Capacity; ++i)
      if (frame == storage_[i])
        storage_taken_[i] = false;
  }

  COROPTX_HOST_DEVICE void finish(std::size_t i) noexcept {
    const void *frame = slots_[i].handle.address();
    slots_[i].handle.destroy();
    slots_[i].handle = {};
    release_storage(frame);
    --live_;
  }

  COROPTX_HOST_DEVICE void destroy_all() noexcept {
    for (std::size_t i = 0; i < Capacity; ++i)
      if (slots_[i].handle)
        finish(i);
  }

  alignas(16) unsigned char storage_[Capacity][SlotBytes];
  bool storage_taken_[Capacity] = {};
  slot slots_[Capacity];
  std::size_t live_ = 0;
  std::size_t current_ = 0;
};

} // namespace coroptx

#endif // COROPTX_EXECUTOR_H
