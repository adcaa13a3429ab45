; Purpose: InlineForFlattening inlines the calls that receive handles into a
; kernel's frame object (here a shared resume dispatcher and the parts it
; calls) when the object then flattens, and leaves the kernel as it was when
; it would not. In @runs_f, the dispatcher's arm for @g.resume would store the
; frame's address into itself and read that slot in part; only the
; assumption Devirtualize leaves in the last arm (the slot holds @g.resume)
; shows the arm never runs for a frame whose slot only ever held @f.resume
; or null. Without it, the trial fails and the frame stays in memory.
;
; RUN: %opt-coroptx -passes=coroptx-inline-for-flattening -S %s \
; RUN:   -pass-remarks=coroptx-inline-for-flattening -o %t.ll 2> %t.remarks
; RUN: FileCheck %s < %t.ll
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

; REMARK: remark: {{.*}}inlined 3 calls given coroutine handles, so the frames became SSA values
; REMARK-NOT: remark

; The frame is gone: the loop counts in registers.
; CHECK-LABEL: define ptx_kernel void @runs_f(
; CHECK-NOT:     alloca
; CHECK-NOT:     call void @{{resume.dispatch|f.resume|g.resume}}(
; CHECK-NOT:     load
; CHECK:         store i32 %{{.*}}, ptr %out
; CHECK-NEXT:    ret void

; The handle goes to a function that keeps it: nothing can be gained, and the
; kernel keeps its call and its frame.
; CHECK-LABEL: define ptx_kernel void @handle_kept(
; CHECK:         alloca [24 x i8]
; CHECK:         call void @resume.dispatch(
; CHECK:         call void @keep(
; CHECK:         ret void

@kept = internal global ptr null

define internal void @f.resume(ptr %frame) {
entry:
  %count.addr = getelementptr inbounds i8, ptr %frame, i64 16
  %count = load i32, ptr %count.addr, align 4
  %next = add i32 %count, 1
  store i32 %next, ptr %count.addr, align 4
  %last = icmp eq i32 %next, 3
  br i1 %last, label %final, label %suspend

final:
  store ptr null, ptr %frame, align 8
  ret void

suspend:
  ret void
}

define internal void @g.resume(ptr %frame) {
  %slot = getelementptr inbounds i8, ptr %frame, i64 8
  store ptr %frame, ptr %slot, align 8
  %half = load i32, ptr %slot, align 4
  %out = getelementptr inbounds i8, ptr %frame, i64 16
  store i32 %half, ptr %out, align 4
  ret void
}

; Devirtualize's shape: compares, then a last arm with its callee assumed.
define internal void @resume.dispatch(ptr %handle) {
entry:
  %part = load ptr, ptr %handle, align 8
  %is.f = icmp eq ptr %part, @f.resume
  br i1 %is.f, label %call.f, label %call.g

call.f:
  call void @f.resume(ptr %handle)
  br label %join

call.g:
  %is.g = icmp eq ptr %part, @g.resume
  call void @llvm.assume(i1 %is.g)
  call void @g.resume(ptr %handle)
  br label %join

join:
  ret void
}

define ptx_kernel void @runs_f(ptr %out) {
entry:
  %frame = alloca [24 x i8], align 8
  store ptr @f.resume, ptr %frame, align 8
  %count.addr = getelementptr inbounds i8, ptr %frame, i64 16
  store i32 0, ptr %count.addr, align 4
  br label %loop

loop:
  call void @resume.dispatch(ptr %frame)
  %part = load ptr, ptr %frame, align 8
  %done = icmp eq ptr %part, null
  br i1 %done, label %exit, label %loop

exit:
  %count = load i32, ptr %count.addr, align 4
  store i32 %count, ptr %out, align 4
  ret void
}

define internal void @keep(ptr %handle) {
  store ptr %handle, ptr @kept, align 8
  ret void
}

define ptx_kernel void @handle_kept(ptr %out) {
entry:
  %frame = alloca [24 x i8], align 8
  store ptr @f.resume, ptr %frame, align 8
  %count.addr = getelementptr inbounds i8, ptr %frame, i64 16
  store i32 0, ptr %count.addr, align 4
  call void @resume.dispatch(ptr %frame)
  call void @keep(ptr %frame)
  %count = load i32, ptr %count.addr, align 4
  store i32 %count, ptr %out, align 4
  ret void
}

declare void @llvm.assume(i1)
