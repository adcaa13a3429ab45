// The warp and block executors on the host, and the scheduler they share
// with static_executor taking its decisions across several threads.
//
// Compiled for the host, a warp or block group is the calling thread alone:
// the three executors must schedule exactly alike. Then lockstep_group, a
// host stand-in for block_group built on std::barrier, runs one executor per
// std::thread with the same vote-and-decide protocol as the GPU: threads
// resume the same slots in the same decision, all of them leave run()
// together, and a stop seen by one thread stops all of them.
//
// A job names its executor first even where its body never uses it: the
// promise takes the frame from there.
#include <coroptx/executor.h>

#include "support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using coroptx_test::fake_clock;

template <class Group>
using executor_of = coroptx::basic_executor<Group, 4, 256, fake_clock>;

template <class Executor>
coroptx::job<> take_turns(Executor &ex, std::string *log, char name,
                          int turns) {
  for (int t = 0; t < turns; ++t) {
    *log += name;
    co_await ex.yield_now();
  }
}

template <class Executor>
coroptx::job<std::uint64_t> wake_after(Executor &ex, std::uint64_t ns) {
  co_await ex.sleep_for(ns);
  co_return fake_clock::now;
}

template <class Executor>
coroptx::job<int> sum_of(Executor &, coroptx::join_handle<int, Executor> a,
                         coroptx::join_handle<int, Executor> b) {
  co_return co_await a + co_await b;
}

template <class Executor> coroptx::job<int> after_yield(Executor &ex, int v) {
  co_await ex.yield_now();
  co_return v;
}

template <class Group> class OneThreadGroupTest : public ::testing::Test {
protected:
  void SetUp() override { fake_clock::reset(); }
};
using one_thread_groups =
    ::testing::Types<coroptx::thread_group, coroptx::warp_group,
                     coroptx::block_group>;
TYPED_TEST_SUITE(OneThreadGroupTest, one_thread_groups);

TYPED_TEST(OneThreadGroupTest, YieldingJobsRunRoundRobin) {
  executor_of<TypeParam> ex;
  std::string log;
  ex.spawn(take_turns(ex, &log, 'a', 3));
  ex.spawn(take_turns(ex, &log, 'b', 1));
  ex.spawn(take_turns(ex, &log, 'c', 2));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(log, "abcaca");
}

TYPED_TEST(OneThreadGroupTest, SleepersWakeInTimeOrder) {
  executor_of<TypeParam> ex;
  auto late = ex.spawn(wake_after(ex, 5000));
  auto early = ex.spawn(wake_after(ex, 1000));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  const std::uint64_t early_at = early.get(), late_at = late.get();
  EXPECT_GE(early_at, 1000u);
  EXPECT_GE(late_at, 5000u);
  EXPECT_LT(early_at, late_at);
}

TYPED_TEST(OneThreadGroupTest, JoinsAndStopsWork) {
  executor_of<TypeParam> ex;
  auto a = ex.spawn(after_yield(ex, 40));
  auto b = ex.spawn(after_yield(ex, 2));
  auto sum = ex.spawn(sum_of(ex, std::move(a), std::move(b)));
  EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
  EXPECT_EQ(sum.get(), 42);

  int stop = 1;
  std::string log;
  ex.spawn(take_turns(ex, &log, 'x', 5));
  EXPECT_EQ(ex.run(&stop), coroptx::run_status::stopped);
  EXPECT_EQ(log, "");
  EXPECT_EQ(ex.live(), 0u);
}

/// block_group's protocol among std::threads: every thread adds its bits
/// with an atomic OR into one of three cells, one barrier per decision.
class lockstep_group {
public:
  static inline std::barrier<> *barrier = nullptr;
  static inline std::atomic<std::uint32_t> cells[3];
  static inline thread_local int thread_index = 0;
  static inline thread_local int decisions = 0;

  lockstep_group() {
    barrier->arrive_and_wait();
    if (thread_index == 0)
      for (auto &cell : cells)
        cell = 0;
    barrier->arrive_and_wait();
  }

  std::uint32_t any(std::uint32_t bits, std::uint32_t) {
    cells[round_].fetch_or(bits);
    barrier->arrive_and_wait();
    const std::uint32_t decision = cells[round_].load();
    if (thread_index == 0)
      cells[(round_ + 2) % 3] = 0;
    round_ = (round_ + 1) % 3;
    ++decisions;
    return decision;
  }

private:
  int round_ = 0;
};

using lockstep_executor = executor_of<lockstep_group>;

/// Runs body(thread) on \p threads threads that share one lockstep_group.
template <class Body> void run_in_lockstep(int threads, Body body) {
  std::barrier<> barrier(threads);
  lockstep_group::barrier = &barrier;
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t)
    running.emplace_back([t, &body] {
      lockstep_group::thread_index = t;
      lockstep_group::decisions = 0;
      fake_clock::reset();
      body(t);
    });
  for (std::thread &thread : running)
    thread.join();
  lockstep_group::barrier = nullptr;
}

/// One resumption: the decision it happened in, and the slot it resumed.
struct resumption {
  int decision;
  int slot;
  bool operator==(const resumption &) const = default;
};

coroptx::job<> record_turns(lockstep_executor &ex,
                            std::vector<resumption> *trace, int slot,
                            int turns) {
  for (int t = 0; t < turns; ++t) {
    trace->push_back({lockstep_group::decisions, slot});
    co_await ex.yield_now();
  }
}

TEST(LockstepGroupTest, ThreadsResumeTheSameSlotsInTheSameDecision) {
  // Thread t has jobs in slots 0..t-1 (thread 0 none), job s taking s + 2
  // turns: the threads run out of work at different times.
  constexpr int threads = 4;
  std::vector<resumption> traces[threads];
  coroptx::run_status status[threads];
  run_in_lockstep(threads, [&](int t) {
    lockstep_executor ex;
    for (int s = 0; s < t; ++s)
      ex.spawn(record_turns(ex, &traces[t], s, s + 2));
    status[t] = ex.run();
  });
  for (int t = 0; t < threads; ++t)
    EXPECT_EQ(status[t], coroptx::run_status::all_done) << "thread " << t;
  // One decision a round: round r (decision r + 1) resumes, in slot order,
  // slot s in every thread that still has that job (s + 2 > r), so the
  // threads step the same slots together until each runs out. Alone,
  // thread 3 would resume 0 1 2 0 1 2 1 2 2; in lock step it does the same.
  for (int t = 0; t < threads; ++t) {
    std::vector<resumption> expected;
    for (int round = 0; round < t + 1; ++round)
      for (int s = 0; s < t; ++s)
        if (s + 2 > round)
          expected.push_back({round + 1, s});
    EXPECT_EQ(traces[t], expected) << "thread " << t;
  }
}

struct teardown_counter {
  std::atomic<int> *destroyed;
  ~teardown_counter() { ++*destroyed; }
};

coroptx::job<> spin(lockstep_executor &ex, std::atomic<int> *destroyed,
                    int *my_stop, int stop_after) {
  teardown_counter counter{destroyed};
  for (int turn = 1;; ++turn) {
    if (turn == stop_after)
      *my_stop = 1;
    co_await ex.yield_now();
  }
}

TEST(LockstepGroupTest, AStopSeenByOneThreadStopsAll) {
  constexpr int threads = 3;
  std::atomic<int> destroyed{0};
  coroptx::run_status status[threads];
  run_in_lockstep(threads, [&](int t) {
    lockstep_executor ex;
    int my_stop = 0; // only thread 1's job ever sets its flag
    ex.spawn(spin(ex, &destroyed, &my_stop, t == 1 ? 5 : 1 << 30));
    ex.spawn(spin(ex, &destroyed, &my_stop, 1 << 30));
    status[t] = ex.run(&my_stop);
    EXPECT_EQ(ex.live(), 0u);
  });
  for (int t = 0; t < threads; ++t)
    EXPECT_EQ(status[t], coroptx::run_status::stopped) << "thread " << t;
  EXPECT_EQ(destroyed, 2 * threads);
}

coroptx::job<> sleep_then_log(lockstep_executor &ex,
                              std::vector<std::uint64_t> *wakes,
                              std::uint64_t ns) {
  co_await ex.sleep_for(ns);
  wakes->push_back(fake_clock::now);
}

TEST(LockstepGroupTest, AThreadWhoseJobsAllSleepFollowsTheOthers) {
  // Thread 0 sleeps once for long; thread 1 keeps yielding meanwhile, so
  // the group never idles until thread 1 is done.
  std::vector<std::uint64_t> wakes;
  std::string log;
  std::uint64_t slept[2] = {};
  run_in_lockstep(2, [&](int t) {
    lockstep_executor ex;
    if (t == 0)
      ex.spawn(sleep_then_log(ex, &wakes, 4000));
    else
      ex.spawn(take_turns(ex, &log, 'y', 3));
    EXPECT_EQ(ex.run(), coroptx::run_status::all_done);
    slept[t] = fake_clock::slept;
  });
  EXPECT_EQ(log, "yyy");
  ASSERT_EQ(wakes.size(), 1u);
  EXPECT_GE(wakes[0], 4000u);
  // Both threads took the same idle waits: the decisions to wait are shared.
  EXPECT_EQ(slept[0], slept[1]);
  EXPECT_GT(slept[0], 0u);
}

} // namespace
