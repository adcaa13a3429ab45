// executor_switch: what a task switch costs on the coroptx executors, next
// to the hand-written round-robin loop a CUDA programmer would write.
//
// Work: every thread runs N tasks; a task takes `steps` counter steps (an
// LCG step on its own state) and yields after each one (co_await
// ex.yield_now(): the task switch). "uniform" gives every task of every
// thread the same number of steps; "uneven" varies it by lane and task (1/2
// to 3/2 of it), so the lanes of a warp run out of work at different times.
// "sleep 0" is "uniform" with co_await ex.sleep_for(ns) after each step,
// ns = 0 known only at run time: what a job pays for a wake time the
// compiler cannot see, a 64-bit time per slot compared once a round.
// Variants:
//   hand-written  an array of task states and a round-robin loop over them
//   thread        static_executor<N>: each thread schedules alone
//   warp          warp_executor<N>: the warp decides each resume together
//   block         block_executor<N>: the block decides each resume together
// It first checks that every variant computed the same final states as the
// hand-written loop (exit 1 otherwise), then prints markdown tables:
//   switch cost   ns per resume per thread (kernel time / resumes of one
//                 thread), and the ratio to hand-written; "lanes together"
//                 is the average number of lanes of the warp executing a
//                 step together (__activemask() at each step)
//   stop latency  jobs that yield forever, or sleep 1 ms at a time; the
//                 host sets the stop flag in mapped memory and times how
//                 long until the kernel has returned
//   occupancy     registers, local memory per thread and resident blocks
//                 per SM (cudaFuncGetAttributes,
//                 cudaOccupancyMaxActiveBlocksPerMultiprocessor), of the
//                 kernels whose tasks yield and of those whose tasks sleep
// Times are printed, never checked. Exit 77 without a CUDA device.
//
//   clang++-22 -x cuda --cuda-gpu-arch=sm_90 -std=c++20 -O2 \
//       -fplugin=<build>/lib/CoroPTX.so executor_switch.cu -lcudart
//   executor_switch [steps per task, default 1000]
#include "../examples/cuda_check.h"
#include <coroptx/executor.h>
#include <coroptx/host_control.h>

#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

constexpr int block_size = 128;
/// The grid: this many blocks per SM, all resident at once if a kernel
/// takes at most 128 registers. Every kernel says so to ptxas
/// (__launch_bounds__), as a CUDA programmer launching it so would: without
/// it, ptxas gave the thread executor's kernel with 16 sleeping jobs 145
/// registers, 3 blocks per SM, and the grid ran in two waves (1.56x of the
/// hand-written loop instead of 1.07x).
constexpr int blocks_per_sm = 4;

__host__ __device__ unsigned advance(unsigned state, int task) {
  return state * 1664525u + 1013904223u + static_cast<unsigned>(task);
}

/// Steps of task \p task on lane \p lane: `steps`, or 1/2 to 3/2 of it.
__host__ __device__ int steps_of(int steps, bool uneven, int lane, int task) {
  return uneven ? steps / 2 + (lane * 37 + task * 101) % (steps + 1) : steps;
}

__device__ int lane_of_thread() { return threadIdx.x % 32; }

__device__ unsigned lanes_together() { return __popc(__activemask()); }

/// What each variant reports per thread: the sum of its tasks' final states,
/// and the lanes that stepped together, summed over the thread's steps.
struct thread_result {
  unsigned state_sum;
  unsigned long long lanes_together;
};

/// How a task pauses after each step.
enum class pause { yield, sleep };

/// A task on an executor: \p steps steps (forever if negative), each
/// followed by a yield, or by a sleep of \p sleep_ns.
template <class Executor, pause Pause>
__device__ coroptx::job<> counter_task(Executor &ex, int task, int steps,
                                       unsigned sleep_ns, unsigned *state,
                                       unsigned long long *together) {
  for (int left = steps; left != 0; left -= left > 0) {
    *state = advance(*state, task);
    *together += lanes_together();
    if constexpr (Pause == pause::yield)
      co_await ex.yield_now();
    else
      co_await ex.sleep_for(sleep_ns);
  }
}

template <class Executor, int N, pause Pause>
__global__ void __launch_bounds__(block_size, blocks_per_sm)
    on_executor(thread_result *out, int steps, bool uneven, unsigned sleep_ns,
                const volatile int *stop) {
  unsigned state[N];
  unsigned long long together = 0;
  Executor ex;
  for (int k = 0; k < N; ++k) {
    state[k] = k;
    const int task_steps =
        steps < 0 ? steps : steps_of(steps, uneven, lane_of_thread(), k);
    if (!ex.spawn(counter_task<Executor, Pause>(ex, k, task_steps, sleep_ns,
                                                &state[k], &together)))
      __trap(); // a frame larger than the slot: the table would be wrong
  }
  ex.run(stop);
  unsigned sum = 0;
  for (int k = 0; k < N; ++k)
    sum += state[k];
  out[blockIdx.x * blockDim.x + threadIdx.x] = {sum, together};
}

// One executor type per job function: the sleeping jobs' executors have
// slots of 256 bytes, the yielding ones' of 128. Two job functions on one
// executor type of 16 slots keep their frames in local memory (see the known
// limitations in docs/usage.md).
template <pause Pause>
constexpr std::size_t slot_bytes = Pause == pause::yield ? 128 : 256;
template <int N, pause Pause>
using thread_executor = coroptx::static_executor<N, slot_bytes<Pause>>;
template <int N, pause Pause>
using warp_executor = coroptx::warp_executor<N, slot_bytes<Pause>>;
template <int N, pause Pause>
using block_executor = coroptx::block_executor<N, slot_bytes<Pause>>;

using kernel_type = void (*)(thread_result *, int, bool, unsigned,
                             const volatile int *);

/// The round-robin loop by hand: the same signature as on_executor, so one
/// table loop serves every variant (sleep_ns and stop are unused).
template <int N>
__global__ void __launch_bounds__(block_size, blocks_per_sm)
    hand_written(thread_result *out, int steps, bool uneven, unsigned,
                 const volatile int *) {
  unsigned state[N];
  int remaining[N];
  int live = N;
  unsigned long long together = 0;
  for (int k = 0; k < N; ++k) {
    state[k] = k;
    remaining[k] = steps_of(steps, uneven, lane_of_thread(), k);
  }
  for (int k = 0; live != 0; k = k + 1 == N ? 0 : k + 1) {
    if (remaining[k] == 0)
      continue;
    state[k] = advance(state[k], k);
    together += lanes_together();
    if (--remaining[k] == 0)
      --live;
  }
  unsigned sum = 0;
  for (int k = 0; k < N; ++k)
    sum += state[k];
  out[blockIdx.x * blockDim.x + threadIdx.x] = {sum, together};
}

struct variant {
  const char *name;
  kernel_type kernel;
  bool is_executor;
};

template <int N, pause Pause = pause::yield> std::vector<variant> variants() {
  return {{"hand-written", hand_written<N>, false},
          {"thread", on_executor<thread_executor<N, Pause>, N, Pause>, true},
          {"warp", on_executor<warp_executor<N, Pause>, N, Pause>, true},
          {"block", on_executor<block_executor<N, Pause>, N, Pause>, true}};
}

/// The median kernel time of \p runs launches, in ms.
float time_kernel(kernel_type kernel, int blocks, thread_result *out, int steps,
                  bool uneven, int runs) {
  cudaEvent_t start, stop;
  CHECK_CUDA(cudaEventCreate(&start));
  CHECK_CUDA(cudaEventCreate(&stop));
  std::vector<float> times;
  for (int run = 0; run < runs; ++run) {
    CHECK_CUDA(cudaEventRecord(start));
    kernel<<<blocks, block_size>>>(out, steps, uneven, 0, nullptr);
    CHECK_CUDA(cudaEventRecord(stop));
    CHECK_CUDA(cudaGetLastError());
    CHECK_CUDA(cudaEventSynchronize(stop));
    float ms = 0;
    CHECK_CUDA(cudaEventElapsedTime(&ms, start, stop));
    times.push_back(ms);
  }
  CHECK_CUDA(cudaEventDestroy(start));
  CHECK_CUDA(cudaEventDestroy(stop));
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// Runs every variant on one workload; prints its table rows. False if a
/// variant's states differ from the hand-written loop's.
template <int N, pause Pause>
bool switch_cost(const char *work, int blocks, int steps, bool uneven,
                 thread_result *device_out) {
  const int threads = blocks * block_size;
  std::vector<thread_result> expected(threads), got(threads);
  unsigned long long resumes_per_thread = 0;
  for (int k = 0; k < N; ++k) // the average thread's resumes
    for (int lane = 0; lane < 32; ++lane)
      resumes_per_thread += steps_of(steps, uneven, lane, k);
  const double resumes = resumes_per_thread / 32.0;
  float hand_written_ms = 0;
  bool same = true;
  for (const variant &v : variants<N, Pause>()) {
    const float ms =
        time_kernel(v.kernel, blocks, device_out, steps, uneven, 5);
    CHECK_CUDA(cudaMemcpy(got.data(), device_out,
                          threads * sizeof(thread_result),
                          cudaMemcpyDeviceToHost));
    if (!v.is_executor) {
      expected = got;
      hand_written_ms = ms;
    }
    int differing = 0;
    unsigned long long together = 0, steps_taken = 0;
    for (int t = 0; t < threads; ++t) {
      differing += got[t].state_sum != expected[t].state_sum;
      together += got[t].lanes_together;
    }
    for (int t = 0; t < threads; ++t)
      for (int k = 0; k < N; ++k)
        steps_taken += steps_of(steps, uneven, t % 32, k);
    same &= differing == 0;
    std::printf("| %-8s | %2d | %-12s | %9.3f | %8.2f | %6.2fx | %5.1f |%s\n",
                work, N, v.name, ms, ms * 1e6 / resumes, ms / hand_written_ms,
                double(together) / double(steps_taken),
                differing ? " **RESULTS DIFFER**" : "");
  }
  return same;
}

/// Launches a kernel whose jobs never end, lets it run, sets the stop flag
/// and returns the ms until the kernel has returned.
double stop_latency(kernel_type kernel, int blocks, unsigned sleep_ns,
                    thread_result *device_out) {
  coroptx::host_mapped<coroptx::control_block<1>> control;
  CHECK_CUDA(control.error());
  kernel<<<blocks, block_size>>>(device_out, -1, false, sleep_ns,
                                 control.device()->stop_flag());
  CHECK_CUDA(cudaGetLastError());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (cudaStreamQuery(0) != cudaErrorNotReady) {
    std::fprintf(stderr, "executor_switch: a kernel without end returned\n");
    std::exit(1);
  }
  const auto set = std::chrono::steady_clock::now();
  control->request_stop();
  while (cudaStreamQuery(0) == cudaErrorNotReady) {
  }
  const auto returned = std::chrono::steady_clock::now();
  CHECK_CUDA(cudaDeviceSynchronize());
  return std::chrono::duration<double, std::milli>(returned - set).count();
}

template <int N, pause Pause> void occupancy_rows() {
  for (const variant &v : variants<N, Pause>()) {
    if (Pause == pause::sleep && !v.is_executor)
      continue;
    cudaFuncAttributes attributes;
    CHECK_CUDA(cudaFuncGetAttributes(&attributes, v.kernel));
    int resident_blocks = 0;
    CHECK_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(
        &resident_blocks, v.kernel, block_size, 0));
    std::printf("| %2d | %-12s | %-5s | %4d | %6zu | %2d |\n", N, v.name,
                Pause == pause::yield ? "yield" : "sleep", attributes.numRegs,
                attributes.localSizeBytes, resident_blocks);
  }
}

template <int N> void stop_rows(int blocks, thread_result *device_out) {
  const std::vector<variant> yielding = variants<N, pause::yield>();
  const std::vector<variant> sleeping = variants<N, pause::sleep>();
  for (std::size_t i = 0; i < yielding.size(); ++i) {
    if (!yielding[i].is_executor)
      continue;
    const double busy = stop_latency(yielding[i].kernel, blocks, 0, device_out);
    const double asleep =
        stop_latency(sleeping[i].kernel, blocks, 1'000'000, device_out);
    std::printf("| %2d | %-12s | %8.3f | %8.3f |\n", N, yielding[i].name, busy,
                asleep);
  }
}

} // namespace

int main(int argc, char **argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 1000;
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("executor_switch: no CUDA device found; skipped\n");
    return 77;
  }
  cudaDeviceProp properties;
  CHECK_CUDA(cudaGetDeviceProperties(&properties, 0));
  const int blocks = blocks_per_sm * properties.multiProcessorCount;
  thread_result *device_out = nullptr;
  CHECK_CUDA(
      cudaMalloc(&device_out, blocks * block_size * sizeof(thread_result)));

  std::printf("executor_switch on %s: %d blocks of %d threads, %d steps per "
              "task\n\n",
              properties.name, blocks, block_size, steps);
  std::printf("| work | N | variant | kernel ms | ns/resume/thread | vs "
              "hand-written | lanes together |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  bool same = true;
  for (bool uneven : {false, true}) {
    const char *work = uneven ? "uneven" : "uniform";
    same &=
        switch_cost<4, pause::yield>(work, blocks, steps, uneven, device_out);
    same &=
        switch_cost<16, pause::yield>(work, blocks, steps, uneven, device_out);
  }
  same &=
      switch_cost<4, pause::sleep>("sleep 0", blocks, steps, false, device_out);
  same &= switch_cost<16, pause::sleep>("sleep 0", blocks, steps, false,
                                        device_out);

  std::printf("\n| N | executor | stop ms, busy jobs | stop ms, jobs "
              "sleeping 1 ms |\n|---|---|---|---|\n");
  stop_rows<4>(blocks, device_out);
  stop_rows<16>(blocks, device_out);

  std::printf("\n| N | variant | pause | registers | local bytes | blocks/SM "
              "(%d threads) |\n|---|---|---|---|---|---|\n",
              block_size);
  occupancy_rows<4, pause::yield>();
  occupancy_rows<16, pause::yield>();
  occupancy_rows<4, pause::sleep>();
  occupancy_rows<16, pause::sleep>();

  CHECK_CUDA(cudaFree(device_out));
  std::printf("\nexecutor_switch: %s\n",
              same ? "every variant computed the hand-written loop's states"
                   : "FAIL: a variant computed different states");
  return same ? 0 : 1;
}
