; Purpose: coroptx-split-loop-phases runs a loop whose every branch depends
; on states that start at constants (done flags, step counters, the round),
; trip by trip, and splits its trips into phases that take one path each.
; Two workers that finish on the same round become one loop of 63 trips with
; no branch but its own, then the finishing round. Two sleepers that take
; turns become phases of four trips (the first, where one of them starts; a
; loop of two groups; the finishing groups), and a step counter that enters
; undefined (set when its sleeper starts) does not stop the split, because
; no branch reads it before then. A branch on memory, a trip count from an
; argument, an undefined state that decides a branch, a barrier in the body,
; a loop with no branch to fold, trips with no phases that repeat, and a
; loop the user asked not to unroll are left alone.
; RUN: %opt-coroptx -S %s \
; RUN:   -passes='function(coroptx-split-loop-phases,sccp,instcombine,simplifycfg)' \
; RUN:   -pass-remarks=coroptx-split-loop-phases 2> %t.remarks | FileCheck %s
; RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
; RUN: %opt-coroptx -S %s -passes='function(coroptx-split-loop-phases)' \
; RUN:   | FileCheck %s --check-prefix=ALONE

target triple = "nvptx64-nvidia-cuda"

declare void @llvm.nvvm.barrier0() convergent

; REMARK: remark: <unknown>:0:0: the 64 trips of this loop split into 2 phases, each repeating one path through 1 trip; their branches fold
; REMARK: remark: <unknown>:0:0: the 20 trips of this loop split into 4 phases, each repeating one path through 4 trips; their branches fold
; REMARK-NOT: remark

; Rounds 1 to 63 step both workers, with no flag and no test of the steps;
; round 64 finishes them, and its results are the accumulators.
; CHECK-LABEL: define void @workers_finish_together(
; CHECK:       phase:
; CHECK-NOT:     phi i1
; CHECK-NOT:     icmp
; CHECK:         mul i32 {{.*}}, 1664525
; CHECK-NOT:     icmp
; CHECK:         mul i32 {{.*}}, 1664525
; CHECK-NOT:     icmp
; CHECK:         %phase.over = icmp eq i32 %phase.next, 63
; CHECK-NEXT:    br i1 %phase.over, label %exit, label %phase
; CHECK:       exit:
; CHECK-NEXT:    %sum = xor i32 %[[ACC0:.*]], %[[ACC1:.*]]
define void @workers_finish_together(ptr %out, i32 %seed) {
entry:
  %seed1 = add i32 %seed, 1
  br label %round

round:
  %r = phi i32 [ 1, %entry ], [ %r.next, %w1.end ]
  %done0 = phi i1 [ false, %entry ], [ %done0.next, %w1.end ]
  %step0 = phi i32 [ 0, %entry ], [ %step0.next, %w1.end ]
  %acc0 = phi i32 [ %seed, %entry ], [ %acc0.next, %w1.end ]
  %res0 = phi i32 [ undef, %entry ], [ %res0.next, %w1.end ]
  %done1 = phi i1 [ false, %entry ], [ %done1.next, %w1.end ]
  %step1 = phi i32 [ 0, %entry ], [ %step1.next, %w1.end ]
  %acc1 = phi i32 [ %seed1, %entry ], [ %acc1.next, %w1.end ]
  %res1 = phi i32 [ undef, %entry ], [ %res1.next, %w1.end ]
  br i1 %done0, label %w0.end, label %w0.resume

w0.resume:
  %s0 = add nuw nsw i32 %step0, 1
  %fin0 = icmp eq i32 %s0, 64
  br i1 %fin0, label %w0.end, label %w0.step

w0.step:
  %x0 = lshr i32 %acc0, 13
  %y0 = xor i32 %x0, %acc0
  %m0 = mul i32 %y0, 1664525
  %a0 = add i32 %m0, %s0
  br label %w0.end

w0.end:
  %done0.next = phi i1 [ true, %round ], [ true, %w0.resume ], [ false, %w0.step ]
  %step0.next = phi i32 [ %step0, %round ], [ 63, %w0.resume ], [ %s0, %w0.step ]
  %acc0.next = phi i32 [ %acc0, %round ], [ %acc0, %w0.resume ], [ %a0, %w0.step ]
  %res0.next = phi i32 [ %res0, %round ], [ %acc0, %w0.resume ], [ %res0, %w0.step ]
  br i1 %done1, label %w1.end, label %w1.resume

w1.resume:
  %s1 = add nuw nsw i32 %step1, 1
  %fin1 = icmp eq i32 %s1, 64
  br i1 %fin1, label %w1.end, label %w1.step

w1.step:
  %x1 = lshr i32 %acc1, 13
  %y1 = xor i32 %x1, %acc1
  %m1 = mul i32 %y1, 1664525
  %a1 = add i32 %m1, %s1
  br label %w1.end

w1.end:
  %done1.next = phi i1 [ true, %w0.end ], [ true, %w1.resume ], [ false, %w1.step ]
  %step1.next = phi i32 [ %step1, %w0.end ], [ 63, %w1.resume ], [ %s1, %w1.step ]
  %acc1.next = phi i32 [ %acc1, %w0.end ], [ %acc1, %w1.resume ], [ %a1, %w1.step ]
  %res1.next = phi i32 [ %res1, %w0.end ], [ %acc1, %w1.resume ], [ %res1, %w1.step ]
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, 65
  br i1 %more, label %round, label %exit

exit:
  %sum = xor i32 %res0.next, %res1.next
  store i32 %sum, ptr %out
  ret void
}

; The first group (sleeper 1 starts) folds into the entry; the phase loop
; steps each sleeper twice a trip, untested; the last groups step and
; finish them.
; CHECK-LABEL: define void @sleepers_take_turns(
; CHECK:       phase:
; CHECK-NOT:     phi i1 [ false, %entry ], [ false
; CHECK-NOT:     and i32
; CHECK-COUNT-4: mul i32 {{.*}}, 1664525
; CHECK-NOT:     mul
; CHECK:         br i1 %phase.over, label %exit, label %phase
define void @sleepers_take_turns(ptr %out, i32 %seed) {
entry:
  %seed1 = add i32 %seed, 1
  br label %tick

tick:
  %t = phi i32 [ 0, %entry ], [ %t.next, %s1.end ]
  %done0 = phi i1 [ false, %entry ], [ %done0.next, %s1.end ]
  %step0 = phi i32 [ 0, %entry ], [ %step0.next, %s1.end ]
  %acc0 = phi i32 [ %seed, %entry ], [ %acc0.next, %s1.end ]
  %started1 = phi i1 [ false, %entry ], [ %started1.next, %s1.end ]
  %done1 = phi i1 [ false, %entry ], [ %done1.next, %s1.end ]
  %step1 = phi i32 [ undef, %entry ], [ %step1.next, %s1.end ]
  %acc1 = phi i32 [ undef, %entry ], [ %acc1.next, %s1.end ]
  %parity = and i32 %t, 1
  %turn0 = icmp eq i32 %parity, 0
  br i1 %turn0, label %s0.check, label %s0.end

s0.check:
  br i1 %done0, label %s0.end, label %s0.resume

s0.resume:
  %n0 = add nuw nsw i32 %step0, 1
  %fin0 = icmp eq i32 %n0, 8
  br i1 %fin0, label %s0.end, label %s0.step

s0.step:
  %m0 = mul i32 %acc0, 1664525
  %a0 = add i32 %m0, %n0
  br label %s0.end

s0.end:
  %done0.next = phi i1 [ false, %tick ], [ true, %s0.check ], [ true, %s0.resume ], [ false, %s0.step ]
  %step0.next = phi i32 [ %step0, %tick ], [ %step0, %s0.check ], [ 7, %s0.resume ], [ %n0, %s0.step ]
  %acc0.next = phi i32 [ %acc0, %tick ], [ %acc0, %s0.check ], [ %acc0, %s0.resume ], [ %a0, %s0.step ]
  %done0.now = phi i1 [ %done0, %tick ], [ true, %s0.check ], [ true, %s0.resume ], [ false, %s0.step ]
  br i1 %turn0, label %s1.end, label %s1.check

s1.check:
  br i1 %done1, label %s1.end, label %s1.started

s1.started:
  br i1 %started1, label %s1.resume, label %s1.start

s1.start:
  br label %s1.step

s1.resume:
  %n1 = add nuw nsw i32 %step1, 1
  %fin1 = icmp eq i32 %n1, 8
  br i1 %fin1, label %s1.end, label %s1.step

s1.step:
  %n1.any = phi i32 [ 0, %s1.start ], [ %n1, %s1.resume ]
  %acc1.in = phi i32 [ %seed1, %s1.start ], [ %acc1, %s1.resume ]
  %m1 = mul i32 %acc1.in, 1664525
  %a1 = add i32 %m1, %n1.any
  br label %s1.end

s1.end:
  %started1.next = phi i1 [ %started1, %s0.end ], [ true, %s1.check ], [ true, %s1.resume ], [ true, %s1.step ]
  %done1.next = phi i1 [ %done1, %s0.end ], [ true, %s1.check ], [ true, %s1.resume ], [ false, %s1.step ]
  %step1.next = phi i32 [ %step1, %s0.end ], [ %step1, %s1.check ], [ 7, %s1.resume ], [ %n1.any, %s1.step ]
  %acc1.next = phi i32 [ %acc1, %s0.end ], [ %acc1, %s1.check ], [ %acc1, %s1.resume ], [ %a1, %s1.step ]
  %t.next = add nuw nsw i32 %t, 1
  %more = icmp ne i32 %t.next, 20
  br i1 %more, label %tick, label %exit

exit:
  %sum = xor i32 %acc0.next, %acc1.next
  store i32 %sum, ptr %out
  ret void
}

; A branch on a value loaded in the loop: the trips' paths depend on memory.
; ALONE-LABEL: define void @branch_on_memory(
; ALONE-NOT:     phase
; ALONE:       exit:
define void @branch_on_memory(ptr %p, ptr %out) {
entry:
  br label %round

round:
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %latch ]
  %flag = load i32, ptr %p
  %go = icmp ne i32 %flag, 0
  br i1 %go, label %work, label %latch

work:
  %a = mul i32 %acc, 1664525
  br label %latch

latch:
  %acc.next = phi i32 [ %acc, %round ], [ %a, %work ]
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, 64
  br i1 %more, label %round, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}

; The trip count is an argument: the trips cannot be counted.
; ALONE-LABEL: define void @trips_from_argument(
; ALONE-NOT:     phase
; ALONE:       exit:
define void @trips_from_argument(i32 %n, ptr %out) {
entry:
  br label %round

round:
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  %done = phi i1 [ false, %entry ], [ %done.next, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %latch ]
  br i1 %done, label %latch, label %work

work:
  %a = mul i32 %acc, 1664525
  %fin = icmp eq i32 %r, 10
  br label %latch

latch:
  %acc.next = phi i32 [ %acc, %round ], [ %a, %work ]
  %done.next = phi i1 [ true, %round ], [ %fin, %work ]
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, %n
  br i1 %more, label %round, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}

; A state that enters undefined decides the first trip's branch: no path
; holds for every value it may have.
; ALONE-LABEL: define void @undefined_state_decides(
; ALONE-NOT:     phase
; ALONE:       exit:
define void @undefined_state_decides(ptr %out) {
entry:
  br label %round

round:
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  %done = phi i1 [ undef, %entry ], [ %done.next, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %latch ]
  br i1 %done, label %latch, label %work

work:
  %a = mul i32 %acc, 1664525
  %fin = icmp eq i32 %r, 10
  br label %latch

latch:
  %acc.next = phi i32 [ %acc, %round ], [ %a, %work ]
  %done.next = phi i1 [ true, %round ], [ %fin, %work ]
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, 64
  br i1 %more, label %round, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}

; A barrier in the body: copies of it on other paths would not be the
; same barrier for the threads that reach them.
; ALONE-LABEL: define void @convergent_body(
; ALONE-NOT:     phase
; ALONE:       exit:
define void @convergent_body(ptr %out) {
entry:
  br label %round

round:
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  %done = phi i1 [ false, %entry ], [ %done.next, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %latch ]
  call void @llvm.nvvm.barrier0()
  br i1 %done, label %latch, label %work

work:
  %a = mul i32 %acc, 1664525
  %fin = icmp eq i32 %r, 10
  br label %latch

latch:
  %acc.next = phi i32 [ %acc, %round ], [ %a, %work ]
  %done.next = phi i1 [ true, %round ], [ %fin, %work ]
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, 64
  br i1 %more, label %round, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}

; No branch but the latch's: every trip takes the one path, nothing folds.
; ALONE-LABEL: define void @counted_loop(
; ALONE-NOT:     phase
; ALONE:       exit:
define void @counted_loop(ptr %out) {
entry:
  br label %round

round:
  %r = phi i32 [ 0, %entry ], [ %r.next, %round ]
  %acc = phi i32 [ 0, %entry ], [ %a, %round ]
  %a = mul i32 %acc, 1664525
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, 64
  br i1 %more, label %round, label %exit

exit:
  store i32 %a, ptr %out
  ret void
}

; The turns follow a hash of the trip: no period up to 16 groups the trips
; into four phases or fewer.
; ALONE-LABEL: define void @no_repeating_phases(
; ALONE-NOT:     phase
; ALONE:       exit:
define void @no_repeating_phases(ptr %out) {
entry:
  br label %round

round:
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %latch ]
  %hash = mul i32 %r, -1640531527
  %bit = lshr i32 %hash, 31
  %turn = trunc i32 %bit to i1
  br i1 %turn, label %work, label %latch

work:
  %a = mul i32 %acc, 1664525
  br label %latch

latch:
  %acc.next = phi i32 [ %acc, %round ], [ %a, %work ]
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, 40
  br i1 %more, label %round, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}

; `#pragma unroll 1` (unroll disabled): the user keeps the loop as it is.
; ALONE-LABEL: define void @unroll_disabled(
; ALONE-NOT:     phase
; ALONE:       exit:
define void @unroll_disabled(ptr %out) {
entry:
  br label %round

round:
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  %done = phi i1 [ false, %entry ], [ %done.next, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %latch ]
  br i1 %done, label %latch, label %work

work:
  %a = mul i32 %acc, 1664525
  %fin = icmp eq i32 %r, 10
  br label %latch

latch:
  %acc.next = phi i32 [ %acc, %round ], [ %a, %work ]
  %done.next = phi i1 [ true, %round ], [ %fin, %work ]
  %r.next = add nuw nsw i32 %r, 1
  %more = icmp ne i32 %r.next, 64
  br i1 %more, label %round, label %exit, !llvm.loop !0

exit:
  store i32 %acc.next, ptr %out
  ret void
}

!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.unroll.disable"}
