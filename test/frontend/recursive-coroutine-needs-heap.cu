// A coroutine that awaits itself has no bound on how many frames it needs at
// once, so no caller can hold them: coroptx rejects it at its line and says
// the recursion is why.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -verify %s
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -S -o /dev/null -Xclang -verify %s
#include <coroptx/block_on.h>

using coroptx::task;

__device__ task<int> fib(int n) { // expected-error-re {{coroptx: the frame of device coroutine 'fib(int)' would be allocated on the heap: it is part of a recursion among coroutines ('fib(int)'){{.*}}}}
  if (n < 2)
    co_return n;
  co_return co_await fib(n - 1) + co_await fib(n - 2);
}

// Mutual recursion through an ordinary function: pong, awaited inside the
// cycle, is rejected; ping's frame is held by start_ping on the stack, which
// the recursion grows like any recursive call.
__device__ task<int> ping(int n);
__device__ int start_ping(int n);
__device__ task<int> pong(int n) { // expected-error-re {{coroptx: the frame of device coroutine 'pong(int)' would be allocated on the heap: it is part of a recursion among coroutines ({{.*}}){{.*}}}}
  co_return n <= 0 ? 0 : start_ping(n - 1) + 1;
}
__device__ int start_ping(int n) { return coroptx::block_on(ping(n)); }
__device__ task<int> ping(int n) { co_return co_await pong(n) + 1; }

__global__ void kernel(int *out) {
  out[0] = coroptx::block_on(fib(threadIdx.x));
  out[1] = coroptx::block_on(ping(threadIdx.x));
}
