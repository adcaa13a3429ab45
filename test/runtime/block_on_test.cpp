// block_on: runs tasks, ready values and user awaitables that complete
// synchronously, and aborts rather than hang on one that never resumes.
#include <coroptx/coroptx.h>

#include "support.h"

#include <gtest/gtest.h>

#include <coroutine>
#include <memory>
#include <type_traits>

namespace {

using coroptx::block_on;
using coroptx::ready;
using coroptx::task;
using coroptx_test::counted;
using coroptx_test::lifetimes;

/// Completes inside await_suspend by declining to suspend after all.
struct declines_to_suspend {
  int value;
  int *suspends;

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<>) noexcept {
    ++*suspends;
    return false;
  }
  int await_resume() const noexcept { return value; }
};

/// Completes inside await_suspend by handing control straight back.
struct resumes_awaiter {
  int value;
  int *suspends;

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept {
    ++*suspends;
    return awaiter;
  }
  int await_resume() const noexcept { return value; }
};

/// Has no result; completes like declines_to_suspend.
struct sets_flag {
  bool *flag;

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<>) noexcept { return false; }
  void await_resume() const noexcept { *flag = true; }
};

/// Suspends, and nothing ever resumes it.
struct suspends_forever {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  int await_resume() const noexcept { return 0; }
};

/// Suspends by returning true from await_suspend; nothing resumes it.
struct suspends_forever_bool {
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<>) noexcept { return true; }
  int await_resume() const noexcept { return 0; }
};

task<int> answer() { co_return 42; }

task<void> set_flag(bool &flag) {
  flag = true;
  co_return;
}

TEST(BlockOn, ReturnsTheResultOfATask) { EXPECT_EQ(block_on(answer()), 42); }

TEST(BlockOn, RunsAVoidTask) {
  bool ran = false;
  static_assert(std::is_void_v<decltype(block_on(set_flag(ran)))>);
  block_on(set_flag(ran));
  EXPECT_TRUE(ran);
}

task<int> hold(counted c) { co_return c.value(); }

TEST(BlockOn, DestroysTheFrameOfTheTaskItRuns) {
  lifetimes record;
  EXPECT_EQ(block_on(hold(counted(record, 4))), 4);
  EXPECT_GT(record.constructed, 0);
  EXPECT_EQ(record.alive(), 0);
}

TEST(BlockOn, ReturnsTheValueOfAReadyAwaitable) {
  EXPECT_EQ(block_on(ready(2.5)), 2.5);
}

TEST(BlockOn, ReturnsAMoveOnlyValueOfAReadyAwaitable) {
  std::unique_ptr<int> p = block_on(ready(std::make_unique<int>(8)));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 8);
}

TEST(BlockOn, RunsAnAwaitableWhoseSuspendDeclines) {
  int suspends = 0;
  EXPECT_EQ(block_on(declines_to_suspend{5, &suspends}), 5);
  EXPECT_EQ(suspends, 1);
}

TEST(BlockOn, RunsAnAwaitableWhoseSuspendResumesTheAwaiter) {
  int suspends = 0;
  EXPECT_EQ(block_on(resumes_awaiter{6, &suspends}), 6);
  EXPECT_EQ(suspends, 1);
}

TEST(BlockOn, RunsAnAwaitableWithoutAResult) {
  bool flag = false;
  static_assert(std::is_void_v<decltype(block_on(sets_flag{&flag}))>);
  block_on(sets_flag{&flag});
  EXPECT_TRUE(flag);
}

task<int> await_synchronous(int &suspends) {
  int first = co_await declines_to_suspend{1, &suspends};
  int second = co_await resumes_awaiter{2, &suspends};
  co_return first + second;
}

TEST(BlockOn, RunsATaskThatAwaitsSynchronousAwaitables) {
  int suspends = 0;
  EXPECT_EQ(block_on(await_synchronous(suspends)), 3);
  EXPECT_EQ(suspends, 2);
}

task<int> await_forever() { co_return co_await suspends_forever{}; }

TEST(BlockOnDeathTest, AbortsOnAnAwaitableThatNeverResumes) {
  EXPECT_DEATH(block_on(suspends_forever{}), "");
}

TEST(BlockOnDeathTest, AbortsOnAnAwaitableWhoseSuspendReturnsTrue) {
  EXPECT_DEATH(block_on(suspends_forever_bool{}), "");
}

TEST(BlockOnDeathTest, AbortsOnATaskThatWaitsForever) {
  EXPECT_DEATH(block_on(await_forever()), "");
}

} // namespace
