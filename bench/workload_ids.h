// What every variant of the benchmark shares: the workloads' sizes, their
// arithmetic, and the table of kernels a variant hands to the driver.
#ifndef COROPTX_BENCH_WORKLOAD_IDS_H
#define COROPTX_BENCH_WORKLOAD_IDS_H

namespace bench {

constexpr unsigned kSteps = 64;         // awaits or yields per coroutine
constexpr unsigned kNestedRepeats = 16; // five-level awaits per thread
constexpr int kSleepers = 16;           // workers per thread, mostly asleep
constexpr unsigned kSleepPeriod = 8;    // a sleeper runs 1 tick in 8
constexpr unsigned kSleeperSteps = 16;
constexpr unsigned kTicks = kSleepPeriod * (kSleeperSteps + 1);

/// One step of work. The xor-shift keeps it nonlinear: an affine step
/// would let the compiler fold eight iterations of the hand-written loops
/// into one multiply-add, which the benchmark would then time instead of
/// the state machine.
__host__ __device__ inline unsigned mix(unsigned acc, unsigned step) {
  acc ^= acc >> 13;
  return acc * 1664525u + 1013904223u + step;
}
__host__ __device__ inline bool is_turn(unsigned tick, int sleeper) {
  return (tick + sleeper) % kSleepPeriod == 0;
}

enum workload_id {
  block_on_loop_id,
  round_robin_1_id,
  round_robin_4_id,
  round_robin_16_id,
  generator_sum_id,
  nested_5_id,
  mostly_suspended_id,
  workload_count
};

inline const char *const workload_names[workload_count] = {
    "block_on, 64 awaits in a loop", "round-robin K=1", "round-robin K=4",
    "round-robin K=16",             "generator -> reduction",
    "5 nested levels x 16",         "mostly suspended (16 workers, 1 in 8 ready)"};

/// Kernels of one variant, each `void(unsigned *out, unsigned seed)`.
struct kernel_table {
  const void *kernels[workload_count] = {};
};

/// The table of one kernel per workload, given in workload_id order.
template <class... Kernels> kernel_table make_kernel_table(Kernels... kernels) {
  static_assert(sizeof...(Kernels) == workload_count, "one kernel per workload");
  kernel_table table;
  int next = 0;
  ((table.kernels[next++] = reinterpret_cast<const void *>(kernels)), ...);
  return table;
}

#define BENCH_CONCAT_IMPL(a, b) a##b
#define BENCH_CONCAT(a, b) BENCH_CONCAT_IMPL(a, b)

kernel_table kernels_clang_malloc();
kernel_table kernels_clang_arena();
kernel_table kernels_coroptx();
kernel_table kernels_hand_written();

/// The per-thread arena of the clang + arena variant: set before a launch.
void prepare_arena(unsigned threads);

} // namespace bench

#endif // COROPTX_BENCH_WORKLOAD_IDS_H
