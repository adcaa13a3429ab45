// Workers started by a loop whose trip count is a kernel argument: nothing
// bounds how many frames are alive at once, so no stack can hold them and
// the compile stops at the coroutine's line, with the reason as a remark.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Rpass-missed=coroptx -Xclang -verify %s
#include "../Inputs/lazy_worker.h"

// expected-error-re@+2 {{coroptx: the frame of device coroutine 'work(unsigned int*)' would be allocated on the heap{{.*}}}}
// expected-remark@+1 {{device coroutine 'work(unsigned int*)': frame not placed in the stack of 'unbounded(unsigned int*, int)': it is started in a loop without a constant trip count, so no bound on its live frames is known}}
__device__ worker work(unsigned *out) {
  for (int step = 0; step < 8; ++step) {
    ++*out;
    co_await std::suspend_always{};
  }
}

__global__ void unbounded(unsigned *out, int n) {
  worker workers[16];
  for (int k = 0; k < n; ++k) // restarts workers: k % 16 wraps around
    workers[k % 16] = work(&out[k]);
  for (int k = 0; k < 16; ++k)
    workers[k].handle.resume();
}
