// when_all(a, b, ...): awaits every awaitable first to last and yields a
// tuple of their results, with unit for void.
#include <coroptx/coroptx.h>

#include "support.h"

#include <gtest/gtest.h>

#include <coroutine>
#include <memory>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

using coroptx::block_on;
using coroptx::ready;
using coroptx::task;
using coroptx::unit;
using coroptx::when_all;
using coroptx_test::counted;
using coroptx_test::lifetimes;
using coroptx_test::park;

task<int> seven() { co_return 7; }

task<void> set_flag(bool &flag) {
  flag = true;
  co_return;
}

task<int> logged(std::vector<int> &log, int value) {
  log.push_back(value);
  co_return value;
}

task<void> logged_void(std::vector<int> &log, int value) {
  log.push_back(value);
  co_return;
}

TEST(WhenAll, YieldsEveryResultInArgumentOrder) {
  bool ran = false;
  auto all = when_all(seven(), ready(2.5), set_flag(ran));
  EXPECT_TRUE(
      (std::is_same_v<decltype(all), task<std::tuple<int, double, unit>>>));
  auto [i, d, u] = block_on(std::move(all));
  EXPECT_EQ(i, 7);
  EXPECT_EQ(d, 2.5);
  EXPECT_TRUE(u == unit{});
  EXPECT_TRUE(ran);
}

TEST(WhenAll, AwaitsFirstToLast) {
  std::vector<int> log;
  auto first_ready = ready(3).then([&log](int x) {
    log.push_back(x);
    return x;
  });
  block_on(when_all(logged(log, 1), logged_void(log, 2), std::move(first_ready),
                    logged(log, 4)));
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3, 4}));
}

TEST(WhenAll, RunsNothingUntilDriven) {
  std::vector<int> log;
  auto all = when_all(logged(log, 1), logged(log, 2));
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(block_on(std::move(all)), std::make_tuple(1, 2));
}

TEST(WhenAll, OfNothingYieldsAnEmptyTuple) {
  EXPECT_EQ(block_on(when_all()), std::tuple<>{});
}

task<int> sum_of_all() {
  auto [a, b, c] = co_await when_all(seven(), ready(3), seven());
  co_return a + b + c;
}

TEST(WhenAll, IsAwaitableInsideATask) { EXPECT_EQ(block_on(sum_of_all()), 17); }

TEST(WhenAll, MovesMoveOnlyResults) {
  auto [p, q] = block_on(
      when_all(ready(std::make_unique<int>(1)), ready(std::make_unique<int>(2))));
  ASSERT_NE(p, nullptr);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(*p + *q, 3);
}

task<counted> make_counted(lifetimes &record, int value) {
  co_return counted(record, value);
}

TEST(WhenAll, DestroysEveryResultOnce) {
  lifetimes record;
  {
    auto [a, b] = block_on(
        when_all(make_counted(record, 1), ready(counted(record, 2))));
    EXPECT_EQ(a.value() + b.value(), 3);
    EXPECT_EQ(record.alive(), 2);
  }
  EXPECT_EQ(record.alive(), 0);
}

task<int> parked_value(std::coroutine_handle<> &slot) {
  co_await park{slot};
  co_return 9;
}

TEST(WhenAll, FinishesOnceAParkedMemberIsResumed) {
  std::vector<int> log;
  std::coroutine_handle<> slot;
  auto all = when_all(logged(log, 1), parked_value(slot), logged(log, 3));
  all.handle().resume();
  ASSERT_FALSE(all.done());
  EXPECT_EQ(log, (std::vector<int>{1}));
  slot.resume();
  ASSERT_TRUE(all.done());
  EXPECT_EQ(log, (std::vector<int>{1, 3}));
  EXPECT_EQ(all.handle().promise().take(), std::make_tuple(1, 9, 3));
}

} // namespace
