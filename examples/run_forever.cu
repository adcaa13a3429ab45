// run_forever: the executor demo of VectorWare's "async/await on the GPU".
// Three jobs run forever on one GPU thread, each bumping its own counter and
// sleeping between steps; the counters live in pinned host memory mapped
// into the GPU, so the host reads them while the kernel runs. Then the host
// sets the stop flag in that same memory, and the executor destroys every
// job and the kernel returns; the host measures how long that took.
//
//   clang++-22 -x cuda --cuda-gpu-arch=sm_90 -std=c++20 -O2 \
//       -fplugin=<build>/lib/CoroPTX.so run_forever.cu -lcudart
#include <coroptx/executor.h>

#include <cuda_runtime.h>

#include <chrono>
#include <cstdio>
#include <thread>

/// What the host and the kernel share, in pinned mapped memory.
struct shared_state {
  volatile int stop;
  volatile int spawned;
  volatile unsigned long long counters[3];
  volatile int jobs_destroyed;
};

using executor = coroptx::static_executor<3, 128>;

/// Counts its destruction, so the host sees every job torn down on stop.
struct teardown_witness {
  shared_state *shared;
  __device__ ~teardown_witness() {
    shared->jobs_destroyed = shared->jobs_destroyed + 1;
    __threadfence_system();
  }
};

__device__ coroptx::job<> count_forever(executor &ex, shared_state *shared,
                                      int id, unsigned period_ns) {
  teardown_witness witness{shared};
  for (;;) {
    shared->counters[id] = shared->counters[id] + 1;
    __threadfence_system();
    co_await ex.sleep_for(period_ns);
  }
}

__global__ void run_forever(shared_state *shared) {
  executor ex;
  // spawn fails if a job's frame is larger than the executor's slots
  // (-Rpass=coroptx prints each coroutine's frame size).
  shared->spawned = ex.spawn(count_forever(ex, shared, 0, 1'000'000)) +  // 1 ms
                    ex.spawn(count_forever(ex, shared, 1, 2'000'000)) +  // 2 ms
                    ex.spawn(count_forever(ex, shared, 2, 5'000'000));   // 5 ms
  ex.run(&shared->stop);
}

#define CHECK_CUDA(call)                                                       \
  do {                                                                         \
    cudaError_t err_ = (call);                                                 \
    if (err_ != cudaSuccess) {                                                 \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call,       \
                   cudaGetErrorString(err_));                                  \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main(int argc, char **argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("run_forever: no CUDA device found; skipped\n");
    return 77;
  }
  shared_state *host = nullptr, *device = nullptr;
  CHECK_CUDA(cudaHostAlloc(&host, sizeof(shared_state), cudaHostAllocMapped));
  host->stop = 0;
  host->spawned = 0;
  host->jobs_destroyed = 0;
  for (auto &c : host->counters)
    c = 0;
  CHECK_CUDA(cudaHostGetDevicePointer(&device, host, 0));

  run_forever<<<1, 1>>>(device);
  CHECK_CUDA(cudaGetLastError());

  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::printf("%8s %12s %12s %12s\n", "time", "job 0 (1ms)", "job 1 (2ms)",
              "job 2 (5ms)");
  while (std::chrono::duration<double>(clock::now() - start).count() < seconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::printf("%7.1fs %12llu %12llu %12llu\n",
                std::chrono::duration<double>(clock::now() - start).count(),
                host->counters[0], host->counters[1], host->counters[2]);
  }

  const auto stop_at = clock::now();
  host->stop = 1;
  CHECK_CUDA(cudaDeviceSynchronize());
  const double stop_ms =
      std::chrono::duration<double, std::milli>(clock::now() - stop_at).count();
  const bool all_counted = host->counters[0] > 0 && host->counters[1] > 0 &&
                           host->counters[2] > 0;
  const bool torn_down = host->spawned == 3 && host->jobs_destroyed == 3;
  std::printf("run_forever: stop flag set; the kernel returned after %.3f ms, "
              "%d of 3 jobs spawned, %d destroyed\n", stop_ms, host->spawned,
              host->jobs_destroyed);
  std::printf("run_forever: %s\n", all_counted && torn_down ? "PASS" : "FAIL");
  CHECK_CUDA(cudaFreeHost(host));
  return all_counted && torn_down ? 0 : 1;
}
