// The job the executor lowering tests spawn: a linear congruential state
// stepped \p steps times, yielding to the executor after each step, then
// written to \p out. It gives every frame a little state that lives across
// suspensions and one await, so a test checks where the executor's frames
// end up, not what the job computes.
#ifndef COROPTX_TEST_STEPPER_JOB_H
#define COROPTX_TEST_STEPPER_JOB_H

#include <coroptx/executor.h>

template <class Executor>
__device__ coroptx::job<> stepper(Executor &ex, unsigned seed, int steps,
                                  unsigned *out) {
  unsigned state = seed;
  for (int left = steps; left != 0; --left) {
    state = state * 1664525u + 1013904223u;
    co_await ex.yield_now();
  }
  *out = state;
}

#endif // COROPTX_TEST_STEPPER_JOB_H
