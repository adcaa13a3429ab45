; Purpose: ConstantPhiCompares turns an equality compare of a web of pointer phis and selects whose every source is a constant (a flattened frame's resume slot: the part, or null once done) into the same web over i1, with the outcomes at the sources, when the compares are the web's only outside uses; CVP and InstCombine then find the loop's own exit test. A web with any other source or use is left alone. With integer webs (as at the end of the pipeline), a web of handle codes is rewritten too, and compares that agree or disagree at every source share one outcome web.
; RUN: %opt-coroptx -passes='function(coroptx-constant-phi-compares)' -S %s | FileCheck %s --check-prefixes=CHECK,POINTERS
; RUN: %opt-coroptx -passes='function(coroptx-constant-phi-compares<integer-webs>)' -S %s | FileCheck %s --check-prefixes=CHECK,INTEGERS
; RUN: %opt-coroptx -passes='function(coroptx-constant-phi-compares,correlated-propagation,instcombine,simplifycfg)' -S %s | FileCheck %s --check-prefix=FOLDED

; CHECK-LABEL: define ptx_kernel void @generator_loop(
; CHECK:       loop:
; CHECK-NEXT:    %part.outcome = phi i1 [ false, %entry ], [ %part.next.outcome, %latch ]
; CHECK:       latch:
; CHECK-NEXT:    %part.next.outcome = phi i1 [ %part.outcome, %body ], [ true, %loop ]
; CHECK:         br i1 %part.next.outcome, label %exit, label %loop
; CHECK-NOT:     phi ptr
; CHECK:       exit:

; The loop ends on its counter, with a trip count.
; FOLDED-LABEL: define ptx_kernel void @generator_loop(
; FOLDED:       loop:
; FOLDED-NOT:     phi ptr
; FOLDED:         %last = icmp eq i32 %step.next, 64
; FOLDED:         br i1 %last, label %exit, label %loop

; A select in the web, and a compare with another part: outcomes too.
; CHECK-LABEL: define ptx_kernel void @select_and_parts(
; CHECK:         %picked.outcome = select i1 %c, i1 true, i1 false
; CHECK:         %merged.outcome = phi i1 [ %picked.outcome, %entry ], [ false, %other ]
; CHECK:         store i1 %merged.outcome, ptr %out
; CHECK-NOT:     icmp eq ptr

; A source that is not a constant keeps the compare.
; CHECK-LABEL: define ptx_kernel void @loaded_source(
; CHECK:         %merged = phi ptr [ %loaded, %entry ], [ null, %other ]
; CHECK:         icmp eq ptr %merged, null

; A use other than a compare keeps the web: it would live on beside the flag.
; CHECK-LABEL: define ptx_kernel void @stored_web(
; CHECK:         %merged = phi ptr [ @values.resume, %entry ], [ null, %other ]
; CHECK:         icmp eq ptr %merged, null
; CHECK:         store ptr %merged, ptr %slot

; An executor slot's handle after its spawn loop was unrolled: the code of
; its own frame, or 0 once freed. Every slot's code tests it against every
; frame's code. One web answers "holds its job"; the test against another
; frame's code is false.
; POINTERS-LABEL: define ptx_kernel void @slot_handle_code(
; POINTERS:         %code = phi i32 [ 5, %entry ], [ %code.next, %latch ]
; INTEGERS-LABEL: define ptx_kernel void @slot_handle_code(
; INTEGERS:       loop:
; INTEGERS-NEXT:    %code.outcome = phi i1 [ false, %entry ], [ %code.next.outcome, %latch ]
; INTEGERS-NEXT:    %held = xor i1 %code.outcome, true
; INTEGERS-NEXT:    %is.own = xor i1 %code.outcome, true
; INTEGERS-NOT:     phi
; INTEGERS:         store i1 %held, ptr %out
; INTEGERS-NEXT:    store i1 %is.own, ptr %out.1
; INTEGERS-NEXT:    store i1 %code.outcome, ptr %out.2
; INTEGERS-NEXT:    store i1 false, ptr %out.3
; INTEGERS:       latch:
; INTEGERS-NEXT:    %code.next.outcome = phi i1 [ true, %free ], [ %code.outcome, %loop ]
; INTEGERS-NOT:     i32

; A web of integers with a use other than a compare stays.
; CHECK-LABEL: define ptx_kernel void @added_code(
; CHECK:         %code = phi i32 [ 5, %entry ], [ 0, %other ]
; CHECK:         icmp eq i32 %code, 0
; CHECK:         add i32 %code, 1

target triple = "nvptx64-nvidia-cuda"

define internal void @values.resume(ptr %f) { ret void }
define internal void @other.resume(ptr %f) { ret void }

; The generator kernel's loop after flattening: the resume slot is a web of
; phis over the resume part and null, and the loop ends on done().
define ptx_kernel void @generator_loop(ptr %out, i32 %seed) {
entry:
  br label %loop

loop:
  %part = phi ptr [ @values.resume, %entry ], [ %part.next, %latch ]
  %step = phi i32 [ 0, %entry ], [ %step.next, %latch ]
  %sum = phi i32 [ 0, %entry ], [ %sum.next, %latch ]
  %step.next = add nuw nsw i32 %step, 1
  %last = icmp eq i32 %step.next, 64
  br i1 %last, label %latch, label %body

body:
  br label %latch

latch:
  %part.next = phi ptr [ %part, %body ], [ null, %loop ]
  %sum.next = add i32 %sum, %step
  %done = icmp eq ptr %part.next, null
  br i1 %done, label %exit, label %loop

exit:
  store i32 %sum.next, ptr %out, align 4
  ret void
}

define ptx_kernel void @select_and_parts(ptr %out, i1 %c, i1 %d) {
entry:
  %picked = select i1 %c, ptr @values.resume, ptr @other.resume
  br i1 %d, label %join, label %other

other:
  br label %join

join:
  %merged = phi ptr [ %picked, %entry ], [ null, %other ]
  %is.values = icmp eq ptr %merged, @values.resume
  store i1 %is.values, ptr %out, align 1
  ret void
}

define ptx_kernel void @loaded_source(ptr %out, ptr %slot, i1 %d) {
entry:
  %loaded = load ptr, ptr %slot, align 8
  br i1 %d, label %join, label %other

other:
  br label %join

join:
  %merged = phi ptr [ %loaded, %entry ], [ null, %other ]
  %done = icmp eq ptr %merged, null
  store i1 %done, ptr %out, align 1
  ret void
}

define ptx_kernel void @stored_web(ptr %out, ptr %slot, i1 %d) {
entry:
  br i1 %d, label %join, label %other

other:
  br label %join

join:
  %merged = phi ptr [ @values.resume, %entry ], [ null, %other ]
  %done = icmp eq ptr %merged, null
  store i1 %done, ptr %out, align 1
  store ptr %merged, ptr %slot, align 8
  ret void
}

define ptx_kernel void @slot_handle_code(ptr %out, i1 %frees, i1 %again) {
entry:
  %out.1 = getelementptr inbounds i8, ptr %out, i64 1
  %out.2 = getelementptr inbounds i8, ptr %out, i64 2
  %out.3 = getelementptr inbounds i8, ptr %out, i64 3
  br label %loop

loop:
  %code = phi i32 [ 5, %entry ], [ %code.next, %latch ]
  %held = icmp ne i32 %code, 0
  %is.own = icmp eq i32 %code, 5
  %is.free = icmp eq i32 %code, 0
  %is.other = icmp eq i32 %code, 9
  store i1 %held, ptr %out, align 1
  store i1 %is.own, ptr %out.1, align 1
  store i1 %is.free, ptr %out.2, align 1
  store i1 %is.other, ptr %out.3, align 1
  br i1 %frees, label %free, label %latch

free:
  br label %latch

latch:
  %code.next = phi i32 [ 0, %free ], [ %code, %loop ]
  br i1 %again, label %loop, label %exit

exit:
  ret void
}

define ptx_kernel void @added_code(ptr %out, i1 %d) {
entry:
  br i1 %d, label %join, label %other

other:
  br label %join

join:
  %code = phi i32 [ 5, %entry ], [ 0, %other ]
  %free = icmp eq i32 %code, 0
  store i1 %free, ptr %out, align 1
  %next = add i32 %code, 1
  %out.1 = getelementptr inbounds i8, ptr %out, i64 1
  store i32 %next, ptr %out.1, align 4
  ret void
}
