; Purpose: coroptx-peel-first-trip peels the first trip of a loop whose
; header merges a state that starts at one constant and can only be another
; from the second trip on: a scheduler loop over a flattened lazy coroutine,
; whose suspend index is 0 ("not started") on the first trip and -2 (its one
; await) on every later one. The first trip is evaluated once from the entry
; values: the coroutine is not done yet, so every path of the trip leaves
; -2. Peeled, the loop is entered with -2; SCCP finds the index constant, and
; the test "started?" is gone from the loop. A state that the first trip may
; leave at its entry value, or that the loop never tests, is left alone.
; RUN: %opt-coroptx -S %s \
; RUN:   -passes='function(coroptx-peel-first-trip,sccp,instcombine,simplifycfg)' \
; RUN:   -pass-remarks=coroptx-peel-first-trip 2> %t.remarks | FileCheck %s
; RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK

target triple = "nvptx64-nvidia-cuda"

; REMARK: remark: <unknown>:0:0: the first trip of this loop is peeled: from the second on, a state it tests is always -2, and its tests fold
; REMARK-NOT: remark

; The first trip (the start, step 0) is straight-line code before the loop;
; the loop resumes: it adds one to the step, and never tests the index.
; CHECK-LABEL: define void @starts_then_resumes(
; CHECK:       entry:
; CHECK-NEXT:    %[[FIRST:.*]] = mul i32 %seed, 1664525
; CHECK-NEXT:    br label %round
; CHECK:       round:
; CHECK-NOT:     i2
; CHECK:         %acc = phi i32 [ %[[FIRST]], %entry ]
; CHECK-NOT:     i2
; CHECK:         add i32 %step, 1
; CHECK-NOT:     i2
; CHECK:       exit:
define void @starts_then_resumes(ptr %out, i32 %seed) {
entry:
  br label %round

round:
  %index = phi i2 [ 0, %entry ], [ %index.next, %latch ]
  %done = phi i1 [ false, %entry ], [ %done.next, %latch ]
  %acc = phi i32 [ %seed, %entry ], [ %acc.next, %latch ]
  %step = phi i32 [ 0, %entry ], [ %step.next, %latch ]
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  br i1 %done, label %latch, label %resume

resume:
  %started = icmp eq i2 %index, 0
  br i1 %started, label %body, label %continue

continue:
  %s1 = add i32 %step, 1
  %fin = icmp eq i32 %s1, 64
  br i1 %fin, label %finish, label %body

body:
  %s = phi i32 [ 0, %resume ], [ %s1, %continue ]
  %a = mul i32 %acc, 1664525
  %a2 = add i32 %a, %s
  br label %latch

finish:
  br label %latch

latch:
  %index.next = phi i2 [ %index, %round ], [ -2, %body ], [ -2, %finish ]
  %done.next = phi i1 [ true, %round ], [ false, %body ], [ true, %finish ]
  %acc.next = phi i32 [ %acc, %round ], [ %a2, %body ], [ %acc, %finish ]
  %step.next = phi i32 [ %step, %round ], [ %s, %body ], [ %step, %finish ]
  %r.next = add i32 %r, 1
  %more = icmp ult i32 %r.next, 65
  br i1 %more, label %round, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}

; The coroutine may be done before the loop (%done.entry is not known), so
; the first trip may leave the index at 0: peeling would not fold its test.
; CHECK-LABEL: define void @may_stay_at_entry_value(
; CHECK-NOT:     .peel
; CHECK:         %index = phi i2
; CHECK:         icmp eq i2 %index, 0
define void @may_stay_at_entry_value(ptr %out, i32 %seed, i1 %done.entry) {
entry:
  br label %round

round:
  %index = phi i2 [ 0, %entry ], [ %index.next, %latch ]
  %done = phi i1 [ %done.entry, %entry ], [ %done.next, %latch ]
  %acc = phi i32 [ %seed, %entry ], [ %acc.next, %latch ]
  %r = phi i32 [ 0, %entry ], [ %r.next, %latch ]
  br i1 %done, label %latch, label %resume

resume:
  %started = icmp eq i2 %index, 0
  %a = mul i32 %acc, 1664525
  %a.first = select i1 %started, i32 %a, i32 %acc
  br label %latch

latch:
  %index.next = phi i2 [ %index, %round ], [ -2, %resume ]
  %done.next = phi i1 [ true, %round ], [ false, %resume ]
  %acc.next = phi i32 [ %acc, %round ], [ %a.first, %resume ]
  %r.next = add i32 %r, 1
  %more = icmp ult i32 %r.next, 65
  br i1 %more, label %round, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}

; A state that settles after the first trip but that nothing in the loop
; tests: a peeled copy would gain nothing.
; CHECK-LABEL: define void @untested_state(
; CHECK-NOT:     .peel
; CHECK:         %state = phi i32 [ 0, %entry ]
define void @untested_state(ptr %out, i32 %seed) {
entry:
  br label %loop

loop:
  %state = phi i32 [ 0, %entry ], [ 7, %loop ]
  %acc = phi i32 [ %seed, %entry ], [ %acc.next, %loop ]
  %r = phi i32 [ 0, %entry ], [ %r.next, %loop ]
  %acc.next = add i32 %acc, %state
  %r.next = add i32 %r, 1
  %more = icmp ult i32 %r.next, 65
  br i1 %more, label %loop, label %exit

exit:
  store i32 %acc.next, ptr %out
  ret void
}
