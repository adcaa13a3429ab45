// Coroutines whose handles sit in local arrays, started and resumed by loops
// with run-time indices (round-robin scheduling), on every thread of a kernel
// and on the CPU; every thread must agree. LLVM's CoroElide cannot follow
// these handles; coroptx places the frames in the kernel's stack, one slot
// per loop iteration (passes/LocalFramePlacement.cpp).
#include "gpu_check.h"

#include <coroptx/coroptx.h>

// A worker with a lazy start that the caller resumes until done().
struct worker {
  struct promise_type {
    __host__ __device__ worker get_return_object() {
      return worker{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    __host__ __device__ std::suspend_always initial_suspend() noexcept { return {}; }
    __host__ __device__ std::suspend_always final_suspend() noexcept { return {}; }
    __host__ __device__ void return_void() {}
    __host__ __device__ void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
};

// Counts destructions of values alive across suspensions.
struct counted {
  int *destroyed;
  __host__ __device__ ~counted() { ++*destroyed; }
};

__host__ __device__ unsigned mix(unsigned acc, unsigned step) {
  return acc * 1664525u + 1013904223u + step;
}

__host__ __device__ worker stepper(unsigned seed, int steps, unsigned *out,
                                   int *destroyed) {
  counted guard{destroyed};
  unsigned acc = seed;
  for (int step = 0; step < steps; ++step) {
    acc = mix(acc, step);
    co_await std::suspend_always{};
  }
  *out = acc;
}

__host__ __device__ coroptx::task<unsigned> child(unsigned acc, unsigned step) {
  co_return mix(acc, step);
}

__host__ __device__ worker awaiter(unsigned seed, int steps, unsigned *out) {
  unsigned acc = seed;
  for (int step = 0; step < steps; ++step) {
    acc = co_await child(acc, step);
    co_await std::suspend_always{};
  }
  *out = acc;
}

// K workers of different lengths, resumed round-robin until all are done.
template <int K> __host__ __device__ long long round_robin(int thread) {
  unsigned results[K];
  int destroyed = 0;
  worker workers[K];
  for (int k = 0; k < K; ++k)
    workers[k] = stepper(thread * K + k, 8 + (thread + k) % 5, &results[k],
                         &destroyed);
  for (bool any = true; any;) {
    any = false;
    for (int k = 0; k < K; ++k)
      if (!workers[k].handle.done()) {
        workers[k].handle.resume();
        any = true;
      }
  }
  long long sum = 0;
  for (int k = 0; k < K; ++k) {
    workers[k].handle.destroy();
    sum = sum * 31 + results[k];
  }
  return sum * 100 + destroyed;
}

// One loop, index modulo K: which worker runs next is a run-time value.
template <int K> __host__ __device__ long long modulo_schedule(int thread) {
  unsigned results[K] = {};
  worker workers[K];
  for (int k = 0; k < K; ++k)
    workers[k] = awaiter(thread + 7 * k, 16, &results[k]);
  const int start = thread % K;
  for (int turn = 0; turn < K * 17; ++turn) {
    worker &w = workers[(start + turn) % K];
    if (!w.handle.done())
      w.handle.resume();
  }
  long long sum = 0;
  for (int k = 0; k < K; ++k) {
    sum = sum * 31 + results[k] + (workers[k].handle.done() ? 1 : 0);
    workers[k].handle.destroy();
  }
  return sum;
}

// Workers destroyed while suspended, at a point that depends on the thread:
// the locals alive across the suspension are destroyed exactly once.
template <int K> __host__ __device__ long long early_destroy(int thread) {
  unsigned results[K] = {};
  int destroyed = 0;
  worker workers[K];
  for (int k = 0; k < K; ++k)
    workers[k] = stepper(thread + k, 100, &results[k], &destroyed);
  const int rounds = 1 + thread % 7;
  for (int round = 0; round < rounds; ++round)
    for (int k = 0; k < K; ++k)
      workers[k].handle.resume();
  for (int k = K - 1; k >= 0; --k)
    workers[k].handle.destroy();
  return destroyed * 1000 + rounds;
}

__host__ __device__ long long rr1(int t) { return round_robin<1>(t); }
__host__ __device__ long long rr4(int t) { return round_robin<4>(t); }
__host__ __device__ long long rr16(int t) { return round_robin<16>(t); }
__host__ __device__ long long modulo4(int t) { return modulo_schedule<4>(t); }
__host__ __device__ long long modulo16(int t) { return modulo_schedule<16>(t); }
__host__ __device__ long long destroy4(int t) { return early_destroy<4>(t); }

int main() {
  if (!gpu_check::have_gpu()) {
    std::printf("round_robin_on_gpu: no CUDA device, skipped\n");
    return gpu_check::skipped;
  }
  const int n = 65536;
  bool ok = true;
  ok &= gpu_check::compare<rr1>("round_robin K=1", n);
  ok &= gpu_check::compare<rr4>("round_robin K=4", n);
  ok &= gpu_check::compare<rr16>("round_robin K=16", n);
  ok &= gpu_check::compare<modulo4>("modulo_schedule K=4", n);
  ok &= gpu_check::compare<modulo16>("modulo_schedule K=16", n);
  ok &= gpu_check::compare<destroy4>("early_destroy K=4", n);
  std::printf("round_robin_on_gpu: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
