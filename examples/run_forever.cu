// run_forever: the executor demo of VectorWare's "async/await on the GPU".
// Three jobs run forever on one GPU thread, each bumping its own counter and
// sleeping between steps; the counters live in a coroptx::control_block in
// pinned host memory mapped into the GPU, so the host reads them while the
// kernel runs. Then the host
// sets the stop flag in that same memory, and the executor destroys every
// job and the kernel returns; the host measures how long that took.
//
//   clang++-22 -x cuda --cuda-gpu-arch=sm_90 -std=c++20 -O2 \
//       -fplugin=<build>/lib/CoroPTX.so run_forever.cu -lcudart
#include <coroptx/executor.h>
#include <coroptx/host_control.h>

#include "cuda_check.h"

#include <cuda_runtime.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

/// What the host and the kernel share, in pinned mapped memory: the stop
/// flag, and counters 0..2 (one per job), spawned and destroyed.
enum counter { spawned = 3, destroyed = 4 };
using control_block = coroptx::control_block<5>;

using executor = coroptx::static_executor<3, 128>;

/// Counts its destruction, so the host sees every job torn down on stop.
struct teardown_witness {
  control_block *control;
  __device__ ~teardown_witness() { control->add(destroyed, 1); }
};

__device__ coroptx::job<> count_forever(executor &ex, control_block *control,
                                        int id, unsigned period_ns) {
  teardown_witness witness{control};
  for (;;) {
    control->add(id, 1);
    co_await ex.sleep_for(period_ns);
  }
}

__global__ void run_forever(control_block *control) {
  executor ex;
  // spawn fails if a job's frame is larger than the executor's slots
  // (-Rpass=coroptx prints each coroutine's frame size).
  int jobs = 0;
  jobs += bool(ex.spawn(count_forever(ex, control, 0, 1'000'000))); // 1 ms
  jobs += bool(ex.spawn(count_forever(ex, control, 1, 2'000'000))); // 2 ms
  jobs += bool(ex.spawn(count_forever(ex, control, 2, 5'000'000))); // 5 ms
  control->publish(spawned, jobs);
  ex.run(control->stop_flag());
}

int main(int argc, char **argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("run_forever: no CUDA device found; skipped\n");
    return 77;
  }
  coroptx::host_mapped<control_block> control;
  CHECK_CUDA(control.error());

  run_forever<<<1, 1>>>(control.device());
  CHECK_CUDA(cudaGetLastError());

  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::printf("%8s %12s %12s %12s\n", "time", "job 0 (1ms)", "job 1 (2ms)",
              "job 2 (5ms)");
  while (std::chrono::duration<double>(clock::now() - start).count() < seconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::printf("%7.1fs %12llu %12llu %12llu\n",
                std::chrono::duration<double>(clock::now() - start).count(),
                control->read(0), control->read(1), control->read(2));
  }

  const auto stop_at = clock::now();
  control->request_stop();
  CHECK_CUDA(cudaDeviceSynchronize());
  const double stop_ms =
      std::chrono::duration<double, std::milli>(clock::now() - stop_at).count();
  const bool all_counted =
      control->read(0) > 0 && control->read(1) > 0 && control->read(2) > 0;
  const bool torn_down =
      control->read(spawned) == 3 && control->read(destroyed) == 3;
  std::printf("run_forever: stop flag set; the kernel returned after %.3f ms, "
              "%llu of 3 jobs spawned, %llu destroyed\n", stop_ms,
              control->read(spawned), control->read(destroyed));
  std::printf("run_forever: %s\n", all_counted && torn_down ? "PASS" : "FAIL");
  return all_counted && torn_down ? 0 : 1;
}
