// static_executor on the host: round-robin order, sleeping, stop with
// destructors, capacity and frame-size limits, and jobs awaiting tasks, all
// against a fake clock so that every schedule is deterministic.
#include <coroptx/block_on.h>
#include <coroptx/executor.h>

#include "support.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using coroptx_test::fake_clock;

class ExecutorTest : public ::testing::Test {
protected:
  void SetUp() override { fake_clock::reset(); }
};

using small_executor = coroptx::static_executor<4, 256, fake_clock>;

coroptx::job<> take_turns(small_executor &ex, std::string *log, char name,
                          int turns) {
  for (int t = 0; t < turns; ++t) {
    *log += name;
    co_await ex.yield_now();
  }
}

TEST_F(ExecutorTest, YieldingJobsRunRoundRobin) {
  small_executor ex;
  std::string log;
  ASSERT_TRUE(ex.spawn(take_turns(ex, &log, 'a', 3)));
  ASSERT_TRUE(ex.spawn(take_turns(ex, &log, 'b', 2)));
  ASSERT_TRUE(ex.spawn(take_turns(ex, &log, 'c', 3)));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "abcabcac");
  EXPECT_EQ(ex.live(), 0u);
  EXPECT_EQ(fake_clock::slept, 0u); // someone was always ready
}

coroptx::job<> tick(small_executor &ex, std::vector<std::uint64_t> *wakes,
                    std::uint64_t period, int ticks) {
  for (int t = 0; t < ticks; ++t) {
    co_await ex.sleep_for(period);
    wakes->push_back(fake_clock::now);
  }
}

TEST_F(ExecutorTest, SleepersWakeNoEarlierThanAsked) {
  small_executor ex;
  std::vector<std::uint64_t> fast, slow;
  ex.spawn(tick(ex, &fast, 1000, 3));
  ex.spawn(tick(ex, &slow, 2500, 2));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  ASSERT_EQ(fast.size(), 3u);
  ASSERT_EQ(slow.size(), 2u);
  for (std::size_t t = 0; t < fast.size(); ++t)
    EXPECT_GE(fast[t], (t + 1) * 1000);
  for (std::size_t t = 0; t < slow.size(); ++t)
    EXPECT_GE(slow[t], (t + 1) * 2500);
  // The idle backoff overshoots a wake-up by less than one doubling.
  EXPECT_LT(fast.back(), 3000 + 2 * 3000);
  EXPECT_GT(fake_clock::slept, 0u); // nobody was ready: the executor waited
}

struct counted_local {
  int *destroyed;
  ~counted_local() { ++*destroyed; }
};

coroptx::job<> count_forever(small_executor &ex, int *count, int *destroyed,
                             int *stop, int stop_after) {
  counted_local guard{destroyed};
  for (;;) {
    if (++*count == stop_after)
      *stop = 1;
    co_await ex.sleep_for(100);
  }
}

TEST_F(ExecutorTest, StopDestroysEveryJobAndRunsItsDestructors) {
  small_executor ex;
  int stop = 0, a = 0, b = 0, destroyed = 0;
  ex.spawn(count_forever(ex, &a, &destroyed, &stop, 5));
  ex.spawn(count_forever(ex, &b, &destroyed, &stop, 1000));
  EXPECT_EQ(ex.run(&stop), coroptx::run_status::stopped);
  EXPECT_EQ(a, 5);
  EXPECT_GE(b, 4);
  EXPECT_EQ(destroyed, 2);
  EXPECT_EQ(ex.live(), 0u);
}

TEST_F(ExecutorTest, SpawnFailsWhenEverySlotIsTaken) {
  small_executor ex;
  std::string log;
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(ex.spawn(take_turns(ex, &log, 'x', 1)));
  EXPECT_FALSE(ex.spawn(take_turns(ex, &log, 'y', 1)));
  ex.run();
  EXPECT_EQ(log, "xxxx");
  // Finished jobs give their slots back.
  EXPECT_TRUE(ex.spawn(take_turns(ex, &log, 'z', 1)));
  ex.run();
  EXPECT_EQ(log, "xxxxz");
}

coroptx::job<> finishes_at_once(small_executor &) { co_return; }

// On the GPU the compiler may place a job's frame outside the executor's
// storage, so the slots can all be taken while storage is free. Frames from
// another executor's storage stand in for those here: a spawn refused for
// want of a slot must still give its frame's storage block back.
TEST_F(ExecutorTest, ARefusedSpawnGivesItsStorageBack) {
  small_executor ex, elsewhere;
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(ex.spawn(finishes_at_once(elsewhere)));
  EXPECT_FALSE(ex.spawn(finishes_at_once(ex))); // every slot is taken
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(ex.spawn(finishes_at_once(ex))) << "storage block " << i;
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
}

using tiny_executor = coroptx::static_executor<2, 16, fake_clock>;

coroptx::job<> too_big(tiny_executor &ex, int *ran) {
  int big[64] = {};
  co_await ex.yield_now();
  *ran = big[0] + 1;
}

// A job made and destroyed without a spawn gives its storage block back:
// more such jobs than the executor has blocks, then every slot still
// takes one.
TEST_F(ExecutorTest, AJobDroppedUnspawnedGivesItsStorageBack) {
  small_executor ex;
  std::string log;
  for (int i = 0; i < 8; ++i) {
    auto dropped = take_turns(ex, &log, 'x', 1);
    EXPECT_TRUE(dropped) << "storage block for job " << i;
  }
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(ex.spawn(take_turns(ex, &log, 'y', 1))) << "spawn " << i;
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "yyyy");
}

TEST_F(ExecutorTest, SpawnFailsWhenTheFrameDoesNotFitASlot) {
  tiny_executor ex;
  int ran = 0;
  EXPECT_FALSE(ex.spawn(too_big(ex, &ran)));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(ran, 0);
}

coroptx::task<int> square_later(small_executor &ex, int x) {
  co_await ex.yield_now(); // suspends the job that awaits this task
  co_return x * x;
}

coroptx::job<> sum_of_squares(small_executor &ex, int n, int *out) {
  int sum = 0;
  for (int i = 1; i <= n; ++i)
    sum += co_await square_later(ex, i);
  *out = sum;
}

TEST_F(ExecutorTest, JobsAwaitTasksThatSuspendInTheExecutor) {
  small_executor ex;
  int a = 0, b = 0;
  ex.spawn(sum_of_squares(ex, 4, &a));
  ex.spawn(sum_of_squares(ex, 10, &b));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(a, 30);
  EXPECT_EQ(b, 385);
}

} // namespace

namespace {

coroptx::job<> wait_then_log(small_executor &ex, std::string *log,
                             const int *gate, char name) {
  co_await ex.wait_until([gate] { return *gate != 0; });
  *log += name;
}

coroptx::job<> open_gate_after(small_executor &ex, int *gate, std::string *log,
                               std::uint64_t ns) {
  co_await ex.sleep_for(ns);
  *log += 'g';
  *gate = 1;
}

TEST_F(ExecutorTest, WaitUntilResumesOnceThePredicateHolds) {
  small_executor ex;
  std::string log;
  int gate = 0;
  ex.spawn(wait_then_log(ex, &log, &gate, 'w'));
  ex.spawn(open_gate_after(ex, &gate, &log, 5000));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "gw"); // the waiter ran only after the gate opened
  EXPECT_GE(fake_clock::now, 5000u);
}

TEST_F(ExecutorTest, WaitUntilOnATruePredicateDoesNotSuspend) {
  small_executor ex;
  std::string log;
  int gate = 1;
  ex.spawn(wait_then_log(ex, &log, &gate, 'w'));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "w");
  EXPECT_EQ(fake_clock::slept, 0u);
}

} // namespace
