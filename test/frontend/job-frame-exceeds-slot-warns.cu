// A job whose device frame is larger than the executor's slots can never be
// spawned: the executor warns at compile time instead of letting every
// spawn fail quietly. A job that fits gets no warning.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -verify %s
#include <coroptx/executor.h>

using executor = coroptx::static_executor<2, 64>;

__device__ coroptx::job<int> fits(executor &ex, int x) {
  co_await ex.yield_now();
  co_return x + 1;
}

__device__ coroptx::job<int> too_big(executor &ex, const int *in) {
  int big[64];
  for (int i = 0; i < 64; ++i)
    big[i] = in[i];
  co_await ex.yield_now();
  int sum = 0;
  for (int i = 0; i < 64; ++i)
    sum += big[i];
  co_return sum;
}

// expected-warning@coroptx/executor.h:* {{call to 'coroptx::detail::job_frame_exceeds_slot()' declared with 'warning' attribute: coroptx: this job's frame is larger than the executor's SlotBytes, so spawning it always fails}}
__global__ void spawn_both(int *out, const int *in) {
  executor ex;
  auto small = ex.spawn(fits(ex, out[0]));
  auto large = ex.spawn(too_big(ex, in));
  ex.run();
  out[0] = small.get() + (large ? 1 : 0);
}
