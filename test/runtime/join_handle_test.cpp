// Join handles on the host: a spawned job's value reaches another job
// through co_await and the host through get(); when_all and when_any over
// handles; what a dropped handle, a stop and a full executor do to results.
// Against the fake clock, so every schedule is deterministic. A job names
// its executor first even where its body never uses it: the promise takes
// the frame from there.
#include <coroptx/combinators.h>
#include <coroptx/executor.h>

#include "support.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

namespace {

using coroptx_test::counted;
using coroptx_test::fake_clock;
using coroptx_test::lifetimes;

class JoinHandleTest : public ::testing::Test {
protected:
  void SetUp() override { fake_clock::reset(); }
};

using executor = coroptx::static_executor<6, 256, fake_clock>;
using int_handle = coroptx::join_handle<int, executor>;

/// Yields \p turns times, logging its name each time, then returns \p value.
coroptx::job<int> value_after(executor &ex, std::string *log, char name,
                              int turns, int value) {
  for (int t = 0; t < turns; ++t) {
    *log += name;
    co_await ex.yield_now();
  }
  *log += name;
  co_return value;
}

TEST_F(JoinHandleTest, TheHostGetsTheValueAfterRun) {
  executor ex;
  std::string log;
  auto seven = ex.spawn(value_after(ex, &log, 'a', 2, 7));
  auto eight = ex.spawn(value_after(ex, &log, 'b', 0, 8));
  ASSERT_TRUE(seven);
  EXPECT_FALSE(seven.ready());
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "abaa");
  EXPECT_EQ(ex.live(), 0u);
  ASSERT_TRUE(seven.ready());
  ASSERT_TRUE(eight.ready());
  EXPECT_EQ(eight.get(), 8);
  EXPECT_EQ(seven.get(), 7);
  EXPECT_FALSE(seven); // the value is taken; the handle is empty
  EXPECT_FALSE(seven.ready());
}

coroptx::job<> add_when_done(executor &, int_handle *a, int_handle *b,
                             std::string *log, int *sum) {
  *log += '[';
  const int first = co_await *a;
  *log += '|';
  const int second = co_await *b;
  *log += ']';
  *sum = first + second;
}

coroptx::job<> log_around_join(executor &, int_handle *awaited,
                               std::string *log) {
  *log += 'B';
  co_await *awaited;
  *log += 'b';
}

TEST_F(JoinHandleTest, AJobWokenDuringARoundRunsInTheNext) {
  // One decision a round: the slots ready when the round starts. a ends in
  // round 2 and wakes the joiner in a later slot, which runs in round 3,
  // after c's turn of round 2.
  executor ex;
  std::string log;
  auto a = ex.spawn(value_after(ex, &log, 'a', 1, 5));
  ex.spawn(log_around_join(ex, &a, &log));
  ex.spawn(value_after(ex, &log, 'c', 3, 0));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "aBc"
                 "ac"
                 "bc"
                 "c");
}

TEST_F(JoinHandleTest, AJobAwaitsOthersAndSleepsUntilTheyEnd) {
  executor ex;
  std::string log;
  int sum = 0;
  auto a = ex.spawn(value_after(ex, &log, 'a', 3, 30));
  auto b = ex.spawn(value_after(ex, &log, 'b', 1, 12));
  ex.spawn(add_when_done(ex, &a, &b, &log, &sum));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  // The waiter runs only when woken: after a ends, b is already done.
  EXPECT_EQ(log, "ab[abaa|]");
  EXPECT_EQ(sum, 42);
  EXPECT_FALSE(a);
  EXPECT_FALSE(b);
  EXPECT_EQ(fake_clock::slept, 0u); // parked, not polling
}

coroptx::job<counted> make_counted(executor &ex, lifetimes *record, int v) {
  co_await ex.yield_now();
  co_return counted(*record, v);
}

TEST_F(JoinHandleTest, AResultIsDestroyedOnceWhetherTakenOrNot) {
  lifetimes record;
  {
    executor ex;
    auto taken = ex.spawn(make_counted(ex, &record, 1));
    auto left = ex.spawn(make_counted(ex, &record, 2));
    ex.spawn(make_counted(ex, &record, 3)); // dropped: detached at once
    EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
    EXPECT_EQ(taken.get().value(), 1);
    EXPECT_TRUE(left.ready());
  }
  EXPECT_GT(record.constructed, 0);
  EXPECT_EQ(record.alive(), 0);
}

using two_slots = coroptx::static_executor<2, 256, fake_clock>;

coroptx::job<int> just(two_slots &, int value) { co_return value; }

TEST_F(JoinHandleTest, FinishedJobsKeepTheirSlotsUntilJoined) {
  two_slots ex;
  auto one = ex.spawn(just(ex, 1));
  auto two = ex.spawn(just(ex, 2));
  ex.run();
  EXPECT_FALSE(ex.spawn(just(ex, 3))); // both slots hold results
  EXPECT_EQ(one.get(), 1);
  auto three = ex.spawn(just(ex, 3)); // the taken result freed one
  ASSERT_TRUE(three);
  { auto dropped = std::move(two); } // dropping a result frees its slot too
  auto four = ex.spawn(just(ex, 4));
  ASSERT_TRUE(four);
  ex.run();
  EXPECT_EQ(three.get() + four.get(), 7);
}

using one_small_slot = coroptx::static_executor<1, 16, fake_clock>;

coroptx::job<int> too_big(one_small_slot &ex) {
  int big[64] = {};
  co_await ex.yield_now();
  co_return big[0];
}

TEST_F(JoinHandleTest, AFailedSpawnGivesAnEmptyHandle) {
  one_small_slot ex;
  auto handle = ex.spawn(too_big(ex));
  EXPECT_FALSE(handle);
  EXPECT_FALSE(handle.ready());
  EXPECT_TRUE(handle.await_ready()); // awaiting it would not park forever
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
}

coroptx::job<> count_forever(executor &ex, int *count, int *stop, int stop_at) {
  for (;;) {
    if (++*count == stop_at)
      *stop = 1;
    co_await ex.yield_now();
  }
}

TEST_F(JoinHandleTest, AStopKeepsFinishedResultsAndDropsRunningJobs) {
  executor ex;
  std::string log;
  int stop = 0, count = 0;
  auto quick = ex.spawn(value_after(ex, &log, 'q', 0, 5));
  auto slow = ex.spawn(value_after(ex, &log, 's', 100, 6));
  ex.spawn(count_forever(ex, &count, &stop, 3));
  EXPECT_EQ(ex.run(&stop), coroptx::run_status::stopped);
  EXPECT_TRUE(quick.ready());
  EXPECT_EQ(quick.get(), 5);
  EXPECT_TRUE(slow); // it still names the job, which is gone
  EXPECT_FALSE(slow.ready());
  EXPECT_EQ(ex.live(), 0u);
  // Every slot is free again: the stopped job's too.
  for (int i = 0; i < 6; ++i)
    EXPECT_TRUE(ex.spawn(value_after(ex, &log, 'x', 0, i)));
}

coroptx::job<> sum_all(executor &, int_handle a, int_handle b,
                       coroptx::join_handle<void, executor> c, int *sum) {
  auto [x, y, nothing] =
      co_await coroptx::when_all(std::move(a), std::move(b), std::move(c));
  static_assert(std::is_same_v<decltype(nothing), coroptx::unit>);
  *sum = x * 100 + y;
}

coroptx::job<> log_after(executor &ex, std::string *log, int turns) {
  for (int t = 0; t < turns; ++t)
    co_await ex.yield_now();
  *log += 'v';
}

TEST_F(JoinHandleTest, WhenAllYieldsEveryValueInArgumentOrder) {
  executor ex;
  std::string log;
  int sum = 0;
  auto slow = ex.spawn(value_after(ex, &log, 's', 4, 3));
  auto fast = ex.spawn(value_after(ex, &log, 'f', 0, 9));
  auto nothing = ex.spawn(log_after(ex, &log, 2));
  ex.spawn(
      sum_all(ex, std::move(slow), std::move(fast), std::move(nothing), &sum));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(sum, 309);
  EXPECT_EQ(log, "sfssvss");
}

coroptx::job<> first_of(executor &, int_handle *a, int_handle *b, int_handle *c,
                        std::size_t *index, int *value, int *rest) {
  auto [which, first] = co_await coroptx::when_any(*a, *b, *c);
  *index = which;
  *value = first;
  // The other handles still hold their jobs.
  for (int_handle *other : {a, b, c})
    if (*other)
      *rest += co_await *other;
}

TEST_F(JoinHandleTest, WhenAnyYieldsTheFirstToFinishNotTheFirstListed) {
  executor ex;
  std::string log;
  std::size_t index = 99;
  int value = 0, rest = 0;
  auto a = ex.spawn(value_after(ex, &log, 'a', 5, 1));
  auto b = ex.spawn(value_after(ex, &log, 'b', 3, 20));
  auto c = ex.spawn(value_after(ex, &log, 'c', 4, 300));
  ex.spawn(first_of(ex, &a, &b, &c, &index, &value, &rest));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(index, 1u);
  EXPECT_EQ(value, 20);
  EXPECT_EQ(rest, 301);
  EXPECT_EQ(log, "abcabcabcabcaca");
}

TEST_F(JoinHandleTest, WhenAnyOfJobsAlreadyDonePicksTheEarliestFinish) {
  executor ex;
  std::string log;
  std::size_t index = 99;
  int value = 0, rest = 0;
  auto a = ex.spawn(value_after(ex, &log, 'a', 2, 1));
  auto b = ex.spawn(value_after(ex, &log, 'b', 1, 20));
  auto c = ex.spawn(value_after(ex, &log, 'c', 0, 300));
  // Let all three end before anyone asks.
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  ex.spawn(first_of(ex, &a, &b, &c, &index, &value, &rest));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(index, 2u); // c ended first, although listed last
  EXPECT_EQ(value, 300);
  EXPECT_EQ(rest, 21);
}

coroptx::job<> first_of_array(executor &, int_handle (*handles)[3],
                              std::size_t *index, int *value) {
  auto [which, first] = co_await coroptx::when_any(*handles);
  *index = which;
  *value = first;
}

TEST_F(JoinHandleTest, WhenAnyOverAnArrayLeavesTheOthersRunning) {
  executor ex;
  std::string log;
  std::size_t index = 99;
  int value = 0;
  int_handle handles[3] = {ex.spawn(value_after(ex, &log, 'a', 2, 1)),
                           ex.spawn(value_after(ex, &log, 'b', 3, 2)),
                           ex.spawn(value_after(ex, &log, 'c', 1, 3))};
  ex.spawn(first_of_array(ex, &handles, &index, &value));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(index, 2u);
  EXPECT_EQ(value, 3);
  EXPECT_FALSE(handles[2]);
  EXPECT_EQ(handles[0].get() + handles[1].get(), 3);
}

coroptx::job<> wait_for_void(executor &,
                             coroptx::join_handle<void, executor> *a,
                             coroptx::join_handle<void, executor> *b,
                             std::string *log) {
  auto [which] = co_await coroptx::when_any(*a, *b);
  *log += which == 0 ? 'A' : 'B';
  coroptx::join_handle<void, executor> *other = which == 0 ? b : a;
  co_await *other;
  *log += '!';
}

TEST_F(JoinHandleTest, VoidJobsCanBeAwaitedAndRaced) {
  executor ex;
  std::string log;
  auto a = ex.spawn(log_after(ex, &log, 3));
  auto b = ex.spawn(log_after(ex, &log, 1));
  ex.spawn(wait_for_void(ex, &a, &b, &log));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "vBv!");
}

coroptx::task<int> await_in_a_task(int_handle *handle) {
  co_return 1 + co_await *handle;
}

coroptx::job<int> await_through_task(executor &, int_handle *handle) {
  co_return 2 * co_await await_in_a_task(handle);
}

TEST_F(JoinHandleTest, ATaskInsideAJobAwaitsAHandle) {
  executor ex;
  std::string log;
  auto inner = ex.spawn(value_after(ex, &log, 'i', 2, 20));
  auto outer = ex.spawn(await_through_task(ex, &inner));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(outer.get(), 42);
}

coroptx::job<int> await_itself(executor &, int_handle *self) {
  co_return co_await *self;
}

TEST_F(JoinHandleTest, AJoinCycleTrapsInsteadOfHangingForever) {
  EXPECT_DEATH(
      {
        executor ex;
        int_handle self;
        self = ex.spawn(await_itself(ex, &self));
        ex.run();
      },
      "");
}

coroptx::job<> waiter(executor &, int_handle *target, int *got) {
  *got = co_await *target;
}

TEST_F(JoinHandleTest, TwoJobsAwaitingOneHandleTrap) {
  EXPECT_DEATH(
      {
        executor ex;
        std::string log;
        int got = 0;
        auto target = ex.spawn(value_after(ex, &log, 't', 3, 1));
        ex.spawn(waiter(ex, &target, &got));
        ex.spawn(waiter(ex, &target, &got));
        ex.run();
      },
      "");
}

TEST_F(JoinHandleTest, GetBeforeTheJobEndsTraps) {
  EXPECT_DEATH(
      {
        executor ex;
        std::string log;
        auto unfinished = ex.spawn(value_after(ex, &log, 'u', 1, 1));
        unfinished.get();
      },
      "");
}

} // namespace
