// The benchmark's workloads, written once as coroutines. A variant's source
// defines BENCH_VARIANT (its namespace) and bench::promise_storage's
// allocation before including this file; every variant gets the same kernels.
// The hand-written state machines for the same work are in hand_written.cu.
#ifndef BENCH_VARIANT
#error "define BENCH_VARIANT before including workloads.h"
#endif

#include "bench_task.h"
#include "workload_ids.h"

namespace bench {
namespace BENCH_VARIANT {

__device__ task<unsigned> child(unsigned acc, unsigned step) {
  co_return mix(acc, step);
}

// 1. block_on of a task that awaits a child in a loop.
__device__ task<unsigned> awaits_in_loop(unsigned seed) {
  unsigned acc = seed;
  for (unsigned step = 0; step < kSteps; ++step)
    acc = co_await child(acc, step);
  co_return acc;
}
__global__ void block_on_loop(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  out[t] = awaits_in_loop(seed + t).run();
}

// 2. K workers per thread, resumed round-robin; each awaits a child and then
//    yields to the scheduler, kSteps times.
__device__ worker awaiting_worker(unsigned seed, unsigned *result) {
  unsigned acc = seed;
  for (unsigned step = 0; step < kSteps; ++step) {
    acc = co_await child(acc, step);
    co_await std::suspend_always{};
  }
  *result = acc;
}
template <int K> __global__ void round_robin(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned results[K];
  worker workers[K];
  for (int k = 0; k < K; ++k)
    workers[k] = awaiting_worker(seed + t * K + k, &results[k]);
  for (unsigned round = 0; round <= kSteps; ++round)
    for (int k = 0; k < K; ++k)
      if (!workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
  for (int k = 0; k < K; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k] + k;
  }
  out[t] = sum;
}

// 3. A co_yield generator feeding a reduction.
__device__ generator values(unsigned seed) {
  unsigned x = seed;
  for (unsigned step = 0; step < kSteps; ++step) {
    x = mix(x, step);
    co_yield x;
  }
}
__global__ void generator_sum(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  generator g = values(seed + t);
  unsigned sum = 0;
  for (;;) {
    g.handle.resume();
    if (g.handle.done())
      break;
    sum += g.handle.promise().current;
  }
  g.handle.destroy();
  out[t] = sum;
}

// 4. Five levels of nested awaited tasks, in a loop.
__device__ task<unsigned> level1(unsigned x) { co_return mix(x, 1); }
__device__ task<unsigned> level2(unsigned x) { co_return mix(co_await level1(x), 2); }
__device__ task<unsigned> level3(unsigned x) { co_return mix(co_await level2(x), 3); }
__device__ task<unsigned> level4(unsigned x) { co_return mix(co_await level3(x), 4); }
__device__ task<unsigned> level5(unsigned x) { co_return mix(co_await level4(x), 5); }
__device__ task<unsigned> nested_loop(unsigned seed) {
  unsigned acc = seed;
  for (unsigned i = 0; i < kNestedRepeats; ++i)
    acc = co_await level5(acc + i);
  co_return acc;
}
__global__ void nested_5(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  out[t] = nested_loop(seed + t).run();
}

// 5. Mostly suspended: kSleepers workers per thread, of which only those
//    whose turn it is (1 in kSleepPeriod) are resumed at each tick.
__device__ worker sleeper(unsigned seed, unsigned *result) {
  unsigned acc = seed;
  for (unsigned step = 0; step < kSleeperSteps; ++step) {
    acc = mix(acc, step);
    co_await std::suspend_always{};
  }
  *result = acc;
}
__global__ void mostly_suspended(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned results[kSleepers];
  worker workers[kSleepers];
  for (int k = 0; k < kSleepers; ++k)
    workers[k] = sleeper(seed + t * kSleepers + k, &results[k]);
  for (unsigned tick = 0; tick < kTicks; ++tick)
    for (int k = 0; k < kSleepers; ++k)
      if (is_turn(tick, k) && !workers[k].handle.done())
        workers[k].handle.resume();
  unsigned sum = 0;
  for (int k = 0; k < kSleepers; ++k) {
    workers[k].handle.destroy();
    sum ^= results[k] + k;
  }
  out[t] = sum;
}

} // namespace BENCH_VARIANT

/// This variant's kernels, indexed by workload.
kernel_table BENCH_CONCAT(kernels_, BENCH_VARIANT)() {
  using namespace BENCH_VARIANT;
  return make_kernel_table(&block_on_loop, &round_robin<1>, &round_robin<4>,
                           &round_robin<16>, &generator_sum, &nested_5,
                           &mostly_suspended);
}

} // namespace bench
