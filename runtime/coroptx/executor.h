// <coroptx/executor.h> -*- C++ -*-
//
// Cooperative executors with no heap and no function pointers of their own:
//   static_executor<Capacity>  one thread runs its jobs alone
//   warp_executor<Capacity>    the threads of a warp schedule together
//   block_executor<Capacity>   the threads of a block schedule together
// Every thread owns its executor object and its jobs, Capacity at most. A
// job is a coroutine whose first parameter is the executor; its promise
// takes the frame from the executor's storage (Capacity slots of SlotBytes,
// sized at compile time), so the frame never touches the heap. Resuming a
// job is h.resume() on a stored handle, which the coroptx passes turn into
// direct calls.
//
//   using executor = coroptx::warp_executor<4>;
//   coroptx::job<int> parse(executor &ex, const volatile int *go) {
//     co_await ex.wait_until([go] { return *go != 0; });
//     co_await ex.sleep_for(1000);
//     co_return 42;
//   }
//   executor ex;                     // in every thread of the warp
//   auto parsed = ex.spawn(parse(ex, &go));
//   ex.run(&stop_flag);  // until every job is done or *stop_flag != 0
//   int value = parsed.get();
//
// One scheduler serves all three: it works in rounds, and at the start of
// each the group (<coroptx/scheduling_group.h>) unites every thread's bits
// into one decision: the slots some thread has ready (and whether a job is
// left, whether a stop was seen). The round then visits those slots in
// order; threads with a ready job in one resume it together, the others
// wait for them. One collective a round, not one a slot: on the GPU the
// collective, not the resume, was what a switch cost. run() ends when no
// thread has a job left, so every thread leaves it together and no
// collective ever waits on a thread that left.
//
// Up to 16 slots, every loop over them is unrolled, and a slot picked by a
// run-time index (a join handle's) is reached through a compare per slot: so
// each slot, and each job's frame in the storage, sits at a constant offset
// of the executor. An executor that is a local of the kernel then becomes
// SSA values in the coroptx passes, frames included, with no local memory.
//
// Jobs suspend only through the executor's awaitables (yield_now, sleep_for,
// wait_until, a join_handle), also from inside tasks they await: the
// executor resumes whatever coroutine suspended. run() destroys the jobs
// still running when it stops, so every local's destructor runs.
#ifndef COROPTX_EXECUTOR_H
#define COROPTX_EXECUTOR_H

#include <coroptx/clock.h>
#include <coroptx/config.h>
#include <coroptx/join_handle.h>
#include <coroptx/scheduling_group.h>
#include <coroptx/task.h>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace coroptx {

template <class T = void> class job;

namespace detail {

/// Called, and so warned about at compile time, where a job's frame is
/// known to be larger than the executor's slots: every spawn of that job
/// then fails. On the GPU a job's frame also holds the frames of the tasks
/// it awaits, so it is often larger there than on the CPU.
[[gnu::noinline, gnu::warning(
    "coroptx: this job's frame is larger than the executor's SlotBytes, so "
    "spawning it always fails; raise SlotBytes (on the GPU a job's frame "
    "also holds the frames of the tasks it awaits)")]] COROPTX_HOST_DEVICE inline void
job_frame_exceeds_slot() noexcept {
  asm volatile(""); // a side effect, so that the call stays to be warned of
}

/// What every job promise shares: the frame from the executor, a lazy
/// start, and a final suspension that leaves the result for the executor.
template <class T> class job_promise_base {
public:
  /// Runs right after operator new, with the same arguments: takes the
  /// executor's flag of the storage block it gave, if it gave one.
  template <class Executor, class... Rest>
  COROPTX_HOST_DEVICE explicit job_promise_base(Executor &ex,
                                                Rest &...) noexcept
      : storage_taken_(ex.take_allocation_flag()) {}

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

  COROPTX_HOST_DEVICE static job<T> get_return_object_on_allocation_failure() noexcept {
    return job<T>({});
  }
  COROPTX_HOST_DEVICE std::suspend_always initial_suspend() noexcept { return {}; }
  COROPTX_HOST_DEVICE std::suspend_always final_suspend() noexcept { return {}; }
  COROPTX_HOST_DEVICE void unhandled_exception() noexcept { COROPTX_TRAP(); }

  /// The executor's flag that the frame's storage block is taken; null if
  /// the compiler placed the frame elsewhere.
  COROPTX_HOST_DEVICE bool *storage_taken() const noexcept {
    return storage_taken_;
  }

private:
  bool *storage_taken_;
};

template <class T> class job_promise : public job_promise_base<T> {
public:
  using job_promise_base<T>::job_promise_base;
  COROPTX_HOST_DEVICE job<T> get_return_object() noexcept;

  // U defaults to T so that `co_return {...};` names T's constructor.
  template <class U = T>
    requires std::is_convertible_v<U &&, T>
  COROPTX_HOST_DEVICE void return_value(U &&value) noexcept(
      std::is_nothrow_constructible_v<T, U &&>) {
    result_.emplace(std::forward<U>(value));
  }

  COROPTX_HOST_DEVICE T take() noexcept { return std::move(*result_); }

private:
  std::optional<T> result_;
};

template <> class job_promise<void> : public job_promise_base<void> {
public:
  using job_promise_base<void>::job_promise_base;
  COROPTX_HOST_DEVICE job<void> get_return_object() noexcept;
  COROPTX_HOST_DEVICE void return_void() noexcept {}
  COROPTX_HOST_DEVICE void take() noexcept {}
};

} // namespace detail

/// A coroutine run by an executor, producing a T (nothing for void): its
/// first parameter is the executor, whose storage holds the frame.
/// Move-only; spawn() takes it.
template <class T> class job {
public:
  using promise_type = detail::job_promise<T>;
  using value_type = T;

  COROPTX_HOST_DEVICE job(job &&other) noexcept
      : handle_(std::exchange(other.handle_, {})),
        storage_taken_(other.storage_taken_) {}
  job(const job &) = delete;
  /// A job never spawned: its frame goes, and its storage block back to
  /// the executor.
  COROPTX_HOST_DEVICE ~job() {
    if (!handle_)
      return;
    handle_.destroy();
    if (storage_taken_)
      *storage_taken_ = false;
  }

  /// False when the executor had no room for the frame.
  COROPTX_HOST_DEVICE explicit operator bool() const noexcept {
    return static_cast<bool>(handle_);
  }
  COROPTX_HOST_DEVICE std::coroutine_handle<> release() noexcept {
    return std::exchange(handle_, {});
  }

private:
  friend promise_type;
  friend detail::job_promise_base<T>;
  COROPTX_HOST_DEVICE explicit job(
      std::coroutine_handle<promise_type> h) noexcept
      : handle_(h), storage_taken_(h ? h.promise().storage_taken() : nullptr) {}
  std::coroutine_handle<promise_type> handle_;
  bool *storage_taken_; // the executor's flag for the frame's storage block
};

namespace detail {
template <class T>
COROPTX_HOST_DEVICE job<T> job_promise<T>::get_return_object() noexcept {
  return job<T>(std::coroutine_handle<job_promise>::from_promise(*this));
}
COROPTX_HOST_DEVICE inline job<void>
job_promise<void>::get_return_object() noexcept {
  return job<void>(std::coroutine_handle<job_promise>::from_promise(*this));
}
} // namespace detail

/// How run() ended.
enum class run_status { all_done, stopped };

/// The executor of one thread, whose scheduling decisions Group takes
/// together with the other threads of the group. Use the aliases below.
template <class Group, std::size_t Capacity, std::size_t SlotBytes,
          class Clock>
class basic_executor {
  static_assert(Capacity > 0, "an executor runs at least one job");
  static_assert(Capacity <= 30,
                "a round's decision holds a bit per slot and two flags in 32 "
                "bits: at most 30 jobs per thread");

public:
  COROPTX_HOST_DEVICE basic_executor() noexcept {}
  basic_executor(const basic_executor &) = delete;
  COROPTX_HOST_DEVICE ~basic_executor() {
    COROPTX_UNROLL(unrolled_slots)
    for (std::uint32_t i = 0; i < Capacity; ++i)
      if (slots_[i].job)
        free_slot(slots_[i]);
  }

  /// Takes \p work and schedules it. The handle is empty if \p work could
  /// not get a frame (no free storage, or a frame larger than SlotBytes) or
  /// every one of the Capacity slots holds a job; then `work` is destroyed.
  /// A finished job keeps its slot until its handle takes the result or is
  /// dropped.
  template <class T>
  COROPTX_HOST_DEVICE join_handle<T, basic_executor> spawn(job<T> work) noexcept {
    if (!work)
      return {};
    reclaim_detached();
    COROPTX_UNROLL(unrolled_slots)
    for (std::uint32_t i = 0; i < Capacity; ++i) {
      slot &s = slots_[i];
      if (s.job)
        continue;
      s.job = s.resume_point = work.release();
      s.wake_at = 0;
      s.watcher = no_slot;
      s.finished = false;
      s.joinable = true;
      ++live_;
      return join_handle<T, basic_executor>(this, i, s.generation);
    }
    // No slot, although the frame got storage (the other slots hold jobs
    // whose frames the compiler placed elsewhere): the frame goes, and its
    // storage block with it, which the promise's no-op delete cannot do.
    const std::coroutine_handle<> refused = work.release();
    refused.destroy();
    release_storage(refused.address());
    return {};
  }

  /// Runs jobs until no thread of the group has one left, or until *\p stop
  /// is nonzero (checked at the start of each round; then every thread
  /// destroys its running jobs). Each round resumes, in slot order, the
  /// jobs that were ready when it started: a job woken or made ready during
  /// a round runs in the next one. When no job is ready anywhere in the
  /// group, it waits with exponential backoff, up to max_idle_wait_ns, for
  /// the next sleeper. Every thread of the group calls run() and all of them
  /// return the same status.
  COROPTX_HOST_DEVICE run_status run(const volatile int *stop = nullptr) noexcept {
    Group group;
    std::uint32_t backoff = min_idle_wait_ns;
    for (;;) {
      // Once a round, not at every slot: unrolled, the round holds one
      // copy of what the loop body calls per slot.
      reclaim_detached();
      const std::uint64_t now = Clock::now_ns();
      const std::uint32_t mine = round_bits(now, stop);
      const std::uint32_t round = group.any(mine, round_bits_used);
      if (round & stop_bit) {
        destroy_running();
        return run_status::stopped;
      }
      if (!(round & live_bit))
        return run_status::all_done;
      if (!(round & ready_bits)) {
        // Nothing ready anywhere: wait for a sleeper. Jobs that all wait
        // for each other to end never wake: a cycle of joins. Stop as
        // loudly as block_on does.
        if (!will_wake())
          COROPTX_TRAP();
        Clock::sleep_ns(backoff);
        backoff =
            backoff < max_idle_wait_ns / 2 ? backoff * 2 : max_idle_wait_ns;
        continue;
      }
      backoff = min_idle_wait_ns;
      // A slot runs where this thread's own bits had it ready, not where a
      // second look finds it ready: that look was a 64-bit compare of the
      // wake time per slot and round (at 16 jobs a round took 13% longer
      // with it on the H200). A job with its bit still runs when
      // its turn comes, as only its own resume puts it to sleep or ends it;
      // running() tells the compiler that the slot holds its job there.
      COROPTX_UNROLL(unrolled_slots)
      for (std::uint32_t i = 0; i < Capacity; ++i)
        if ((round >> i) & (mine >> i) & 1u && running(slots_[i]))
          resume(i);
    }
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

  /// For the job promise's operator new: a free block of frame storage, or
  /// nullptr. (Where the compiler can bound a job's lifetime by its caller,
  /// it places the frame there instead and never calls this.)
  COROPTX_HOST_DEVICE void *allocate_frame(std::size_t bytes) noexcept {
    if (bytes > SlotBytes) {
      if (__builtin_constant_p(bytes))
        detail::job_frame_exceeds_slot();
      return nullptr;
    }
    reclaim_detached();
    COROPTX_UNROLL(unrolled_slots)
    for (std::size_t i = 0; i < Capacity; ++i)
      if (!storage_taken_[i]) {
        storage_taken_[i] = true;
        just_allocated_ = &storage_taken_[i];
        return storage_[i];
      }
    return nullptr;
  }

  /// For the job promise's constructor, right after allocate_frame: the
  /// flag of the block it gave, or null if it gave none since the last call
  /// (the compiler placed the frame elsewhere, and operator new never ran).
  COROPTX_HOST_DEVICE bool *take_allocation_flag() noexcept {
    return std::exchange(just_allocated_, nullptr);
  }

  static constexpr std::uint32_t min_idle_wait_ns = 32;
  static constexpr std::uint32_t max_idle_wait_ns = 1u << 20;

private:
  template <class, class> friend class join_handle;
  template <class, class, std::size_t> friend class when_any_awaiter;

  static constexpr std::uint32_t no_slot = ~std::uint32_t{0};
  /// How many times the loops over the slots unroll: fully, up to 16 slots.
  static constexpr std::uint32_t unrolled_slots = Capacity <= 16 ? Capacity : 1;
  static constexpr std::uint64_t never = ~std::uint64_t{0};

  // A round's decision, the union of every thread's bits: the slots some
  // thread has ready, whether some thread still has a job, and whether some
  // thread with a job sees the stop flag.
  static constexpr std::uint32_t ready_bits = (1u << Capacity) - 1;
  static constexpr std::uint32_t live_bit = 1u << 30;
  static constexpr std::uint32_t stop_bit = 1u << 31;
  static constexpr std::uint32_t round_bits_used =
      ready_bits | live_bit | stop_bit;

  struct slot {
    std::coroutine_handle<> job;          // done() and destroy(); null: free
    std::coroutine_handle<> resume_point; // what suspended: the job, or a
                                          // task it awaits, however deep
    std::uint64_t wake_at = 0;            // never: parked until woken
    std::uint32_t generation = 0;   // counts the jobs this slot has held
    std::uint32_t finish_order = 0; // the executor's finishes before this one
    std::uint32_t watcher = no_slot; // the job to wake when this one ends
    bool finished = false;          // ended; the frame holds the result
    bool joinable = false;          // a join_handle still refers to it
  };

  struct sleeper {
    basic_executor *ex;
    std::uint64_t ns;
    COROPTX_HOST_DEVICE bool await_ready() const noexcept { return false; }
    COROPTX_HOST_DEVICE void
    await_suspend(std::coroutine_handle<> suspended) const noexcept {
      ex->suspend_current_job(suspended, ns ? Clock::now_ns() + ns : 0);
    }
    COROPTX_HOST_DEVICE void await_resume() const noexcept {}
  };

  COROPTX_HOST_DEVICE static bool running(const slot &s) noexcept {
    return s.job && !s.finished;
  }
  COROPTX_HOST_DEVICE static bool ready(const slot &s,
                                        std::uint64_t now) noexcept {
    return running(s) && s.wake_at <= now;
  }

  /// This thread's part of a round's decision: a bit per slot whose job is
  /// ready at \p now, live_bit while a job is left, and stop_bit if *stop is
  /// set while a job is left.
  COROPTX_HOST_DEVICE std::uint32_t
  round_bits(std::uint64_t now, const volatile int *stop) const noexcept {
    if (live_ == 0)
      return 0;
    std::uint32_t bits = live_bit;
    if (stop && *stop)
      bits |= stop_bit;
    COROPTX_UNROLL(unrolled_slots)
    for (std::uint32_t i = 0; i < Capacity; ++i)
      if (ready(slots_[i], now))
        bits |= 1u << i;
    return bits;
  }

  /// Whether some job of this thread sleeps, rather than waits for another
  /// of its jobs to end.
  COROPTX_HOST_DEVICE bool will_wake() const noexcept {
    bool wakes = false;
    COROPTX_UNROLL(unrolled_slots)
    for (std::uint32_t i = 0; i < Capacity; ++i)
      wakes = wakes || (running(slots_[i]) && slots_[i].wake_at != never);
    return wakes || live_ == 0;
  }

  /// \p f(slots_[\p i]), with the slot at a constant offset: up to 16 slots,
  /// one compare per slot picks it (the last one needs none).
  template <class F>
  COROPTX_HOST_DEVICE decltype(auto) with_slot(std::uint32_t i, F &&f) noexcept {
    if constexpr (unrolled_slots == Capacity) {
      COROPTX_UNROLL(unrolled_slots)
      for (std::uint32_t j = 0; j + 1 < Capacity; ++j)
        if (j == i)
          return f(slots_[j]);
      return f(slots_[Capacity - 1]);
    } else {
      return f(slots_[i]);
    }
  }
  template <class F>
  COROPTX_HOST_DEVICE decltype(auto) with_slot(std::uint32_t i,
                                               F &&f) const noexcept {
    return const_cast<basic_executor *>(this)->with_slot(
        i, [&](const slot &s) -> decltype(auto) { return f(s); });
  }

  /// Wakes the job of slot \p i, if any is there.
  COROPTX_HOST_DEVICE void wake(std::uint32_t i) noexcept {
    if (i != no_slot)
      with_slot(i, [](slot &s) { s.wake_at = 0; });
  }

  /// The job running now suspends at \p suspended until \p wake_at; resume()
  /// writes it into the job's slot.
  COROPTX_HOST_DEVICE void suspend_current_job(std::coroutine_handle<> suspended,
                                               std::uint64_t wake_at) noexcept {
    suspended_ = suspended;
    suspended_until_ = wake_at;
  }

  COROPTX_HOST_DEVICE void resume(std::uint32_t i) noexcept {
    slot &s = slots_[i];
    current_ = i;
    // What suspends writes here. Starting from the slot's own resume point
    // keeps another slot's from ever reaching this one on any path, which
    // lets the compiler see that each slot only ever resumes its own frame.
    suspended_ = s.resume_point;
    s.resume_point.resume();
    if (!s.job.done()) {
      s.resume_point = suspended_;
      s.wake_at = suspended_until_;
      return;
    }
    --live_;
    wake(s.watcher);
    s.watcher = no_slot;
    if (s.joinable) {
      s.finished = true;
      s.finish_order = finishes_++;
    } else {
      free_slot(s);
    }
  }

  /// Destroys the job of slot \p i, finished or not. A job that waited for
  /// this one wakes up to find it gone. The frame may hold join handles to
  /// other slots; their destructors only mark those slots (see detach), so
  /// destroying a frame never destroys another one. That keeps the device
  /// call graph free of recursion, which lets ptxas size the stack: with a
  /// recursive destroy the kernel would get the 1 KiB default stack, less
  /// than an executor's own storage.
  COROPTX_HOST_DEVICE void free_slot(slot &s) noexcept {
    wake(s.watcher);
    const std::coroutine_handle<> frame = s.job;
    s.job = {};
    s.finished = false;
    s.joinable = false;
    s.watcher = no_slot;
    ++s.generation;
    frame.destroy();
    release_storage(frame.address());
  }

  COROPTX_HOST_DEVICE void destroy_running() noexcept {
    COROPTX_UNROLL(unrolled_slots)
    for (std::uint32_t i = 0; i < Capacity; ++i)
      if (running(slots_[i])) {
        --live_;
        free_slot(slots_[i]);
      }
  }

  /// Gives back the storage block of \p frame, if it has one here.
  COROPTX_HOST_DEVICE void release_storage(const void *frame) noexcept {
    COROPTX_UNROLL(unrolled_slots)
    for (std::size_t i = 0; i < Capacity; ++i)
      if (frame == storage_[i])
        storage_taken_[i] = false;
  }

  // What join_handle and when_any ask of the executor. A (slot, generation)
  // pair names one job: once its slot is freed, the pair matches nothing.
  COROPTX_HOST_DEVICE static bool names_job(const slot &s,
                                            std::uint32_t generation) noexcept {
    return s.job && s.generation == generation;
  }
  COROPTX_HOST_DEVICE bool names_job(std::uint32_t i,
                                     std::uint32_t generation) const noexcept {
    return with_slot(i, [&](const slot &s) { return names_job(s, generation); });
  }
  COROPTX_HOST_DEVICE bool job_running(std::uint32_t i,
                                       std::uint32_t generation) const noexcept {
    return with_slot(i, [&](const slot &s) {
      return names_job(s, generation) && !s.finished;
    });
  }
  COROPTX_HOST_DEVICE bool job_finished(std::uint32_t i,
                                        std::uint32_t generation) const noexcept {
    return with_slot(i, [&](const slot &s) {
      return names_job(s, generation) && s.finished;
    });
  }
  COROPTX_HOST_DEVICE std::uint32_t finish_order(std::uint32_t i) const noexcept {
    return with_slot(i, [](const slot &s) { return s.finish_order; });
  }

  /// The result of finished slot \p i; frees the slot.
  template <class T> COROPTX_HOST_DEVICE T take_result(std::uint32_t i) noexcept {
    return with_slot(i, [&](slot &s) -> T {
      if constexpr (std::is_void_v<T>) {
        free_slot(s);
      } else {
        T result = std::coroutine_handle<detail::job_promise<T>>::from_address(
                       s.job.address())
                       .promise()
                       .take();
        free_slot(s);
        return result;
      }
    });
  }

  /// The handle is gone: a running job's slot is freed as soon as it ends,
  /// a finished one's at the executor's next step (run, spawn, or a frame
  /// allocation), since a handle may die inside a frame being destroyed.
  COROPTX_HOST_DEVICE void detach(std::uint32_t i,
                                  std::uint32_t generation) noexcept {
    with_slot(i, [&](slot &s) {
      if (!names_job(s, generation))
        return;
      s.joinable = false;
      s.watcher = no_slot;
      if (s.finished)
        detached_finished_ = true;
    });
  }

  /// Frees the slots of finished jobs whose handles are gone. Always
  /// inlined: a call given the executor's address would keep it, frames
  /// included, in local memory.
  [[gnu::always_inline]] COROPTX_HOST_DEVICE void reclaim_detached() noexcept {
    // A freed frame may hold handles of more finished jobs: go round again.
    while (detached_finished_) {
      detached_finished_ = false;
      COROPTX_UNROLL(unrolled_slots)
      for (std::uint32_t i = 0; i < Capacity; ++i)
        if (slots_[i].job && slots_[i].finished && !slots_[i].joinable)
          free_slot(slots_[i]);
    }
  }

  /// Wakes the job running now when job (\p i, \p generation) ends. One job
  /// at a time waits for a given job; a second one is a bug, and traps.
  COROPTX_HOST_DEVICE void watch(std::uint32_t i,
                                 std::uint32_t generation) noexcept {
    with_slot(i, [&](slot &s) {
      if (!names_job(s, generation) || s.finished)
        return;
      if (s.watcher != no_slot && s.watcher != current_)
        COROPTX_TRAP();
      s.watcher = current_;
    });
  }
  COROPTX_HOST_DEVICE void unwatch(std::uint32_t i,
                                   std::uint32_t generation) noexcept {
    with_slot(i, [&](slot &s) {
      if (names_job(s, generation) && s.watcher == current_)
        s.watcher = no_slot;
    });
  }

  /// Suspends the job running now until a job it watches ends.
  COROPTX_HOST_DEVICE void
  park_current_job(std::coroutine_handle<> suspended) noexcept {
    suspend_current_job(suspended, never);
  }

  alignas(16) unsigned char storage_[Capacity][SlotBytes];
  bool storage_taken_[Capacity] = {};
  slot slots_[Capacity];
  std::size_t live_ = 0;
  std::uint32_t current_ = 0;
  std::coroutine_handle<> suspended_;  // where the job running now suspended,
  std::uint64_t suspended_until_ = 0;  // and until when (resume() keeps both)
  std::uint32_t finishes_ = 0;
  bool detached_finished_ = false; // a finished job awaits reclaim_detached
  bool *just_allocated_ = nullptr; // see take_allocation_flag
};

/// Runs up to Capacity jobs on the calling thread alone.
template <std::size_t Capacity, std::size_t SlotBytes = 256,
          class Clock = device_clock>
using static_executor = basic_executor<thread_group, Capacity, SlotBytes, Clock>;

/// Each thread of a warp runs up to Capacity jobs of its own; the threads
/// that call run() together take every scheduling decision together.
template <std::size_t Capacity, std::size_t SlotBytes = 256,
          class Clock = device_clock>
using warp_executor = basic_executor<warp_group, Capacity, SlotBytes, Clock>;

/// Each thread of a block runs up to Capacity jobs of its own; every thread
/// of the block must call run(), and they take every decision together.
template <std::size_t Capacity, std::size_t SlotBytes = 256,
          class Clock = device_clock>
using block_executor = basic_executor<block_group, Capacity, SlotBytes, Clock>;

} // namespace coroptx

#endif // COROPTX_EXECUTOR_H
