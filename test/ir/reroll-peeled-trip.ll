; Purpose: PeeledTripRerolling moves a trip that was peeled off a loop and folded into its preheader back into the loop, so the loop runs its real trip count: a generator's first value (computed before the consumer's loop by the first resume) rejoins the loop, whose phis then enter at the values the first trip starts from (the sum at 0, the step at 0, the state at the seed, a lagging step at -1, whose add loses only the flag it breaks). A preheader value used elsewhere, a first trip that differs from the others, a trip that would leave the loop or has an effect, a loop LLVM will not unroll and a loop of a function that runs no coroutine all stay as they are.
; RUN: %opt-coroptx -passes='loop(coroptx-reroll-peeled-trip)' -pass-remarks=coroptx-reroll-peeled-trip -S %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
; RUN: %opt-coroptx -passes='loop(coroptx-reroll-peeled-trip),loop-unroll<O2>' -S %s | FileCheck %s --check-prefix=UNROLLED

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

declare void @use(i32)

; The generator feeding a sum, as the pipeline leaves it before LoopUnroll:
; the preheader computes mix(seed, 0), the loop the 63 values after it.
; CHECK-LABEL: define ptx_kernel void @generator_sum(
; CHECK:       entry:
; CHECK-NEXT:    br label %loop
; CHECK:       loop:
; CHECK-NEXT:    %step = phi i32 [ 0, %entry ], [ %step.next, %loop ]
; CHECK-NEXT:    %sum = phi i32 [ 0, %entry ], [ %sum.next, %loop ]
; CHECK-NEXT:    %x = phi i32 [ %seed, %entry ], [ %x.next, %loop ]
; CHECK-NEXT:    %lagging = phi i32 [ -1, %entry ], [ %step, %loop ]
; CHECK-NEXT:    %plus = add nsw i32 %lagging, 1013904224
; CHECK:         %step.next = add nuw nsw i32 %step, 1
; CHECK-NEXT:    %again = icmp eq i32 %step.next, 64
; REMARK: remark: <unknown>:0:0: moved 1 peeled trip(s) back into the loop
; 64 trips unroll by 4, where 63 unrolled by 3.
; UNROLLED-LABEL: define ptx_kernel void @generator_sum(
; UNROLLED:         %step.next.3 = add nuw nsw i32 %step, 4
; UNROLLED:         icmp eq i32 %step.next.3, 64
define ptx_kernel void @generator_sum(ptr %out, i32 %seed) #0 {
entry:
  %shifted = lshr i32 %seed, 13
  %mixed = xor i32 %shifted, %seed
  %scaled = mul i32 %mixed, 1664525
  %first = add i32 %scaled, 1013904223
  br label %loop

loop:
  %step = phi i32 [ 1, %entry ], [ %step.next, %loop ]
  %sum = phi i32 [ %first, %entry ], [ %sum.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %lagging = phi i32 [ 0, %entry ], [ %step, %loop ]
  %plus = add nuw nsw i32 %lagging, 1013904224
  %x.shifted = lshr i32 %x, 13
  %x.mixed = xor i32 %x.shifted, %x
  %x.scaled = mul i32 %x.mixed, 1664525
  %x.next = add i32 %plus, %x.scaled
  %sum.next = add i32 %sum, %x.next
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  store i32 %sum.next, ptr %out
  ret void
}

; The first value is also used after the loop: it stays, and so does the
; peeled trip.
; CHECK-LABEL: define ptx_kernel void @first_value_used_after(
; CHECK:         %step = phi i32 [ 1, %entry ]
define ptx_kernel void @first_value_used_after(ptr %out, i32 %seed) #0 {
entry:
  %scaled = mul i32 %seed, 1664525
  %first = add i32 %scaled, 7
  br label %loop

loop:
  %step = phi i32 [ 1, %entry ], [ %step.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %x.scaled = mul i32 %x, 1664525
  %x.next = add i32 %x.scaled, 7
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  %both = add i32 %x.next, %first
  store i32 %both, ptr %out
  ret void
}

; The preheader adds 5 where a trip adds 7: not a trip of this loop.
; CHECK-LABEL: define ptx_kernel void @first_trip_differs(
; CHECK:         %step = phi i32 [ 1, %entry ]
define ptx_kernel void @first_trip_differs(ptr %out, i32 %seed) #0 {
entry:
  %scaled = mul i32 %seed, 1664525
  %first = add i32 %scaled, 5
  br label %loop

loop:
  %step = phi i32 [ 1, %entry ], [ %step.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %x.scaled = mul i32 %x, 1664525
  %x.next = add i32 %x.scaled, 7
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  store i32 %x.next, ptr %out
  ret void
}

; From the start values, the trip would leave the loop: the count starts
; at -1, which the unsigned exit test takes for the largest count.
; CHECK-LABEL: define ptx_kernel void @extra_trip_leaves(
; CHECK:         %left = phi i32 [ 0, %entry ]
define ptx_kernel void @extra_trip_leaves(ptr %out, i32 %seed) #0 {
entry:
  %scaled = mul i32 %seed, 1664525
  %first = add i32 %scaled, 7
  br label %loop

loop:
  %left = phi i32 [ 0, %entry ], [ %left.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %x.scaled = mul i32 %x, 1664525
  %x.next = add i32 %x.scaled, 7
  %left.next = add i32 %left, 1
  %again = icmp ult i32 %left, 63
  br i1 %again, label %loop, label %exit

exit:
  store i32 %x.next, ptr %out
  ret void
}

; Each trip passes its value to a call: the extra trip would make one more.
; CHECK-LABEL: define ptx_kernel void @trip_with_effect(
; CHECK:         %step = phi i32 [ 1, %entry ]
define ptx_kernel void @trip_with_effect(ptr %out, i32 %seed) #0 {
entry:
  %scaled = mul i32 %seed, 1664525
  %first = add i32 %scaled, 7
  call void @use(i32 %first)
  br label %loop

loop:
  %step = phi i32 [ 1, %entry ], [ %step.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %x.scaled = mul i32 %x, 1664525
  %x.next = add i32 %x.scaled, 7
  call void @use(i32 %x.next)
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  store i32 %x.next, ptr %out
  ret void
}

; Two trips were peeled: both come back.
; CHECK-LABEL: define ptx_kernel void @two_peeled_trips(
; CHECK:         %step = phi i32 [ 0, %entry ]
; CHECK-NEXT:    %x = phi i32 [ %seed, %entry ]
; REMARK: remark: <unknown>:0:0: moved 2 peeled trip(s) back into the loop
define ptx_kernel void @two_peeled_trips(ptr %out, i32 %seed) #0 {
entry:
  %scaled.0 = mul i32 %seed, 1664525
  %first = add i32 %scaled.0, 7
  %scaled.1 = mul i32 %first, 1664525
  %second = add i32 %scaled.1, 7
  br label %loop

loop:
  %step = phi i32 [ 2, %entry ], [ %step.next, %loop ]
  %x = phi i32 [ %second, %entry ], [ %x.next, %loop ]
  %x.scaled = mul i32 %x, 1664525
  %x.next = add i32 %x.scaled, 7
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  store i32 %x.next, ptr %out
  ret void
}

; The generator's loop in a kernel that runs no coroutine: clang's own.
; CHECK-LABEL: define ptx_kernel void @no_coroutines(
; CHECK:         %step = phi i32 [ 1, %entry ]
define ptx_kernel void @no_coroutines(ptr %out, i32 %seed) {
entry:
  %scaled = mul i32 %seed, 1664525
  %first = add i32 %scaled, 7
  br label %loop

loop:
  %step = phi i32 [ 1, %entry ], [ %step.next, %loop ]
  %x = phi i32 [ %first, %entry ], [ %x.next, %loop ]
  %x.scaled = mul i32 %x, 1664525
  %x.next = add i32 %x.scaled, 7
  %step.next = add nuw nsw i32 %step, 1
  %again = icmp eq i32 %step.next, 64
  br i1 %again, label %exit, label %loop

exit:
  store i32 %x.next, ptr %out
  ret void
}

attributes #0 = { "coroptx.runs-coroutines" }
