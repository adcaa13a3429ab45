// C++ coroutine semantics that user code relies on, with promise types of the
// user's own beside coroptx::task, run on every thread of a kernel and on the
// CPU; every thread must agree.
#include "gpu_check.h"

#include <coroptx/coroptx.h>

using coroptx::block_on;
using coroptx::task;

// Counts constructions and destructions of values alive across suspensions.
struct lifetime_log {
  int constructed = 0, destroyed = 0;
};
struct logged {
  lifetime_log *log;
  int value;
  __host__ __device__ logged(lifetime_log *log, int value) : log(log), value(value) {
    ++log->constructed;
  }
  __host__ __device__ ~logged() { ++log->destroyed; }
};

// A user-written generator: lazy start, co_yield, destroy whenever.
template <class T> struct generator {
  struct promise_type {
    T current{};
    __host__ __device__ generator get_return_object() {
      return generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __host__ __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __host__ __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __host__ __device__ std::suspend_always yield_value(T v) noexcept {
      current = v;
      return {};
    }
    __host__ __device__ void return_void() {}
    __host__ __device__ void unhandled_exception() {}
  };
  __host__ __device__ explicit generator(std::coroutine_handle<promise_type> h) : handle(h) {}
  generator(const generator &) = delete;
  __host__ __device__ ~generator() { handle.destroy(); }
  __host__ __device__ bool next() {
    handle.resume();
    return !handle.done();
  }
  __host__ __device__ T value() const { return handle.promise().current; }
  std::coroutine_handle<promise_type> handle;
};

// Suspended coroutines destroyed early run each live local's destructor once.
__host__ __device__ generator<int> counting(lifetime_log *log, int from) {
  logged outer(log, from);
  for (int i = from;; ++i) {
    logged inner(log, i);
    co_yield inner.value + outer.value;
  }
}
__host__ __device__ long long early_destroy(int i) {
  lifetime_log log;
  long long sum = 0;
  {
    generator<int> gen = counting(&log, i);
    for (int k = 0; k < 1 + i % 5 && gen.next(); ++k)
      sum += gen.value();
  } // destroyed while suspended at a co_yield
  return sum * 1000 + log.constructed * 10 + (log.constructed - log.destroyed);
}

// A coroutine lambda with captures by value and by reference.
__host__ __device__ long long lambda_captures(int i) {
  int by_ref = 3 * i;
  int by_value = i + 11;
  auto body = [by_value, &by_ref](int arg) -> task<int> {
    int before = by_ref;
    co_await std::suspend_never{};
    co_return by_value * 7 + before + arg;
  };
  return block_on(body(i % 13));
}

// Member-function coroutines of a class template.
template <class T> struct accumulator {
  T base;
  __host__ __device__ task<T> scaled(T factor) const { co_return base * factor; }
  __host__ __device__ task<T> add_scaled(T factor, T extra) const {
    T s = co_await scaled(factor);
    co_return s + extra;
  }
};
__host__ __device__ long long member_templates(int i) {
  accumulator<long long> wide{i};
  accumulator<int> narrow{i % 100};
  return block_on(wide.add_scaled(3, 4)) * 1000 + block_on(narrow.add_scaled(2, 1));
}

// A large frame: an array alive across suspension points.
__host__ __device__ task<int> square(int x) { co_return x * x; }
__host__ __device__ task<long long> large_frame_body(int seed) {
  int values[64];
  for (int k = 0; k < 64; ++k)
    values[k] = seed * 31 + k;
  long long total = 0;
  for (int k = 0; k < 64; k += 7)
    total += co_await square(values[k] % 1000) + values[63 - k];
  co_return total;
}
__host__ __device__ long long large_frame(int i) { return block_on(large_frame_body(i)); }

// co_await inside switch, a ternary and loops.
__host__ __device__ task<int> plus(int a, int b) { co_return a + b; }
__host__ __device__ task<int> control_flow_body(int x) {
  int r = 0;
  switch (x % 4) {
  case 0:
    r = co_await plus(x, 1);
    break;
  case 1:
    r = co_await plus(x, 2) * 2;
    break;
  default:
    for (int k = 0; k < x % 7; ++k)
      r += co_await plus(k, x);
  }
  r += (x & 1) ? co_await plus(r, 5) : co_await plus(r, -5);
  int n = 0;
  while (n < 3)
    r ^= co_await plus(n++, r);
  do
    r += co_await plus(1, 0);
  while (r % 3 != 0);
  co_return r;
}
__host__ __device__ long long control_flow(int i) { return block_on(control_flow_body(i)); }

// An eager coroutine type of the user's own, with no attribute: it runs when
// called, up to its first real suspension, and can be awaited; a task can
// await it and it can await a task. (A task that awaits an eager
// coroutine held in a local is rejected for now: see
// test/frontend/task-awaiting-held-eager-coroutine.cu.)
template <class T> struct eager {
  struct promise_type {
    T value{};
    std::coroutine_handle<> awaiter;
    __host__ __device__ eager get_return_object() {
      return eager{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __host__ __device__ std::suspend_never initial_suspend() noexcept { return {}; }
    struct final_awaiter {
      __host__ __device__ bool await_ready() noexcept { return false; }
      __host__ __device__ std::coroutine_handle<>
      await_suspend(std::coroutine_handle<promise_type> self) noexcept {
        std::coroutine_handle<> next = self.promise().awaiter;
        return next ? next : std::noop_coroutine();
      }
      __host__ __device__ void await_resume() noexcept {}
    };
    __host__ __device__ final_awaiter final_suspend() noexcept { return {}; }
    __host__ __device__ void return_value(T v) { value = v; }
    __host__ __device__ void unhandled_exception() {}
  };
  __host__ __device__ explicit eager(std::coroutine_handle<promise_type> h) : handle(h) {}
  eager(const eager &) = delete;
  __host__ __device__ ~eager() { handle.destroy(); }
  __host__ __device__ bool await_ready() const noexcept { return handle.done(); }
  __host__ __device__ void await_suspend(std::coroutine_handle<> h) noexcept {
    handle.promise().awaiter = h;
  }
  __host__ __device__ T await_resume() const noexcept { return handle.promise().value; }
  std::coroutine_handle<promise_type> handle;
};
__host__ __device__ eager<int> eager_triple(int x, int *ran) {
  *ran = 1;
  co_return co_await plus(x, x) + x;
}
__host__ __device__ task<int> lazy_over_eager(int x, int *ran) {
  eager<int> held = eager_triple(x, ran); // already ran: eager
  co_return co_await held + 1;
}
// Two promise types awaiting each other, eager and lazy starts.
__host__ __device__ long long eager_and_lazy(int i) {
  int eager_ran = 0, lazy_ran = 0;
  eager<int> started = eager_triple(i, &eager_ran);
  int eager_ran_at_call = eager_ran; // 1: an eager coroutine runs when called
  task<int> lazy = lazy_over_eager(i, &lazy_ran);
  int lazy_ran_at_call = lazy_ran; // 0: a task runs when driven
  int result = block_on(std::move(lazy));
  return result * 1000LL + started.await_resume() * 10 +
         eager_ran_at_call * 4 + lazy_ran_at_call * 2 + lazy_ran;
}

// By-value parameters that own something: the callee (a plain function or a
// coroutine, which moves each parameter into its frame) takes what the
// parameter owns, and the caller's destruction of its moved-from object must
// release nothing. clang 22 passes such objects byval on NVPTX, a copy the
// move never reaches; coroptx passes them in place, as C++ requires.
struct owning {
  lifetime_log *log;
  __host__ __device__ explicit owning(lifetime_log *log) : log(log) {}
  __host__ __device__ owning(owning &&other) : log(other.log) { other.log = nullptr; }
  owning(const owning &) = delete;
  __host__ __device__ ~owning() {
    if (log)
      ++log->destroyed;
  }
};
__host__ __device__ __noinline__ int take_ownership(owning taken, int x) {
  owning mine(static_cast<owning &&>(taken));
  return x + 1;
}
__host__ __device__ task<int> doubled(int x) { co_return 2 * x; }
__host__ __device__ task<int> hold_across_suspend(owning held, int x) {
  const int twice = co_await doubled(x); // suspends while the child runs
  co_return twice + (held.log != nullptr);
}
__host__ __device__ long long moved_parameters(int i) {
  lifetime_log log;
  int plain = take_ownership(owning(&log), i);
  const int released_by_call = log.destroyed; // 1: by the callee alone
  task<int> held = hold_across_suspend(owning(&log), i);
  const int released_at_start = log.destroyed; // still 1: the frame holds it
  int awaited = block_on(std::move(held));
  return plain * 100000LL + awaited * 100 + released_by_call * 10 +
         released_at_start + log.destroyed * 1000;
}

int main() {
  if (!gpu_check::have_gpu()) {
    std::printf("semantics_on_gpu: no CUDA device found; skipped\n");
    return gpu_check::skipped;
  }
  const int n = 64 * 1024;
  bool ok = true;
  ok &= gpu_check::compare<early_destroy>("early_destroy", n);
  ok &= gpu_check::compare<lambda_captures>("lambda_captures", n);
  ok &= gpu_check::compare<member_templates>("member_templates", n);
  ok &= gpu_check::compare<large_frame>("large_frame", n);
  ok &= gpu_check::compare<control_flow>("control_flow", n);
  ok &= gpu_check::compare<eager_and_lazy>("eager_and_lazy", n);
  ok &= gpu_check::compare<moved_parameters>("moved_parameters", n);
  std::printf("semantics_on_gpu: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
