// Test doubles shared by the runtime tests: a value that counts its
// lifetimes, and an awaitable that parks its awaiter for the test to resume.
#ifndef COROPTX_TEST_RUNTIME_SUPPORT_H
#define COROPTX_TEST_RUNTIME_SUPPORT_H

#include <coroutine>

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

} // namespace coroptx_test

#endif // COROPTX_TEST_RUNTIME_SUPPORT_H
