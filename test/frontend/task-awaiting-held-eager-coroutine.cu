// Where frame placement stops today: a task that awaits an eager coroutine
// it holds in a local. The eager coroutine's handle is stored into the frame
// of the task it awaits (as that task's continuation), which LLVM's CoroElide
// cannot prove safe, so the frame would need the heap: coroptx says so at the
// coroutine's line instead of calling malloc. (An eager coroutine held by a
// kernel, or awaiting tasks itself, is placed: test/gpu/semantics_on_gpu.cu.)
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -verify %s
#include <coroptx/block_on.h>

using coroptx::task;

template <class T> struct eager {
  struct promise_type {
    T value{};
    std::coroutine_handle<> awaiter;
    __device__ eager get_return_object() {
      return eager{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __device__ std::suspend_never initial_suspend() noexcept { return {}; }
    struct final_awaiter {
      __device__ bool await_ready() noexcept { return false; }
      __device__ std::coroutine_handle<>
      await_suspend(std::coroutine_handle<promise_type> self) noexcept {
        std::coroutine_handle<> next = self.promise().awaiter;
        return next ? next : std::noop_coroutine();
      }
      __device__ void await_resume() noexcept {}
    };
    __device__ final_awaiter final_suspend() noexcept { return {}; }
    __device__ void return_value(T v) { value = v; }
    __device__ void unhandled_exception() {}
  };
  __device__ explicit eager(std::coroutine_handle<promise_type> h) : handle(h) {}
  eager(const eager &) = delete;
  __device__ ~eager() { handle.destroy(); }
  __device__ bool await_ready() const noexcept { return handle.done(); }
  __device__ void await_suspend(std::coroutine_handle<> h) noexcept {
    handle.promise().awaiter = h;
  }
  __device__ T await_resume() const noexcept { return handle.promise().value; }
  std::coroutine_handle<promise_type> handle;
};

__device__ task<int> plus(int a, int b) { co_return a + b; }

__device__ eager<int> eager_triple(int x) { // expected-error-re {{coroptx: the frame of device coroutine 'eager_triple(int)' would be allocated on the heap{{.*}}}}
  co_return co_await plus(x, x) + x;
}

__device__ task<int> lazy_over_eager(int x) {
  eager<int> held = eager_triple(x);
  co_return co_await held + 1;
}

__global__ void kernel(int *out) { out[threadIdx.x] = coroptx::block_on(lazy_over_eager(threadIdx.x)); }
