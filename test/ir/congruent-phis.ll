; Purpose: CongruentPhis replaces phis of one block that receive the same value on every incoming edge, or phis that are congruent themselves, by one of them: an executor slot's "free" and "done" flags, which start false together and turn true together, become one flag even though each one's next value depends on its own last one (GVN cannot see that). Phis that differ on one edge, directly or through a phi they receive, stay apart.
; RUN: %opt-coroptx -passes='function(coroptx-congruent-phis)' -S %s | FileCheck %s
; RUN: %opt-coroptx -passes='function(coroptx-congruent-phis,gvn,instcombine,simplifycfg)' -S %s | FileCheck %s --check-prefix=FOLDED
; RUN: %opt-coroptx -passes='function(gvn)' -S %s | FileCheck %s --check-prefix=GVN

target triple = "nvptx64-nvidia-cuda"

declare void @step(ptr)
declare i1 @ready()

; A slot of an unrolled executor: %free and %done turn true together, on
; the path where the job ended; after a resume, "done" is asked again.
; CHECK-LABEL: define ptx_kernel void @slot_flags(
; CHECK:       round:
; CHECK-NEXT:    %free = phi i1 [ false, %entry ], [ %free.next, %latch ]
; CHECK-NEXT:    %left = phi i32
; CHECK-NOT:     %done = phi
; CHECK:       resumed:
; CHECK:         br i1 %free, label %ended, label %latch
; CHECK:       latch:
; CHECK-NEXT:    %free.next = phi i1 [ %free, %round ], [ false, %resumed ], [ true, %ended ]
; CHECK-NOT:     %done.next
; CHECK:         br i1 %all, label %exit, label %round
; The test of "done" after the resume, on a path where the slot was not
; free, folds away.
; FOLDED-LABEL: define ptx_kernel void @slot_flags(
; FOLDED:         call void @step(ptr %state)
; FOLDED-NOT:     %free
; FOLDED:       latch:
; GVN-LABEL:    define ptx_kernel void @slot_flags(
; GVN:            %done = phi i1
define ptx_kernel void @slot_flags(ptr %state, i32 %steps) {
entry:
  br label %round

round:
  %free = phi i1 [ false, %entry ], [ %free.next, %latch ]
  %left = phi i32 [ %steps, %entry ], [ %left.next, %latch ]
  %done = phi i1 [ false, %entry ], [ %done.next, %latch ]
  %go = call i1 @ready()
  %skip = or i1 %free, %go
  br i1 %skip, label %latch, label %body

body:
  call void @step(ptr %state)
  %left.dec = add i32 %left, -1
  %last = icmp eq i32 %left.dec, 0
  br i1 %last, label %ended, label %resumed

resumed:
  br i1 %done, label %ended, label %latch

ended:
  br label %latch

latch:
  %free.next = phi i1 [ %free, %round ], [ false, %resumed ], [ true, %ended ]
  %left.next = phi i32 [ %left, %round ], [ %left.dec, %resumed ], [ 0, %ended ]
  %done.next = phi i1 [ %done, %round ], [ false, %resumed ], [ true, %ended ]
  %all = icmp eq i32 %left.next, 0
  br i1 %all, label %exit, label %round

exit:
  ret void
}

; One edge brings different values: two phis.
; CHECK-LABEL: define ptx_kernel void @differ_on_one_edge(
; CHECK:         %a = phi i1 [ false, %entry ], [ %a.next, %loop ]
; CHECK-NEXT:    %b = phi i1 [ false, %entry ], [ %b.next, %loop ]
; CHECK:         store i1 %a, ptr %out
; CHECK-NEXT:    store i1 %b, ptr %out
define ptx_kernel void @differ_on_one_edge(ptr %out, i1 %c) {
entry:
  br label %loop

loop:
  %a = phi i1 [ false, %entry ], [ %a.next, %loop ]
  %b = phi i1 [ false, %entry ], [ %b.next, %loop ]
  %a.next = xor i1 %a, %c
  %b.next = and i1 %b, %c
  store i1 %a, ptr %out
  store i1 %b, ptr %out
  %go = call i1 @ready()
  br i1 %go, label %loop, label %exit

exit:
  ret void
}

; %x and %y agree on every edge only if %p and %q do; %p and %q differ on
; the edge from %other, so neither pair merges, although the edges into
; %loop alone would have them agree.
; CHECK-LABEL: define ptx_kernel void @differ_through_a_phi(
; CHECK:         %x = phi i32 [ 0, %entry ], [ %p, %merge ]
; CHECK-NEXT:    %y = phi i32 [ 0, %entry ], [ %q, %merge ]
; CHECK:         store i32 %x, ptr %out
; CHECK-NEXT:    store i32 %y, ptr %out
; CHECK:         %p = phi i32 [ %x, %loop ], [ 1, %other ]
; CHECK-NEXT:    %q = phi i32 [ %y, %loop ], [ 2, %other ]
define ptx_kernel void @differ_through_a_phi(ptr %out, i1 %c) {
entry:
  br label %loop

loop:
  %x = phi i32 [ 0, %entry ], [ %p, %merge ]
  %y = phi i32 [ 0, %entry ], [ %q, %merge ]
  store i32 %x, ptr %out
  store i32 %y, ptr %out
  br i1 %c, label %other, label %merge

other:
  br label %merge

merge:
  %p = phi i32 [ %x, %loop ], [ 1, %other ]
  %q = phi i32 [ %y, %loop ], [ 2, %other ]
  %go = call i1 @ready()
  br i1 %go, label %loop, label %exit

exit:
  ret void
}

; Congruent through another block's phis, over i32 and whatever the order
; of the incoming edges in each phi: %x and %y merge, and so do %p and %q.
; CHECK-LABEL: define ptx_kernel void @agree_through_a_phi(
; CHECK:         %x = phi i32 [ 0, %entry ], [ %p, %merge ]
; CHECK-NOT:     %y = phi
; CHECK:         store i32 %x, ptr %out
; CHECK-NEXT:    store i32 %x, ptr %out
; CHECK:         %p = phi i32 [ %x, %loop ], [ 1, %other ]
; CHECK-NOT:     %q = phi
define ptx_kernel void @agree_through_a_phi(ptr %out, i1 %c) {
entry:
  br label %loop

loop:
  %x = phi i32 [ 0, %entry ], [ %p, %merge ]
  %y = phi i32 [ %q, %merge ], [ 0, %entry ]
  store i32 %x, ptr %out
  store i32 %y, ptr %out
  br i1 %c, label %other, label %merge

other:
  br label %merge

merge:
  %p = phi i32 [ %x, %loop ], [ 1, %other ]
  %q = phi i32 [ 1, %other ], [ %y, %loop ]
  %go = call i1 @ready()
  br i1 %go, label %loop, label %exit

exit:
  ret void
}

; Phis of different types never merge, even with the same constants.
; CHECK-LABEL: define ptx_kernel void @types_apart(
; CHECK:         %narrow = phi i32 [ 0, %entry ], [ 0, %loop ]
; CHECK-NEXT:    %wide = phi i64 [ 0, %entry ], [ 0, %loop ]
define ptx_kernel void @types_apart(ptr %out) {
entry:
  br label %loop

loop:
  %narrow = phi i32 [ 0, %entry ], [ 0, %loop ]
  %wide = phi i64 [ 0, %entry ], [ 0, %loop ]
  store i32 %narrow, ptr %out
  store i64 %wide, ptr %out
  %go = call i1 @ready()
  br i1 %go, label %loop, label %exit

exit:
  ret void
}
