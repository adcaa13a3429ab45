// A kernel's block_on keeps its frames in registers even when the module
// holds many other coroutines: the shared resume dispatcher is then far too
// large for the inliner, and the kernel would pass its frame's address to
// it. InlineForFlattening inlines the dispatcher into the kernel because the
// frames then flatten, and the arms of the other coroutines fold away: no
// call, no local memory, no stack frame. Then the transfer loop itself goes:
// the dispatch compares test the frames' codes, every transfer leaves a
// constant next code, and DFA jump threading sends each resume part
// straight to the next. No resume slot is compared with a part's address
// (a 64-bit compare of two registers); block_on's done() test after the
// loop, a compare with 0, may stay.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx \
// RUN:   -Rpass=coroptx-inline-for-flattening 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
// RUN: %if ptxas %{ %ptxas -arch=sm_90 -v %t.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90 -v %t.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=NESTED %}
#include <coroptx/block_on.h>

using coroptx::task;

__device__ unsigned mix(unsigned x, unsigned y) {
  x ^= x >> 13; // not affine, so clang cannot fold the loops
  return x * 1664525u + y;
}

// Enough coroutines that the dispatcher is not inlined on its own.
__device__ task<unsigned> level1(unsigned x) { co_return mix(x, 1); }
__device__ task<unsigned> level2(unsigned x) { co_return mix(co_await level1(x), 2); }
__device__ task<unsigned> level3(unsigned x) { co_return mix(co_await level2(x), 3); }
__device__ task<unsigned> level4(unsigned x) { co_return mix(co_await level3(x), 4); }
__device__ task<unsigned> level5(unsigned x) { co_return mix(co_await level4(x), 5); }
__device__ task<unsigned> nested_loop(unsigned seed) {
  unsigned acc = seed;
  for (unsigned i = 0; i < 16; ++i)
    acc = co_await level5(acc + i);
  co_return acc;
}
// CHECK-LABEL: .entry _Z6nestedPjj(
// CHECK-NOT: {{setp[.a-z]*[.]b64[[:space:]]+%p[0-9]+, %rd[0-9]+, %rd[0-9]+;|\.local|call}}
// CHECK: // -- End function
// NESTED: Compiling entry function '_Z6nestedPjj'
// NESTED-NEXT: Function properties for _Z6nestedPjj
// NESTED-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
__global__ void nested(unsigned *out, unsigned seed) {
  out[threadIdx.x] = coroptx::block_on(nested_loop(seed + threadIdx.x));
}

__device__ task<unsigned> child(unsigned acc, unsigned step) {
  co_return mix(acc, step);
}
__device__ task<unsigned> awaits_in_loop(unsigned seed) {
  unsigned acc = seed;
  for (unsigned step = 0; step < 64; ++step)
    acc = co_await child(acc, step);
  co_return acc;
}

// REMARK: remark: inlined {{[0-9]+}} calls given coroutine handles, so the frames became SSA values
// CHECK-LABEL: .entry _Z13block_on_loopPjj
// CHECK-NOT: {{setp[.a-z]*[.]b64[[:space:]]+%p[0-9]+, %rd[0-9]+, %rd[0-9]+;|malloc|_Znwm|_ZdlPv|prototype|\.local|call}}
// CHECK: // -- End function
// PTXAS: Compiling entry function '_Z13block_on_loopPjj'
// PTXAS-NEXT: Function properties for _Z13block_on_loopPjj
// PTXAS-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
__global__ void block_on_loop(unsigned *out, unsigned seed) {
  out[threadIdx.x] = coroptx::block_on(awaits_in_loop(seed + threadIdx.x));
}
