// Workers whose handles sit in a local array, filled and resumed by loops
// with run-time indices (round-robin scheduling). LLVM's CoroElide cannot
// follow the handles through the array; once everything is inlined, coroptx
// proves that every copy stays in the kernel and gives the frames the
// kernel's stack: one slot per iteration of the loop that starts them
// (at -O2 the loop is unrolled first, so four frames get one slot each).
// A loop without a constant trip count has no such bound: see
// workers-started-in-unbounded-loop.cu.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Rpass=coroptx -Xclang -verify=expected,O2 %s
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -S -o /dev/null -Rpass=coroptx -Xclang -verify=expected,O0 %s
#include "../Inputs/lazy_worker.h"

// expected-remark@+3 {{device coroutine 'work(unsigned int, unsigned int*)': 40-byte frame, 3 suspend points (initial and final included); its handle passes through memory, so the frame is placed after inlining, in the stack of the function that holds it}}
// O2-remark-re@+2 1+ {{device coroutine 'work(unsigned int, unsigned int*)': 40-byte frame placed in the stack of 'round_robin(unsigned int*)'{{$}}}}
// O0-remark@+1 {{device coroutine 'work(unsigned int, unsigned int*)': 40-byte frame placed in the stack of 'round_robin(unsigned int*)', 4 slots for the frames its loops start}}
__device__ worker work(unsigned seed, unsigned *out) {
  unsigned acc = seed;
  for (unsigned step = 0; step < 64; ++step) {
    acc = acc * 1664525u + 1013904223u + step;
    co_await std::suspend_always{};
  }
  *out = acc;
}

__global__ void round_robin(unsigned *out) {
  constexpr int K = 4;
  unsigned results[K];
  worker workers[K];
  // CoroutineArrayUnrolling marks the loops over the array for unrolling
  // (LLVM would unroll these small ones anyway; see
  // test/ptx/coroutine-array-loops-unrolled.cu for 16 workers).
  // O2-remark@+1 {{this loop over 4 coroutines of a local array is unrolled: each frame at a constant offset can live in registers}}
  for (int k = 0; k < K; ++k)
    workers[k] = work(threadIdx.x * K + k, &results[k]);
  // The first round starts the workers, the later ones resume them at
  // their one await: the suspend indices are 1 from the second round on.
  // Every worker then steps on the same rounds and finishes on the last:
  // the rounds split into a loop without the done() tests and that last.
  // O2-remark@+2 {{the first trip of this loop is peeled: from the second on, a state it tests is always 1, and its tests fold}}
  // O2-remark@+1 {{the 64 trips of this loop split into 2 phases, each repeating one path through 1 trip; their branches fold}}
  for (int round = 0; round <= 64; ++round)
    // O2-remark@+1 {{this loop over 4 coroutines of a local array is unrolled: each frame at a constant offset can live in registers}}
    for (int k = 0; k < K; ++k)
      if (!workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
  // O2-remark@+1 {{this loop over 4 coroutines of a local array is unrolled: each frame at a constant offset can live in registers}}
  for (int k = 0; k < K; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k];
  }
  out[threadIdx.x] = sum;
}
