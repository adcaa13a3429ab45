// The runtime on the GPU: every scenario runs on each thread of a kernel and
// on the CPU, and the results must agree thread by thread.
#include "gpu_check.h"

#include <coroptx/coroptx.h>

using coroptx::block_on;
using coroptx::ready;
using coroptx::task;

// Five levels of awaited tasks.
__host__ __device__ task<int> level0(int x) { co_return x + 1; }
__host__ __device__ task<int> level1(int x) { co_return 3 * co_await level0(x); }
__host__ __device__ task<int> level2(int x) { co_return co_await level1(x) - 7; }
__host__ __device__ task<int> level3(int x) { co_return co_await level2(x) ^ 0x55; }
__host__ __device__ task<int> level4(int x) { co_return co_await level3(x) * 5; }
__host__ __device__ long long five_levels(int i) { return block_on(level4(i)); }

// A loop awaiting a child 64 times.
__host__ __device__ task<int> step(int acc, int k) { co_return acc * 31 + k; }
__host__ __device__ task<int> loop_of_children(int seed) {
  int acc = seed;
  for (int k = 0; k < 64; ++k)
    acc = co_await step(acc, k);
  co_return acc;
}
__host__ __device__ long long sixty_four_awaits(int i) {
  return block_on(loop_of_children(i));
}

// when_all over a task, a ready value and a task<void>.
__host__ __device__ task<void> bump(int *counter) {
  ++*counter;
  co_return;
}
__host__ __device__ long long when_all_mixed(int i) {
  int counter = i;
  auto [a, b, nothing] =
      block_on(coroptx::when_all(level0(i), ready(2LL * i), bump(&counter)));
  (void)nothing;
  return a + b + 1000LL * counter;
}

// then: a map, a flattening awaitable, and a void task followed by a value.
__host__ __device__ long long then_chains(int i) {
  int counter = 0;
  int mapped = block_on(ready(i).then([](int v) { return v * 3; }));
  int flattened = block_on(
      level1(i).then([](int v) { return level0(v); }).then([](int v) {
        return ready(v - 2);
      }));
  int after_void =
      block_on(bump(&counter).then([&counter] { return counter * 10; }));
  return mapped + 100LL * flattened + 100000LL * after_void;
}

// Locals alive across a suspension are destroyed exactly once.
struct tracked {
  int *live;
  int *destroyed;
  __host__ __device__ explicit tracked(int *live, int *destroyed)
      : live(live), destroyed(destroyed) {
    ++*live;
  }
  __host__ __device__ ~tracked() {
    --*live;
    ++*destroyed;
  }
};
__host__ __device__ task<int> holds_local(int *live, int *destroyed, int x) {
  tracked guard(live, destroyed);
  int seen_live = *live;
  int y = co_await level0(x);
  co_return y * 10 + seen_live;
}
__host__ __device__ task<int> holds_two(int *live, int *destroyed, int x) {
  tracked outer(live, destroyed);
  int a = co_await holds_local(live, destroyed, x);
  int b = co_await holds_local(live, destroyed, a);
  co_return a + b;
}
__host__ __device__ long long destructors_once(int i) {
  int live = 0, destroyed = 0;
  int r = block_on(holds_two(&live, &destroyed, i % 1000));
  return r * 100LL + live * 10 + destroyed; // live == 0, destroyed == 3
}

// A co_yield generator with a user-written promise, resumed by hand.
struct fib_generator {
  struct promise_type {
    long long current = 0;
    __host__ __device__ fib_generator get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __host__ __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __host__ __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __host__ __device__ std::suspend_always yield_value(long long v) noexcept {
      current = v;
      return {};
    }
    __host__ __device__ void return_void() {}
    __host__ __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};
__host__ __device__ fib_generator fibonacci(long long a, long long b) {
  for (;;) {
    co_yield a;
    long long next = a + b;
    a = b;
    b = next;
  }
}
__host__ __device__ long long generator_sum(int i) {
  fib_generator gen = fibonacci(i % 7, 1);
  long long sum = 0;
  for (int k = 0; k < 40; ++k) {
    gen.handle.resume();
    sum = sum * 3 + gen.handle.promise().current;
  }
  gen.handle.destroy();
  return sum;
}

// Resuming and destroying std::noop_coroutine() does nothing, on both sides.
__host__ __device__ long long noop_resume(int i) {
  std::coroutine_handle<> noop = std::noop_coroutine();
  noop.resume();
  noop.destroy();
  return noop.done() ? -i : i;
}

int main() {
  if (!gpu_check::have_gpu()) {
    std::printf("runtime_on_gpu: no CUDA device found; skipped\n");
    return gpu_check::skipped;
  }
  const int n = 64 * 1024;
  bool ok = true;
  ok &= gpu_check::compare<five_levels>("five_levels", n);
  ok &= gpu_check::compare<sixty_four_awaits>("sixty_four_awaits", n);
  ok &= gpu_check::compare<when_all_mixed>("when_all_mixed", n);
  ok &= gpu_check::compare<then_chains>("then_chains", n);
  ok &= gpu_check::compare<destructors_once>("destructors_once", n);
  ok &= gpu_check::compare<generator_sum>("generator_sum", n);
  ok &= gpu_check::compare<noop_resume>("noop_resume", n);
  std::printf("runtime_on_gpu: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
