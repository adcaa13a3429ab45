// One million symmetric transfers per thread: a coroutine awaits a child that
// completes at once and transfers straight back, 1,000,000 times. With clang
// alone each transfer is a nested call and the thread's stack overflows (an
// illegal memory access long before the end); coroptx runs transfers in a
// loop, in constant stack.
#include "gpu_check.h"

#include <coroptx/block_on.h>

using coroptx::task;

constexpr int transfers_per_thread = 1000000;

__host__ __device__ task<unsigned> child(unsigned acc, unsigned k) {
  co_return acc * 1664525u + 1013904223u + k;
}

__host__ __device__ task<unsigned> million(unsigned seed, int count) {
  unsigned acc = seed;
  for (int k = 0; k < count; ++k)
    acc = co_await child(acc, k);
  co_return acc;
}

__host__ __device__ long long million_transfers(int i) {
  return coroptx::block_on(million(i, transfers_per_thread));
}

int main() {
  if (!gpu_check::have_gpu()) {
    std::printf("symmetric_transfer: no CUDA device found; skipped\n");
    return gpu_check::skipped;
  }
  // 2 transfers per await (into the child, back to the parent).
  std::printf("symmetric_transfer: %d awaits = %d transfers per thread\n",
              transfers_per_thread, 2 * transfers_per_thread);
  // Few threads: the CPU reference does the same 10^6 awaits per thread.
  bool ok = gpu_check::compare<million_transfers>("million_transfers", 256);
  std::printf("symmetric_transfer: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
