// The coroutine kernels that bench/ times against hand-written ones, as
// they compile: the shapes docs/performance.md explains, so that a change
// that loses one fails here and not only on the H200. (No code of its own:
// it compiles bench/variant_coroptx.cu.)
// - The generator feeding a sum: one loop of four values a trip. The first
//   value, which the lowering peels (the first resume starts the body), is
//   back in the loop (PeeledTripRerolling): 64 trips, unrolled by 4 as the
//   hand-written loop is, not 63 by 3; and ptxas is told not to unroll it
//   again (UnrollOnce): 31 registers before, 11 after, where the
//   hand-written kernel has 12. block_on's loop, not rerolled, keeps
//   ptxas's second unrolling, which costs it no register and runs faster.
// - Five nested levels: one loop, nothing nested in it. Loop rotation and
//   unrolling late in the pipeline left a block that merged a "resume
//   over" flag and branched back to the outer loop's header; the late
//   MergedBranchThreading sends that back edge straight to the header.
//   Before, ptxas kept a loop nested in the loop: 1.12x of hand-written on
//   the H200, against 0.79x.
// - Round-robin over 4 workers: LoopPhaseSplitting leaves one loop whose
//   only branch is its own (no done flag, no step test).
// - The mostly suspended load: one loop over groups of 8 ticks that tests
//   no turn (`and.b32 ..., 7`).
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S \
// RUN:   %coroptx-src/bench/variant_coroptx.cu -I %coroptx-src/bench -o %t.ptx \
// RUN:   -Rpass=coroptx-split-loop-phases 2> %t.remarks
// RUN: FileCheck %s --input-file=%t.ptx
// RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o /dev/null %}

// REMARK-DAG: remark: the 135 trips of this loop split into 4 phases, each repeating one path through 8 trips; their branches fold
// REMARK-DAG: remark: the 64 trips of this loop split into 2 phases, each repeating one path through 1 trip; their branches fold

// CHECK-LABEL: .entry _ZN5bench7coroptx13block_on_loopEPjj(
// CHECK:       Loop Header: Depth=1
// CHECK-NOT:   .pragma
// CHECK:       ret;

// CHECK-LABEL: .entry _ZN5bench7coroptx13generator_sumEPjj(
// CHECK-NOT:   mul.lo.s32
// CHECK:       Loop Header: Depth=1
// CHECK-NEXT:  .pragma "nounroll";
// CHECK-COUNT-4: mul.lo.s32
// CHECK-NOT:   {{mul.lo.s32|Loop Header}}
// CHECK:       ret;

// CHECK-LABEL: .entry _ZN5bench7coroptx8nested_5EPjj(
// CHECK-NOT:   {{\.local|Depth=2}}
// CHECK:       Loop Header: Depth=1
// CHECK-NOT:   {{\.local|Depth=2|Loop Header}}
// CHECK:       ret;

// CHECK-LABEL: .entry _ZN5bench7coroptx16mostly_suspendedEPjj(
// CHECK-NOT:   {{\.local|Depth=2}}
// CHECK:       Loop Header: Depth=1
// CHECK-NOT:   {{and.b32|Depth=2|Loop Header}}
// CHECK:       ret;

// CHECK-LABEL: .entry _ZN5bench7coroptx11round_robinILi4EEEvPjj(
// CHECK-NOT:   {{\.local|Depth=2}}
// CHECK:       Loop Header: Depth=1
// CHECK-NOT:   {{bra|Depth=2}}
// CHECK:       @%p{{[0-9]+}} bra
// CHECK-NOT:   {{bra|Depth=2|Loop Header}}
// CHECK:       ret;
