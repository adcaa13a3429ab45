// A generator's `x = mix(x, step); co_yield x;`, driven to its end by a
// kernel: each value is computed once, as in the loop a programmer writes.
// Two things stood in the way. CoroSplit kept the previous x in the frame
// and multiplied again after each resume to get the x it had yielded (two
// multiplies per value); SpillComputedValues keeps the value itself. And
// the loop ended on the flattened resume slot's done() test, so it had no
// trip count and was never unrolled; ConstantPhiCompares turns that test
// into a flag, and the loop of four values unrolls completely: four
// multiplies, no branch, no local memory.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include <coroutine>

struct generator {
  struct promise_type {
    unsigned current = 0;
    __device__ generator get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __device__ std::suspend_always yield_value(unsigned value) noexcept {
      current = value;
      return {};
    }
    __device__ void return_void() {}
    __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

__device__ unsigned mix(unsigned x, unsigned step) {
  x ^= x >> 13;
  return x * 1664525u + 1013904223u + step;
}

__device__ generator values(unsigned seed) {
  unsigned x = seed;
  for (unsigned step = 0; step < 4; ++step) {
    x = mix(x, step);
    co_yield x;
  }
}

// CHECK-LABEL: .entry _Z3sumPjj(
// CHECK-NOT:     {{bra|ld.local|st.local}}
// CHECK-COUNT-4: {{mul.lo.s32|mad.lo.s32}} {{.*}}, 1664525
// CHECK-NOT:     {{bra|ld.local|st.local|1664525}}
// CHECK:         ret;
__global__ void sum(unsigned *out, unsigned seed) {
  generator g = values(seed + threadIdx.x);
  unsigned total = 0;
  for (;;) {
    g.handle.resume();
    if (g.handle.done())
      break;
    total += g.handle.promise().current;
  }
  g.handle.destroy();
  out[threadIdx.x] = total;
}
