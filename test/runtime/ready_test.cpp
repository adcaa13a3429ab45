// ready(v): an awaitable that already holds its value and never suspends.
#include <coroptx/coroptx.h>

#include <gtest/gtest.h>

#include <memory>
#include <type_traits>

namespace {

using coroptx::block_on;
using coroptx::ready;
using coroptx::task;

TEST(Ready, DeducesItsValueType) {
  EXPECT_TRUE(
      (std::is_same_v<decltype(ready(1.5)), coroptx::ready_awaitable<double>>));
}

TEST(Ready, IsReadyWithoutSuspending) {
  auto r = ready(3);
  EXPECT_TRUE(r.await_ready());
  EXPECT_EQ(r.await_resume(), 3);
}

task<int> add_ready_values() { co_return co_await ready(2) + co_await ready(3); }

TEST(Ready, YieldsItsValueWhenAwaited) {
  EXPECT_EQ(block_on(add_ready_values()), 5);
}

task<int> unbox_ready() {
  std::unique_ptr<int> p = co_await ready(std::make_unique<int>(4));
  co_return *p;
}

TEST(Ready, HandsOverAMoveOnlyValue) { EXPECT_EQ(block_on(unbox_ready()), 4); }

} // namespace
