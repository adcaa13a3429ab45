// The executors on the GPU: each scenario runs one executor per thread, as
// static_executor, warp_executor and block_executor, and again on the CPU,
// where a warp or a block is the one calling thread. Every thread's result
// must agree with the CPU's: a thread's jobs run in the same order whether
// it schedules alone or in step with its warp or block, jobs join each
// other's values, a stop that one thread sees stops the whole group,
// threads with no job of their own still take part, jobs dropped before a
// spawn give their storage back, and a spawn loop that the compiler unrolls
// schedules as the rolled one does on the CPU. The warp scenarios run
// 64K - 24 threads, so the last warp enters run() with 8 lanes.
#include "gpu_check.h"

#include <coroptx/combinators.h>
#include <coroptx/executor.h>

#include <utility>

template <class Executor> using handle = coroptx::join_handle<int, Executor>;

// Order: each job folds (its id, its turn) into one trace per thread, so any
// change in the order of a thread's resumptions changes the result.
template <class Executor>
__host__ __device__ coroptx::job<>
record(Executor &ex, unsigned long long *trace, int id, int turns) {
  for (int turn = 0; turn < turns; ++turn) {
    *trace = *trace * 131 + id * 16 + turn;
    co_await ex.yield_now();
  }
}

template <class Executor>
__host__ __device__ long long resumption_order(int i) {
  Executor ex;
  unsigned long long trace = 7;
  for (int id = 0; id < 1 + i % 4; ++id)
    ex.spawn(record(ex, &trace, id, 1 + (i + 3 * id) % 5));
  ex.run();
  return static_cast<long long>(trace);
}

// A spawn loop of a constant count, each job stepping a state of its own
// that the loop hands it by index (&state[k]). On the GPU the loop is
// unrolled (its frames go into the executor, a local of the kernel), so
// each trip's slot and frame are picked at compile time: the states and the
// order must still be the CPU's.
template <class Executor>
__host__ __device__ coroptx::job<> step_state(Executor &ex, unsigned *state,
                                              int id, int steps,
                                              unsigned long long *trace) {
  for (int step = 0; step < steps; ++step) {
    *state = *state * 1664525u + 1013904223u + id;
    *trace = *trace * 131 + id;
    co_await ex.yield_now();
  }
}

template <class Executor>
__host__ __device__ long long spawned_in_a_loop(int i) {
  Executor ex;
  unsigned state[4];
  unsigned long long trace = 3;
  for (int k = 0; k < 4; ++k) {
    state[k] = i + k;
    ex.spawn(step_state(ex, &state[k], k, 1 + (i + 2 * k) % 6, &trace));
  }
  ex.run();
  unsigned long long folded = trace;
  for (unsigned s : state)
    folded = folded * 31 + s;
  return static_cast<long long>(folded);
}

// Joins: values through when_all after sleeps (whose length does not change
// the values), then when_any between two jobs that only yield, so which one
// finishes first is a matter of order, not time.
template <class Executor>
__host__ __device__ coroptx::job<int> square_after_sleep(Executor &ex, int x,
                                                         unsigned ns) {
  co_await ex.sleep_for(ns);
  co_await ex.yield_now();
  co_return x *x + 1;
}

template <class Executor>
__host__ __device__ coroptx::job<int> after_yields(Executor &ex, int value,
                                                   int yields) {
  for (int k = 0; k < yields; ++k)
    co_await ex.yield_now();
  co_return value;
}

template <class Executor>
__host__ __device__ coroptx::job<int>
combine(Executor &ex, handle<Executor> a, handle<Executor> b,
        handle<Executor> *c, handle<Executor> *d) {
  auto [x, y] = co_await coroptx::when_all(std::move(a), std::move(b));
  auto [which, first] = co_await coroptx::when_any(*c, *d);
  handle<Executor> *other = which == 0 ? d : c;
  const int second = co_await *other;
  co_return x * 1000 + y + static_cast<int>(which) * 7 + first * 13 + second;
}

template <class Executor> __host__ __device__ long long joined_values(int i) {
  Executor ex;
  handle<Executor> c = ex.spawn(after_yields(ex, i % 11, i % 3));
  handle<Executor> d = ex.spawn(after_yields(ex, i % 13, (i / 3) % 3));
  handle<Executor> a =
      ex.spawn(square_after_sleep(ex, i % 100, 200 + i % 7 * 100));
  handle<Executor> b = ex.spawn(square_after_sleep(ex, i % 37, 500));
  handle<Executor> total =
      ex.spawn(combine(ex, std::move(a), std::move(b), &c, &d));
  if (ex.run() != coroptx::run_status::all_done || !total.ready())
    return -1;
  return total.get();
}

// Stop: each thread's first job raises the thread's own stop flag after a few
// turns; the other jobs would spin forever. Alone, a thread stops on its own
// flag; in a group, on whichever flag rises first. Either way every job is
// destroyed and run() says so.
struct teardown_count {
  int *destroyed;
  __host__ __device__ ~teardown_count() { ++*destroyed; }
};

template <class Executor>
__host__ __device__ coroptx::job<> spin(Executor &ex, int *destroyed, int *stop,
                                        int stop_at) {
  teardown_count count{destroyed};
  for (int turn = 1;; ++turn) {
    if (turn == stop_at)
      *stop = 1;
    co_await ex.yield_now();
  }
}

template <class Executor> __host__ __device__ long long stop_everywhere(int i) {
  int destroyed = 0, stop = 0;
  coroptx::run_status status;
  std::size_t live;
  {
    Executor ex;
    ex.spawn(spin(ex, &destroyed, &stop, 2 + i % 9));
    ex.spawn(spin(ex, &destroyed, &stop, 1 << 30));
    ex.spawn(spin(ex, &destroyed, &stop, 1 << 30));
    status = ex.run(&stop);
    live = ex.live();
  }
  return destroyed * 100 + (status == coroptx::run_status::stopped) * 10 +
         static_cast<long long>(live);
}

// wait_until: a job waits for a gate that another job of the same thread
// opens after a sleep. Every fifth thread has no job at all and still takes
// part in its group's decisions.
template <class Executor>
__host__ __device__ coroptx::job<int> wait_for_gate(Executor &ex,
                                                    const int *gate) {
  co_await ex.wait_until([gate] { return *gate != 0; });
  co_return *gate;
}

template <class Executor>
__host__ __device__ coroptx::job<> open_gate(Executor &ex, int *gate,
                                             unsigned ns, int value) {
  co_await ex.sleep_for(ns);
  *gate = value;
}

template <class Executor> __host__ __device__ long long gate_opens(int i) {
  Executor ex;
  int gate = 0;
  handle<Executor> waiter;
  if (i % 5 != 0) {
    waiter = ex.spawn(wait_for_gate(ex, &gate));
    ex.spawn(open_gate(ex, &gate, 1000 + i % 5 * 700, i + 1));
  }
  if (ex.run() != coroptx::run_status::all_done)
    return -1;
  return waiter ? waiter.get() : 0;
}

// Jobs made and dropped without a spawn give their storage blocks back:
// after more of them than the executor has slots, every slot still takes a
// job (a refused spawn traps, on the CPU too).
template <class Executor> __host__ __device__ long long dropped_jobs(int i) {
  Executor ex;
  unsigned long long trace = 5;
  for (int dropped = 0; dropped < 6 + i % 3; ++dropped) {
    coroptx::job<> unspawned = record(ex, &trace, 9, 1);
    if (!unspawned)
      COROPTX_TRAP();
  }
  for (int id = 0; id < 5; ++id)
    if (!ex.spawn(record(ex, &trace, id, 1 + (i + id) % 3)))
      COROPTX_TRAP();
  ex.run();
  return static_cast<long long>(trace);
}

// joined_values holds five jobs at once. On the GPU, combine's frame also
// holds the frames of when_all and when_any (over 256 bytes); the executor
// header warns at compile time if a job cannot fit.
using thread_executor = coroptx::static_executor<5, 384>;
using warp_executor = coroptx::warp_executor<5, 384>;
using block_executor = coroptx::block_executor<5, 384>;

int main() {
  if (!gpu_check::have_gpu()) {
    std::printf("executors_on_gpu: no CUDA device found; skipped\n");
    return gpu_check::skipped;
  }
  // A job destroyed while it awaits when_all destroys when_all's children
  // through the shared destroy dispatcher: the call graph is recursive,
  // ptxas cannot size the stack, and coroptx warns that the executors'
  // storage in the kernel's stack exceeds the 1 KiB default. Raise it.
  if (cudaDeviceSetLimit(cudaLimitStackSize, 8 * 1024) != cudaSuccess) {
    std::printf("executors_on_gpu: cannot raise the stack limit\n");
    return 1;
  }
  const int whole_blocks = 64 * 1024; // a multiple of compare's 128 threads
  const int partial_warp = whole_blocks - 24;
  bool ok = true;
  ok &= gpu_check::compare<resumption_order<thread_executor>>(
      "resumption_order/thread", whole_blocks);
  ok &= gpu_check::compare<resumption_order<warp_executor>>(
      "resumption_order/warp", partial_warp);
  ok &= gpu_check::compare<resumption_order<block_executor>>(
      "resumption_order/block", whole_blocks);
  ok &= gpu_check::compare<spawned_in_a_loop<thread_executor>>(
      "spawned_in_a_loop/thread", whole_blocks);
  ok &= gpu_check::compare<spawned_in_a_loop<warp_executor>>(
      "spawned_in_a_loop/warp", partial_warp);
  ok &= gpu_check::compare<spawned_in_a_loop<block_executor>>(
      "spawned_in_a_loop/block", whole_blocks);
  ok &= gpu_check::compare<joined_values<thread_executor>>(
      "joined_values/thread", whole_blocks);
  ok &= gpu_check::compare<joined_values<warp_executor>>("joined_values/warp",
                                                         partial_warp);
  ok &= gpu_check::compare<joined_values<block_executor>>("joined_values/block",
                                                          whole_blocks);
  ok &= gpu_check::compare<stop_everywhere<thread_executor>>(
      "stop_everywhere/thread", whole_blocks);
  ok &= gpu_check::compare<stop_everywhere<warp_executor>>(
      "stop_everywhere/warp", partial_warp);
  ok &= gpu_check::compare<stop_everywhere<block_executor>>(
      "stop_everywhere/block", whole_blocks);
  ok &= gpu_check::compare<dropped_jobs<thread_executor>>(
      "dropped_jobs/thread", whole_blocks);
  ok &= gpu_check::compare<dropped_jobs<warp_executor>>("dropped_jobs/warp",
                                                        partial_warp);
  ok &= gpu_check::compare<dropped_jobs<block_executor>>("dropped_jobs/block",
                                                         whole_blocks);
  ok &= gpu_check::compare<gate_opens<thread_executor>>("gate_opens/thread",
                                                        whole_blocks);
  ok &= gpu_check::compare<gate_opens<warp_executor>>("gate_opens/warp",
                                                      partial_warp);
  ok &= gpu_check::compare<gate_opens<block_executor>>("gate_opens/block",
                                                       whole_blocks);
#if defined(COROPTX_WARP_VOTE_BY_BALLOTS)
  std::printf("executors_on_gpu (warp votes by ballots): %s\n",
              ok ? "PASS" : "FAIL");
#else
  std::printf("executors_on_gpu: %s\n", ok ? "PASS" : "FAIL");
#endif
  return ok ? 0 : 1;
}
