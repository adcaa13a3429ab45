// Variant (a): the state machines a CUDA expert writes by hand for the same
// work as workloads.h: plain loops, and for schedulers a small struct per
// worker with its state kept in registers where the indices allow it.
#include "workload_ids.h"

namespace bench {
namespace hand_written {

__global__ void block_on_loop(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned acc = seed + t;
  for (unsigned step = 0; step < kSteps; ++step)
    acc = mix(acc, step);
  out[t] = acc;
}

template <int K> __global__ void round_robin(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  struct state {
    unsigned acc, step;
  } workers[K];
  for (int k = 0; k < K; ++k)
    workers[k] = {seed + t * K + k, 0};
  for (unsigned round = 0; round < kSteps; ++round)
    for (int k = 0; k < K; ++k) {
      state &w = workers[k];
      w.acc = mix(w.acc, w.step);
      ++w.step;
    }
  unsigned sum = 0;
  for (int k = 0; k < K; ++k)
    sum ^= workers[k].acc + k;
  out[t] = sum;
}

__global__ void generator_sum(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned x = seed + t, sum = 0;
  for (unsigned step = 0; step < kSteps; ++step) {
    x = mix(x, step);
    sum += x;
  }
  out[t] = sum;
}

__global__ void nested_5(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned acc = seed + t;
  for (unsigned i = 0; i < kNestedRepeats; ++i) {
    unsigned x = acc + i;
    for (unsigned level = 1; level <= 5; ++level)
      x = mix(x, level);
    acc = x;
  }
  out[t] = acc;
}

__global__ void mostly_suspended(unsigned *out, unsigned seed) {
  const unsigned t = blockIdx.x * blockDim.x + threadIdx.x;
  struct state {
    unsigned acc, step;
  } workers[kSleepers];
  for (int k = 0; k < kSleepers; ++k)
    workers[k] = {seed + t * kSleepers + k, 0};
  for (unsigned tick = 0; tick < kTicks; ++tick)
    for (int k = 0; k < kSleepers; ++k)
      if (is_turn(tick, k) && workers[k].step < kSleeperSteps) {
        workers[k].acc = mix(workers[k].acc, workers[k].step);
        ++workers[k].step;
      }
  unsigned sum = 0;
  for (int k = 0; k < kSleepers; ++k)
    sum ^= workers[k].acc + k;
  out[t] = sum;
}

} // namespace hand_written

kernel_table kernels_hand_written() {
  using namespace hand_written;
  return make_kernel_table(&block_on_loop, &round_robin<1>, &round_robin<4>,
                           &round_robin<16>, &generator_sum, &nested_5,
                           &mostly_suspended);
}

} // namespace bench
