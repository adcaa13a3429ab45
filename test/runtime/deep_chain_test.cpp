// A long chain of awaits, one after another in a loop inside one coroutine.
#include <coroptx/coroptx.h>

#include <gtest/gtest.h>

namespace {

using coroptx::block_on;
using coroptx::task;

task<long long> identity(long long value) { co_return value; }

task<long long> sum_below(long long n) {
  long long sum = 0;
  for (long long i = 0; i < n; ++i)
    sum += co_await identity(i);
  co_return sum;
}

TEST(DeepChain, TenThousandSequentialAwaitsSumEveryResult) {
  EXPECT_EQ(block_on(sum_below(10'000)), 49'995'000LL);
}

} // namespace
