; Purpose: a loop whose peeled first trip PeeledTripRerolling moved back notes its trip count; LoopUnroll copies it, and at the end of the pipeline NoSecondUnrolling gives it llvm.loop.unroll.disable, which the NVPTX backend emits as `.pragma "nounroll"`, so ptxas does not unroll the copies again (a generator's sum took 31 registers for a loop that needs 11). A loop LLVM unrolled that was not rerolled (block_on's, which ptxas unrolls again at no cost in registers and to its profit), a rerolled loop LLVM left rolled, and a rerolled loop with a programmer's unroll pragma (no note: LoopUnroll marks it itself) keep what ptxas does with them, and no note survives.
; RUN: %opt-coroptx -passes='loop(coroptx-reroll-peeled-trip)' -S %s | FileCheck %s --check-prefix=NOTED
; RUN: %opt-coroptx -passes='loop(coroptx-reroll-peeled-trip),loop-unroll<O2>,function(coroptx-no-second-unrolling)' -S %s | FileCheck %s
; RUN: %opt-coroptx -passes='loop(coroptx-reroll-peeled-trip),loop-unroll<O2>,function(coroptx-no-second-unrolling)' %s -o - | llc -mcpu=sm_90 | FileCheck %s --check-prefix=PTX

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

; NOTED-LABEL: define ptx_kernel void @rerolled(
; NOTED:         br i1 %again, label %exit, label %loop, !llvm.loop [[REROLLED:![0-9]+]]
; NOTED-LABEL: define ptx_kernel void @not_rerolled(
; NOTED:         br i1 %again, label %exit, label %loop{{$}}
; NOTED-LABEL: define ptx_kernel void @pragma_count(
; NOTED:         br i1 %again, label %exit, label %loop, !llvm.loop [[PRAGMA:![0-9]+]]
; NOTED:       [[REROLLED]] = distinct !{[[REROLLED]], [[TRIPS:![0-9]+]]}
; NOTED:       [[TRIPS]] = !{!"coroptx.loop.trips", i32 64}
; NOTED:       [[PRAGMA]] = distinct !{[[PRAGMA]], [[COUNT:![0-9]+]]}
; NOTED-NOT:   coroptx.loop.trips

; CHECK-LABEL: define ptx_kernel void @rerolled(
; CHECK:         %step.next.7 = add nuw nsw i32 %step, 8
; CHECK:         br i1 {{.*}}, label %exit, label %loop, !llvm.loop [[KEPT:![0-9]+]]
; CHECK-LABEL: define ptx_kernel void @not_rerolled(
; CHECK:         %step.next.7 = add nuw nsw i32 %step, 8
; CHECK:         br i1 {{.*}}, label %exit, label %loop{{$}}
; CHECK:       [[KEPT]] = distinct !{[[KEPT]], [[DISABLE:![0-9]+]]}
; CHECK:       [[DISABLE]] = !{!"llvm.loop.unroll.disable"}
; CHECK-NOT:   coroptx.loop.trips

; PTX-LABEL: .entry rerolled(
; PTX:         .pragma "nounroll";
; PTX-LABEL: .entry not_rerolled(
; PTX-NOT:     .pragma "nounroll";
; PTX-LABEL: .entry pragma_count(
; PTX:         .pragma "nounroll";

; A generator's sum: the preheader holds the peeled first value.
define ptx_kernel void @rerolled(ptr %out, i32 %seed) #0 {
entry:
  %scaled.0 = mul i32 %seed, 1664525
  %first = add i32 %scaled.0, 7
  br label %loop

loop:
  %step = phi i32 [ 1, %entry ], [ %step.next, %loop ]
  %sum = phi i32 [ %first, %entry ], [ %sum.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %scaled = mul i32 %x, 1664525
  %x.next = add i32 %scaled, 7
  %sum.next = add i32 %sum, %x.next
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  store i32 %sum.next, ptr %out
  ret void
}

; The same loop with nothing peeled: LLVM unrolls it, ptxas may again.
define ptx_kernel void @not_rerolled(ptr %out, i32 %seed) #0 {
entry:
  br label %loop

loop:
  %step = phi i32 [ 0, %entry ], [ %step.next, %loop ]
  %sum = phi i32 [ 0, %entry ], [ %sum.next, %loop ]
  %x = phi i32 [ %seed, %entry ], [ %x.next, %loop ]
  %scaled = mul i32 %x, 1664525
  %x.next = add i32 %scaled, 7
  %sum.next = add i32 %sum, %x.next
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  store i32 %sum.next, ptr %out
  ret void
}

; The generator's loop with `#pragma unroll 2`: rerolled, not noted;
; LoopUnroll unrolls it by 2 and marks it nounroll itself.
define ptx_kernel void @pragma_count(ptr %out, i32 %seed) #0 {
entry:
  %scaled.0 = mul i32 %seed, 1664525
  %first = add i32 %scaled.0, 7
  br label %loop

loop:
  %step = phi i32 [ 1, %entry ], [ %step.next, %loop ]
  %sum = phi i32 [ %first, %entry ], [ %sum.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %scaled = mul i32 %x, 1664525
  %x.next = add i32 %scaled, 7
  %sum.next = add i32 %sum, %x.next
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop, !llvm.loop !0

exit:
  store i32 %sum.next, ptr %out
  ret void
}

attributes #0 = { "coroptx.runs-coroutines" }

!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.unroll.count", i32 2}
