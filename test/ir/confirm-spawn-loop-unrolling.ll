; Purpose: coroptx-confirm-spawn-loop-unrolling, just before LLVM's last
; LoopUnroll, keeps the full-unroll request of a spawn loop that
; coroptx-unroll-coroutine-arrays marked (coroptx.unroll.spawn_loop) when
; LoopUnroll's estimate of its unrolled size is within the budget (LoopUnroll's
; own limit for a loop with an unroll pragma), and drops the request, with a
; missed remark, when it is not: left marked, LoopUnroll would fail and clang
; would warn that a requested unrolling did not happen. A loop the
; programmer asked to unroll keeps its request whatever its size.
; RUN: %opt-coroptx -S %s -passes='loop(coroptx-confirm-spawn-loop-unrolling)' \
; RUN:   | FileCheck %s --check-prefix=FITS
; With a budget of 40, 16 copies of the spawn loop's body (LoopUnroll's
; estimate: 82) no longer fit.
; RUN: %opt-coroptx -S %s -passes='loop(coroptx-confirm-spawn-loop-unrolling)' \
; RUN:   -coroptx-max-unrolled-spawn-loop-cost=40 \
; RUN:   -pass-remarks-missed=coroptx-unroll-coroutine-arrays 2> %t.remarks \
; RUN:   | FileCheck %s --check-prefix=TOO-BIG
; RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
; REMARK: remark: <unknown>:0:0: this loop starting coroutines into a local object stays rolled: even simplified, it is too big to copy for each trip
; REMARK-NOT: remark

target triple = "nvptx64-nvidia-cuda"

; FITS-LABEL: define void @marked_spawn_loop(
; FITS:         br i1 %more, label %spawn, label %exit, !llvm.loop ![[MARKED:[0-9]+]]
; TOO-BIG-LABEL: define void @marked_spawn_loop(
; TOO-BIG:        br i1 %more, label %spawn, label %exit, !llvm.loop ![[LEFT:[0-9]+]]
define void @marked_spawn_loop(ptr %executor) {
entry:
  br label %spawn
spawn:
  %k = phi i64 [ 0, %entry ], [ %k.next, %spawn ]
  %block1 = getelementptr inbounds i8, ptr %executor, i64 128
  %first.taken = load i1, ptr %executor
  %frame = select i1 %first.taken, ptr %block1, ptr %executor
  store i32 1, ptr %frame
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %spawn, label %exit, !llvm.loop !0
exit:
  ret void
}

; The programmer's `#pragma unroll`: not this pass's to take back.
; FITS-LABEL: define void @programmer_says_unroll(
; FITS:         br i1 %more, label %loop, label %exit, !llvm.loop ![[PRAGMA:[0-9]+]]
; TOO-BIG-LABEL: define void @programmer_says_unroll(
; TOO-BIG:        br i1 %more, label %loop, label %exit, !llvm.loop ![[PRAGMA:[0-9]+]]
define void @programmer_says_unroll(ptr %out) {
entry:
  br label %loop
loop:
  %k = phi i64 [ 0, %entry ], [ %k.next, %loop ]
  %at = getelementptr inbounds i32, ptr %out, i64 %k
  %old = load i32, ptr %at
  %new = mul i32 %old, 3
  store i32 %new, ptr %at
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %loop, label %exit, !llvm.loop !3
exit:
  ret void
}

!0 = distinct !{!0, !1, !2}
!1 = !{!"llvm.loop.unroll.full"}
!2 = !{!"coroptx.unroll.spawn_loop"}
!3 = distinct !{!3, !1}

; FITS-DAG: ![[MARKED]] = distinct !{![[MARKED]], ![[FULL:[0-9]+]], ![[SPAWNS:[0-9]+]]}
; FITS-DAG: ![[FULL]] = !{!"llvm.loop.unroll.full"}
; FITS-DAG: ![[SPAWNS]] = !{!"coroptx.unroll.spawn_loop"}
; FITS-DAG: ![[PRAGMA]] = distinct !{![[PRAGMA]], ![[FULL]]}
; TOO-BIG-DAG: ![[LEFT]] = distinct !{![[LEFT]]}
; TOO-BIG-DAG: ![[PRAGMA]] = distinct !{![[PRAGMA]], ![[FULL:[0-9]+]]}
; TOO-BIG-DAG: ![[FULL]] = !{!"llvm.loop.unroll.full"}
