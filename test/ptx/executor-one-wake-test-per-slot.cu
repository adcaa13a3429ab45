// A round of run() compares each slot's wake time with the clock once: the
// thread's own bits of the round, taken when it began, say which slots to
// resume. Before 8a24dd2 the visit looked again (ready() on the slot), and
// one of those 64-bit compares stayed beside the four of the round's bits.
// (At 16 jobs per thread the look cost 13% of a round on the H200.) The
// jobs sleep for a time known only at run time, so no compare folds.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}
#include <coroptx/executor.h>

constexpr int jobs = 4;
using executor = coroptx::static_executor<jobs, 128>;

__device__ coroptx::job<> sleeper(executor &ex, unsigned seed, int steps,
                                  unsigned ns, unsigned *out) {
  unsigned state = seed;
  for (int left = steps; left != 0; --left) {
    state = state * 1664525u + 1013904223u;
    co_await ex.sleep_for(ns);
  }
  *out = state;
}

// CHECK-LABEL: .entry _Z8sleepersPjij
// CHECK-NOT: .local
// CHECK-NOT: call
// CHECK-COUNT-4: setp.{{gt|ge|lt|le}}.u64
// CHECK-NOT: setp.{{gt|ge|lt|le}}.u64
// CHECK: ret;
__global__ void sleepers(unsigned *out, int steps, unsigned ns) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  executor ex;
  for (int k = 0; k < jobs; ++k)
    if (!ex.spawn(sleeper(ex, t + k, steps, ns, &out[jobs * t + k])))
      __trap();
  ex.run();
}
