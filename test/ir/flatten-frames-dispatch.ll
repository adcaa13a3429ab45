; Purpose: once the frames are codes, FrameFlattening also rewrites the
; dispatch compares on their resume slots as tests of the code (a slot that
; holds one part, or that part and the null of a finished coroutine, always
; picks that part), and gives a handle a constant code wherever the tests
; leave it one target. Every edge of the transfer loop then carries a
; constant next code, and DFA jump threading removes the loop's dispatch.
;
; RUN: %opt-coroptx -passes='function(coroptx-flatten-frames)' -S %s -o - \
; RUN:   | FileCheck %s
; RUN: %opt-coroptx -S %s -o - -passes='function(coroptx-flatten-frames,sroa,instcombine,simplifycfg,dfa-jump-threading,simplifycfg,instcombine<no-verify-fixpoint>)' \
; RUN:   | FileCheck %s --check-prefix=THREADED

; The child is at offset 24 (code 25), the parent at 0 (code 1), the no-op
; frame past the 48-byte object (code 51: the parts stored in the slots were
; given codes first).
; CHECK-LABEL: define ptx_kernel void @chain(
; CHECK:       loop:
; CHECK-NEXT:    %handle.code = phi i32 [ 25, %entry ], [ %next.code, %step ]
; No pointer the frames held is compared any more, only codes.
; CHECK-NOT:     icmp eq ptr
; CHECK:       run.child:
; The child's continuation is the parent, and the parent's the no-op frame:
; constants, not the codes loaded from the slots.
; CHECK:       step:
; CHECK-NEXT:    %next.code = phi i32 [ 1, %run.child ], [ 51, %run.parent ]

; Without DFA jump threading the loop would switch on the code. With it,
; each arm goes straight to the next: the code is gone, and what is left
; runs the child once, which the full pipeline's loop passes delete.
; THREADED-LABEL: define ptx_kernel void @chain(
; THREADED-NOT:     switch
; THREADED-NOT:     phi i32 [ 25
; THREADED:         %doubled = shl i32 %x, 1
; THREADED-NOT:     switch
; THREADED:         ret void

; Where a slot may hold two parts, the compare stays a compare of the slot.
; CHECK-LABEL: define ptx_kernel void @two_parts_in_one_slot(
; CHECK:         icmp eq ptr {{%.*}}, @parent.resume

target datalayout = "e-p6:32:32-i64:64-i128:128-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

@noop.frame = internal addrspace(1) constant { ptr, ptr } {
  ptr @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv,
  ptr @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv }

define internal void @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv() {
  ret void
}
define internal void @parent.resume(ptr %f) { ret void }
define internal void @child.resume(ptr %f) { ret void }

declare void @llvm.assume(i1)

; The parent at 0 (resume slot, continuation at 8, result at 16), the child
; at 24 (resume slot, continuation at 32, value at 40). The loop dispatches
; as Devirtualize does: compares, and an assumption in the last arm.
define ptx_kernel void @chain(ptr %out, i32 %x) {
entry:
  %frames = alloca [48 x i8], align 8
  store ptr @parent.resume, ptr %frames, align 8
  %parent.next = getelementptr inbounds i8, ptr %frames, i64 8
  store ptr addrspacecast (ptr addrspace(1) @noop.frame to ptr), ptr %parent.next, align 8
  %child = getelementptr inbounds i8, ptr %frames, i64 24
  store ptr @child.resume, ptr %child, align 8
  %child.next = getelementptr inbounds i8, ptr %frames, i64 32
  store ptr %frames, ptr %child.next, align 8
  %child.value = getelementptr inbounds i8, ptr %frames, i64 40
  store i32 %x, ptr %child.value, align 8
  br label %loop

loop:
  %handle = phi ptr [ %child, %entry ], [ %next, %step ]
  %part = load ptr, ptr %handle, align 8
  %is.child = icmp eq ptr %part, @child.resume
  br i1 %is.child, label %run.child, label %not.child

run.child:
  %value.addr = getelementptr inbounds i8, ptr %handle, i64 16
  %value = load i32, ptr %value.addr, align 8
  %doubled = shl i32 %value, 1
  %continuation.addr = getelementptr inbounds i8, ptr %handle, i64 8
  %continuation = load ptr, ptr %continuation.addr, align 8
  %result.addr = getelementptr inbounds i8, ptr %continuation, i64 16
  store i32 %doubled, ptr %result.addr, align 8
  store ptr null, ptr %handle, align 8
  br label %step

not.child:
  %is.parent = icmp eq ptr %part, @parent.resume
  br i1 %is.parent, label %run.parent, label %run.noop

run.parent:
  store ptr null, ptr %handle, align 8
  %parent.continuation.addr = getelementptr inbounds i8, ptr %handle, i64 8
  %parent.continuation = load ptr, ptr %parent.continuation.addr, align 8
  br label %step

run.noop:
  %is.noop = icmp eq ptr %part, @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv
  call void @llvm.assume(i1 %is.noop)
  br label %done

step:
  %next = phi ptr [ %continuation, %run.child ], [ %parent.continuation, %run.parent ]
  br label %loop

done:
  %result.at = getelementptr inbounds i8, ptr %frames, i64 16
  %result = load i32, ptr %result.at, align 8
  store i32 %result, ptr %out, align 4
  ret void
}

; One frame whose resume slot holds either part, by the path taken: which
; part runs depends on the slot, so its compare is kept.
define ptx_kernel void @two_parts_in_one_slot(ptr %out, i1 %which) {
entry:
  %frames = alloca [16 x i8], align 8
  %self = getelementptr inbounds i8, ptr %frames, i64 8
  store ptr %frames, ptr %self, align 8
  br i1 %which, label %as.parent, label %as.child

as.parent:
  store ptr @parent.resume, ptr %frames, align 8
  br label %run

as.child:
  store ptr @child.resume, ptr %frames, align 8
  br label %run

run:
  %handle = load ptr, ptr %self, align 8
  %part = load ptr, ptr %handle, align 8
  %is.parent = icmp eq ptr %part, @parent.resume
  %picked = zext i1 %is.parent to i32
  store i32 %picked, ptr %out, align 4
  ret void
}

!coroptx.coroutines = !{!0, !1}
!0 = !{!"parent"}
!1 = !{!"child"}
