// The awaitable concept, await_result_t, and unit.
#include <coroptx/coroptx.h>

#include <gtest/gtest.h>

#include <coroutine>
#include <type_traits>

namespace {

using coroptx::awaitable;
using coroptx::await_result_t;

/// Has the member protocol, with await_suspend a template as many types do.
struct generic_awaiter {
  bool await_ready() const noexcept { return true; }
  template <class Promise>
  void await_suspend(std::coroutine_handle<Promise>) noexcept {}
  long await_resume() const noexcept { return 0; }
};

/// Lacks await_resume.
struct half_awaiter {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
};

TEST(Awaitable, AcceptsTheRuntimeTypesAndTheMemberProtocol) {
  EXPECT_TRUE(awaitable<coroptx::task<int>>);
  EXPECT_TRUE(awaitable<coroptx::task<void>>);
  EXPECT_TRUE(awaitable<coroptx::ready_awaitable<double>>);
  EXPECT_TRUE(awaitable<generic_awaiter>);
}

TEST(Awaitable, RejectsTypesWithoutTheWholeProtocol) {
  EXPECT_FALSE(awaitable<int>);
  EXPECT_FALSE(awaitable<half_awaiter>);
}

TEST(Awaitable, ResultTypeIsWhatAwaitResumeReturns) {
  EXPECT_TRUE((std::is_same_v<await_result_t<coroptx::task<int>>, int>));
  EXPECT_TRUE((std::is_void_v<await_result_t<coroptx::task<void>>>));
  EXPECT_TRUE(
      (std::is_same_v<await_result_t<coroptx::ready_awaitable<char>>, char>));
  EXPECT_TRUE((std::is_same_v<await_result_t<generic_awaiter>, long>));
}

TEST(Unit, EveryUnitIsEqual) {
  EXPECT_TRUE(coroptx::unit{} == coroptx::unit{});
  EXPECT_FALSE(coroptx::unit{} != coroptx::unit{});
}

} // namespace
