// control_block on the host: counters and the stop flag as a kernel and its
// host use them, and an executor stopped through the block's flag.
#include <coroptx/executor.h>
#include <coroptx/host_control.h>

#include "support.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace {

using coroptx_test::fake_clock;

// Plain data: it lives in memory cudaHostAlloc returns, with no constructor
// run by anyone but host_mapped.
static_assert(std::is_trivial_v<coroptx::control_block<3>>);
static_assert(std::is_standard_layout_v<coroptx::control_block<3>>);

TEST(ControlBlockTest, CountersAddAndPublish) {
  coroptx::control_block<3> control{};
  EXPECT_EQ(control.counter_count, 3u);
  control.add(1, 5);
  control.add(1, 2);
  control.publish(2, 40);
  EXPECT_EQ(control.read(0), 0u);
  EXPECT_EQ(control.read(1), 7u);
  EXPECT_EQ(control.read(2), 40u);
}

TEST(ControlBlockTest, StopFlagIsWhatRunPolls) {
  coroptx::control_block<1> control{};
  EXPECT_FALSE(control.stop_requested());
  EXPECT_EQ(*control.stop_flag(), 0);
  control.request_stop();
  EXPECT_TRUE(control.stop_requested());
  EXPECT_EQ(control.stop_flag(), &control.stop);
  EXPECT_NE(*control.stop_flag(), 0);
}

using executor = coroptx::static_executor<2, 256, fake_clock>;

coroptx::job<> count_until_stopped(executor &ex,
                                   coroptx::control_block<2> *control,
                                   int counter, unsigned long long stop_at) {
  for (;;) {
    control->add(counter, 1);
    if (control->read(counter) == stop_at)
      control->request_stop(); // as the host would, from outside
    co_await ex.sleep_for(100);
  }
}

TEST(ControlBlockTest, RunStopsOnTheBlocksFlag) {
  fake_clock::reset();
  coroptx::control_block<2> control{};
  executor ex;
  ex.spawn(count_until_stopped(ex, &control, 0, 1000));
  ex.spawn(count_until_stopped(ex, &control, 1, 4));
  EXPECT_EQ(ex.run(control.stop_flag()), coroptx::run_status::stopped);
  EXPECT_EQ(control.read(1), 4u);
  EXPECT_GE(control.read(0), 3u);
  EXPECT_LE(control.read(0), 5u);
  EXPECT_EQ(ex.live(), 0u);
}

} // namespace
