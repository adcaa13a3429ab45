// block_on of a task that awaits children in a loop compiles to the loop a
// programmer would write: once the frames are codes, the dispatch compares
// test the codes, every transfer leaves a constant next code, and DFA jump
// threading sends each resume part straight to the next. No resume part's
// address is compared in the loop: the one 64-bit compare left is
// block_on's done() test after it (the loops count in 32 bits). No local
// memory, no call.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.ptx
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 -v %t.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOOP %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90 -v %t.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=NESTED %}
#include <coroptx/block_on.h>

using coroptx::task;

__device__ unsigned mix(unsigned acc, unsigned step) {
  acc ^= acc >> 13; // not affine, so clang cannot fold the loop
  return acc * 1664525u + 1013904223u + step;
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

// CHECK-LABEL: .entry _Z13block_on_loopPjj(
// CHECK-NOT: {{\.local|call}}
// CHECK-COUNT-1: setp.{{[a-z]+}}.b64
// CHECK-NOT: {{setp[.a-z]*[.]b64|\.local|call}}
// CHECK: // -- End function
__global__ void block_on_loop(unsigned *out, unsigned seed) {
  out[threadIdx.x] = coroptx::block_on(awaits_in_loop(seed + threadIdx.x));
}

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
// CHECK-NOT: {{\.local|call}}
// CHECK-COUNT-1: setp.{{[a-z]+}}.b64
// CHECK-NOT: {{setp[.a-z]*[.]b64|\.local|call}}
// CHECK: // -- End function
__global__ void nested(unsigned *out, unsigned seed) {
  out[threadIdx.x] = coroptx::block_on(nested_loop(seed + threadIdx.x));
}

// LOOP: Compiling entry function '_Z13block_on_loopPjj'
// LOOP-NEXT: Function properties for _Z13block_on_loopPjj
// LOOP-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// NESTED: Compiling entry function '_Z6nestedPjj'
// NESTED-NEXT: Function properties for _Z6nestedPjj
// NESTED-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
