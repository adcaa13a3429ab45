// task<T>: lazy start, results, symmetric transfer, moves, and the lifetimes
// of results, parameters and locals.
#include <coroptx/coroptx.h>

#include "support.h"

#include <gtest/gtest.h>

#include <coroutine>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using coroptx::block_on;
using coroptx::task;
using coroptx_test::counted;
using coroptx_test::lifetimes;
using coroptx_test::park;

task<int> answer() { co_return 42; }

task<void> set_flag(bool &flag) {
  flag = true;
  co_return;
}

TEST(Task, BodyDoesNotRunUntilDriven) {
  bool ran = false;
  task<void> t = set_flag(ran);
  EXPECT_FALSE(ran);
  EXPECT_FALSE(t.done());
  block_on(std::move(t));
  EXPECT_TRUE(ran);
}

task<void> create_then_await(bool &ran, bool &ran_before_await) {
  task<void> t = set_flag(ran);
  ran_before_await = ran;
  co_await std::move(t);
}

TEST(Task, BodyDoesNotRunUntilAwaited) {
  bool ran = false;
  bool ran_before_await = true;
  block_on(create_then_await(ran, ran_before_await));
  EXPECT_FALSE(ran_before_await);
  EXPECT_TRUE(ran);
}

TEST(Task, DestroyingAnUnstartedTaskNeverRunsItsBody) {
  bool ran = false;
  { task<void> t = set_flag(ran); }
  EXPECT_FALSE(ran);
}

TEST(Task, CoReturnsAValue) { EXPECT_EQ(block_on(answer()), 42); }

task<std::unique_ptr<int>> boxed(int value) {
  co_return std::make_unique<int>(value);
}

TEST(Task, CoReturnsAMoveOnlyValue) {
  std::unique_ptr<int> p = block_on(boxed(7));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

task<std::unique_ptr<int>> box_local(int value) {
  auto p = std::make_unique<int>(value);
  co_return p; // implicitly moved, as by return
}

TEST(Task, CoReturnsAMoveOnlyLocal) { EXPECT_EQ(*block_on(box_local(8)), 8); }

// `co_return {};` calls promise.return_value({}) ([stmt.return.coroutine]);
// like `return {};` in a function returning T, it should build a T.
template <class T>
concept co_return_accepts_braces = requires(
    typename task<T>::promise_type &promise) { promise.return_value({}); };

TEST(Task, CoReturnAcceptsABracedInitList) {
  EXPECT_TRUE(co_return_accepts_braces<int>);
  EXPECT_TRUE(co_return_accepts_braces<std::string>);
}

task<counted> make_counted(lifetimes &record, int value) {
  co_return counted(record, value);
}

TEST(Task, DestroysEveryCopyOfItsResultExactlyOnce) {
  lifetimes record;
  EXPECT_EQ(block_on(make_counted(record, 5)).value(), 5);
  EXPECT_GT(record.constructed, 0);
  EXPECT_EQ(record.alive(), 0);
}

task<int> await_counted(lifetimes &record) {
  counted c = co_await make_counted(record, 6);
  co_return c.value();
}

TEST(Task, DestroysEveryCopyOfAnAwaitedResultExactlyOnce) {
  lifetimes record;
  EXPECT_EQ(block_on(await_counted(record)), 6);
  EXPECT_GT(record.constructed, 0);
  EXPECT_EQ(record.alive(), 0);
}

task<void> set_both(bool &first, bool &second) {
  co_await set_flag(first);
  co_await set_flag(second);
}

TEST(Task, VoidTaskRunsToItsEnd) {
  bool first = false;
  bool second = false;
  block_on(set_both(first, second));
  EXPECT_TRUE(first);
  EXPECT_TRUE(second);
}

task<int> power_of_two(int n) {
  if (n == 0)
    co_return 1;
  co_return 2 * co_await power_of_two(n - 1);
}

TEST(Task, NestedAwaitsYieldTheInnerResults) {
  EXPECT_EQ(block_on(power_of_two(20)), 1 << 20);
}

task<std::string> describe() {
  std::string text = std::to_string(co_await answer());
  co_return text + "!";
}

TEST(Task, AwaitsATaskOfAnotherResultType) {
  EXPECT_EQ(block_on(describe()), "42!");
}

task<int> leaf(std::vector<int> &log) {
  log.push_back(2);
  co_return 7;
}

task<int> parent(std::vector<int> &log) {
  log.push_back(1);
  int value = co_await leaf(log);
  log.push_back(3);
  co_return value;
}

TEST(Task, FinishedTaskTransfersControlBackToItsAwaiter) {
  std::vector<int> log;
  task<int> t = parent(log);
  t.handle().resume(); // one resume runs parent, leaf, then parent again
  EXPECT_TRUE(t.done());
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(t.handle().promise().take(), 7);
}

task<int> parked_value(std::coroutine_handle<> &slot) {
  co_await park{slot};
  co_return 9;
}

task<int> await_parked(std::coroutine_handle<> &slot) {
  co_return 1 + co_await parked_value(slot);
}

TEST(Task, ResumingAParkedTaskFinishesItsAwaiter) {
  std::coroutine_handle<> slot;
  task<int> t = await_parked(slot);
  t.handle().resume();
  ASSERT_FALSE(t.done());
  slot.resume();
  ASSERT_TRUE(t.done());
  EXPECT_EQ(t.handle().promise().take(), 10);
}

task<int> hold(counted c) { co_return c.value(); }

TEST(Task, MoveConstructionTransfersTheCoroutine) {
  task<int> source = answer();
  auto frame = source.handle();
  task<int> target = std::move(source);
  EXPECT_TRUE(source.done());
  EXPECT_FALSE(source.handle());
  EXPECT_EQ(target.handle(), frame);
  EXPECT_EQ(block_on(std::move(target)), 42);
}

TEST(Task, MoveAssignmentDestroysTheTaskItReplaces) {
  lifetimes replaced;
  lifetimes kept;
  task<int> target = hold(counted(replaced, 1));
  task<int> source = hold(counted(kept, 2));
  target = std::move(source);
  EXPECT_EQ(replaced.alive(), 0);
  EXPECT_EQ(kept.alive(), 1);
  EXPECT_TRUE(source.done());
  EXPECT_EQ(block_on(std::move(target)), 2);
  EXPECT_EQ(kept.alive(), 0);
}

TEST(Task, SelfMoveAssignmentKeepsTheCoroutine) {
  task<int> t = answer();
  task<int> &alias = t;
  t = std::move(alias);
  EXPECT_FALSE(t.done());
  EXPECT_EQ(block_on(std::move(t)), 42);
}

TEST(Task, MovedFromTaskCanBeAssignedAgain) {
  task<int> source = answer();
  task<int> target = std::move(source);
  source = power_of_two(3);
  EXPECT_EQ(block_on(std::move(source)), 8);
  EXPECT_EQ(block_on(std::move(target)), 42);
}

TEST(Task, DestroyingAnUnstartedTaskDestroysItsParametersOnce) {
  lifetimes record;
  {
    task<int> t = hold(counted(record, 1));
    EXPECT_EQ(record.alive(), 1); // the copy in the frame
  }
  EXPECT_GT(record.constructed, 0);
  EXPECT_EQ(record.alive(), 0);
}

task<int> keep_local(lifetimes &record, std::coroutine_handle<> &slot) {
  counted local(record, 3);
  co_await park{slot};
  co_return local.value();
}

TEST(Task, LocalsAliveAcrossASuspensionAreDestroyedOnceAtTheEnd) {
  lifetimes record;
  std::coroutine_handle<> slot;
  {
    task<int> t = keep_local(record, slot);
    t.handle().resume();
    ASSERT_FALSE(t.done());
    EXPECT_EQ(record.alive(), 1);
    slot.resume();
    ASSERT_TRUE(t.done());
    EXPECT_EQ(record.destroyed, 1); // when the body ends, before the frame
    EXPECT_EQ(t.handle().promise().take(), 3);
  }
  EXPECT_EQ(record.constructed, 1);
  EXPECT_EQ(record.destroyed, 1);
}

TEST(Task, DestroyingASuspendedTaskDestroysItsLocalsOnce) {
  lifetimes record;
  std::coroutine_handle<> slot;
  {
    task<int> t = keep_local(record, slot);
    t.handle().resume();
    ASSERT_FALSE(t.done());
  }
  EXPECT_EQ(record.constructed, 1);
  EXPECT_EQ(record.destroyed, 1);
}

task<int> throw_from_body() {
  throw std::runtime_error("escapes the body");
  co_return 0;
}

TEST(TaskDeathTest, ExceptionEscapingTheBodyAborts) {
  EXPECT_DEATH(block_on(throw_from_body()), "");
}

} // namespace
