// then(a, f) and .then(f): map a result, flatten an awaitable f returns,
// chain steps, and handle void on either side.
#include <coroptx/coroptx.h>

#include "support.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

namespace {

using coroptx::block_on;
using coroptx::ready;
using coroptx::task;
using coroptx_test::counted;
using coroptx_test::lifetimes;

task<int> seven() { co_return 7; }

task<int> twice(int value) { co_return 2 * value; }

task<void> set_flag(bool &flag) {
  flag = true;
  co_return;
}

TEST(Then, FreeFunctionAppliesFToTheResult) {
  auto chain = coroptx::then(ready(2), [](int x) { return x * 3; });
  EXPECT_TRUE((std::is_same_v<decltype(chain), task<int>>));
  EXPECT_EQ(block_on(std::move(chain)), 6);
}

TEST(Then, MemberOfReadyAppliesFToTheValue) {
  EXPECT_EQ(block_on(ready(2).then([](int x) { return x + 1; })), 3);
}

TEST(Then, MemberOfTaskAppliesFToTheResult) {
  EXPECT_EQ(block_on(seven().then([](int x) { return x + 1; })), 8);
}

TEST(Then, MapsToAnotherType) {
  auto chain = seven().then([](int x) { return std::to_string(x); });
  EXPECT_TRUE((std::is_same_v<decltype(chain), task<std::string>>));
  EXPECT_EQ(block_on(std::move(chain)), "7");
}

TEST(Then, FlattensATaskReturnedByF) {
  auto chain = ready(4).then([](int x) { return twice(x); });
  EXPECT_TRUE((std::is_same_v<decltype(chain), task<int>>));
  EXPECT_EQ(block_on(std::move(chain)), 8);
}

TEST(Then, FlattensAReadyAwaitableReturnedByF) {
  auto chain = seven().then([](int x) { return ready(x * 1.5); });
  EXPECT_TRUE((std::is_same_v<decltype(chain), task<double>>));
  EXPECT_EQ(block_on(std::move(chain)), 10.5);
}

TEST(Then, KeepsACapturingCoroutineLambdaAliveWhileItRuns) {
  int factor = 3;
  auto chain = ready(2).then([factor](int x) -> task<int> {
    co_await seven();
    co_return x * factor;
  });
  EXPECT_EQ(block_on(std::move(chain)), 6);
}

task<std::size_t> length(const std::string &text) { co_return text.size(); }

TEST(Then, KeepsTheResultAliveForACoroutineThatBorrowsIt) {
  auto chain = ready(std::string("borrowed")).then(
      [](const std::string &text) { return length(text); });
  EXPECT_EQ(block_on(std::move(chain)), 8u);
}

TEST(Then, ChainsSeveralSteps) {
  auto chain = ready(1)
                   .then([](int x) { return x + 1; })
                   .then([](int x) { return twice(x); })
                   .then([](int x) { return std::to_string(x); })
                   .then([](std::string s) { return s + "!"; });
  EXPECT_EQ(block_on(std::move(chain)), "4!");
}

TEST(Then, OnAVoidTaskCallsFWithNoArgument) {
  bool ran = false;
  auto chain = set_flag(ran).then([&ran] { return ran ? 1 : 0; });
  EXPECT_TRUE((std::is_same_v<decltype(chain), task<int>>));
  EXPECT_EQ(block_on(std::move(chain)), 1);
}

TEST(Then, OnAVoidTaskFlattensAnAwaitableReturnedByF) {
  bool ran = false;
  EXPECT_EQ(block_on(set_flag(ran).then([] { return seven(); })), 7);
  EXPECT_TRUE(ran);
}

TEST(Then, FReturningVoidMakesAVoidTask) {
  int seen = 0;
  auto chain = ready(5).then([&seen](int x) { seen = x; });
  EXPECT_TRUE((std::is_same_v<decltype(chain), task<void>>));
  block_on(std::move(chain));
  EXPECT_EQ(seen, 5);
}

TEST(Then, FReturningAVoidTaskIsAwaited) {
  bool ran = false;
  auto chain = ready(1).then([&ran](int) { return set_flag(ran); });
  EXPECT_TRUE((std::is_same_v<decltype(chain), task<void>>));
  block_on(std::move(chain));
  EXPECT_TRUE(ran);
}

TEST(Then, VoidToVoidRunsBothSteps) {
  bool first = false;
  bool second = false;
  block_on(set_flag(first).then([&second] { second = true; }));
  EXPECT_TRUE(first);
  EXPECT_TRUE(second);
}

TEST(Then, RunsNothingUntilDriven) {
  bool ran = false;
  bool called = false;
  auto chain = set_flag(ran).then([&called] { called = true; });
  EXPECT_FALSE(ran);
  EXPECT_FALSE(called);
  block_on(std::move(chain));
  EXPECT_TRUE(ran);
  EXPECT_TRUE(called);
}

TEST(Then, PassesAMoveOnlyResultToF) {
  auto chain = ready(std::make_unique<int>(4)).then(
      [](std::unique_ptr<int> p) { return *p + 1; });
  EXPECT_EQ(block_on(std::move(chain)), 5);
}

TEST(Then, DestroysEveryIntermediateValueOnce) {
  lifetimes record;
  auto chain =
      ready(counted(record, 2))
          .then([&record](counted c) { return counted(record, c.value() * 2); })
          .then([](counted c) { return c.value() + 1; });
  EXPECT_EQ(block_on(std::move(chain)), 5);
  EXPECT_GT(record.constructed, 0);
  EXPECT_EQ(record.alive(), 0);
}

} // namespace
