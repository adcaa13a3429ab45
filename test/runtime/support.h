// Test doubles shared by the runtime tests: a value that counts its
// lifetimes, an awaitable that parks its awaiter for the test to resume, and
// a clock for the executors that moves only when they wait.
#ifndef COROPTX_TEST_RUNTIME_SUPPORT_H
#define COROPTX_TEST_RUNTIME_SUPPORT_H

#include <coroutine>
#include <cstdint>

namespace coroptx_test {

/// How many counted objects were constructed (in any way) and destroyed.
struct lifetimes {
  int constructed = 0;
  int destroyed = 0;
  int alive() const { return constructed - destroyed; }
};

/// A move-only value that records every construction and destruction in a
/// lifetimes: one destroyed twice, or never, leaves alive() != 0.
class counted {
public:
  counted(lifetimes &record, int value) : record_(&record), value_(value) {
    ++record_->constructed;
  }
  counted(counted &&other) noexcept
      : record_(other.record_), value_(other.value_) {
    ++record_->constructed;
  }
  ~counted() { ++record_->destroyed; }

  int value() const { return value_; }

private:
  lifetimes *record_;
  int value_;
};

/// Suspends the awaiting coroutine and leaves its handle in `slot`: the
/// coroutine goes on only when the test resumes it.
struct park {
  std::coroutine_handle<> &slot;

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiter) noexcept {
    slot = awaiter;
  }
  void await_resume() const noexcept {}
};

/// The executors' Clock: time moves only when an executor waits, so every
/// schedule is deterministic. Each thread has its own time (the lock-step
/// group tests run one executor per thread); reset() at the start of a test.
struct fake_clock {
  static inline thread_local std::uint64_t now = 0;
  static inline thread_local std::uint64_t slept = 0;
  static void reset() { now = slept = 0; }
  static std::uint64_t now_ns() { return now; }
  static void sleep_ns(std::uint32_t ns) {
    now += ns;
    slept += ns;
  }
};

} // namespace coroptx_test

#endif // COROPTX_TEST_RUNTIME_SUPPORT_H
