// Variant (c): clang 22 alone, with frames from a per-thread bump arena in
// the promise's operator new (the cheapest allocator clang alone can use).
// A frame freed while it is the newest of its thread is popped, so nested
// tasks reuse their bytes. Compiled without the coroptx plugin.
#define BENCH_ARENA
#define BENCH_VARIANT clang_arena
#include "workloads.h"

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

namespace bench {
namespace {
constexpr unsigned kArenaBytesPerThread = 4096;
__device__ unsigned char *arena_base;
__device__ unsigned *arena_top;

__device__ unsigned thread_index() {
  return blockIdx.x * blockDim.x + threadIdx.x;
}
__device__ unsigned rounded(std::size_t bytes) { return (bytes + 15) & ~15u; }
} // namespace

__device__ void *promise_storage::operator new(std::size_t bytes) {
  const unsigned t = thread_index();
  unsigned top = arena_top[t];
  if (top + rounded(bytes) > kArenaBytesPerThread)
    __trap(); // the arena is sized for the benchmark's deepest nesting
  arena_top[t] = top + rounded(bytes);
  return arena_base + std::size_t(t) * kArenaBytesPerThread + top;
}

__device__ void promise_storage::operator delete(void *frame,
                                                 std::size_t bytes) {
  const unsigned t = thread_index();
  unsigned char *newest = arena_base + std::size_t(t) * kArenaBytesPerThread +
                          arena_top[t] - rounded(bytes);
  if (frame == newest)
    arena_top[t] -= rounded(bytes);
}

void prepare_arena(unsigned threads) {
  static unsigned char *base = nullptr;
  static unsigned *top = nullptr;
  static unsigned capacity = 0;
  if (threads > capacity) {
    cudaFree(base);
    cudaFree(top);
    if (cudaMalloc(&base, std::size_t(threads) * kArenaBytesPerThread) !=
            cudaSuccess ||
        cudaMalloc(&top, threads * sizeof(unsigned)) != cudaSuccess) {
      std::fprintf(stderr, "bench: no memory for the arena\n");
      std::exit(1);
    }
    cudaMemcpyToSymbol(arena_base, &base, sizeof(base));
    cudaMemcpyToSymbol(arena_top, &top, sizeof(top));
    capacity = threads;
  }
  cudaMemset(top, 0, threads * sizeof(unsigned));
}

} // namespace bench
