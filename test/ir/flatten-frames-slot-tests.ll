; Purpose: FrameFlattening's slot tests. A compare of the value loaded from
; a frame's slot tells which frames a handle can be under each outcome:
; here a destroy loop that walks from a parent frame (0) to its child (16),
; in the shape tail-call elimination gives it. The destroy slot it compares
; is loaded before the back edge, so the compare reads a phi of loads, and
; the frame is the phi beside it at a fixed distance (8). Only under
; "slot == @parent.destroy" is the frame the parent; there it reads the
; child's destroy slot in half (offset 24), which for the child itself would
; be half of the handle slot at 40. Without the test the object would stay
; in memory ("a handle slot is accessed in part").
;
; A test on a frame also holds for its fields' addresses, even where the
; address was computed before the test (EarlyCSE hoists the GEPs of a
; placed frame to the entry): in @field_address_before_test the arm of
; another coroutine stores a child's handle at 40, where this frame keeps a
; pointer to its result. Only the arm's test rules that store out.
;
; RUN: %opt-coroptx -passes='function(coroptx-flatten-frames)' -S %s \
; RUN:   -pass-remarks=coroptx-flatten-frames -pass-remarks-missed=coroptx-flatten-frames \
; RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
; RUN: %opt-coroptx -passes='function(coroptx-flatten-frames,sroa,instcombine,simplifycfg)' \
; RUN:   -S %s -o - | FileCheck %s

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

; REMARK: remark: {{.*}}coroutine frames in this function became SSA values
; REMARK-NOT: stay in local memory

; CHECK-LABEL: define ptx_kernel void @destroy_chain(
; CHECK-NOT:     alloca
; CHECK-NOT:     load
; CHECK:         ret void

; CHECK-LABEL: define ptx_kernel void @field_address_before_test(
; CHECK-NOT:     alloca
; CHECK:         store i32 7, ptr %out
; CHECK-NEXT:    ret void

declare void @parent.resume(ptr)
declare void @parent.destroy(ptr)
declare void @child.resume(ptr)
declare void @child.destroy(ptr)

define ptx_kernel void @destroy_chain(ptr %out) {
entry:
  %object = alloca [48 x i8], align 8
  ; The parent's header, its child's at 16, the child's handle at 40.
  store ptr @parent.resume, ptr %object, align 8
  %parent.destroy.slot = getelementptr inbounds i8, ptr %object, i64 8
  store ptr @parent.destroy, ptr %parent.destroy.slot, align 8
  %child = getelementptr inbounds i8, ptr %object, i64 16
  store ptr @child.resume, ptr %child, align 8
  %child.destroy.slot = getelementptr inbounds i8, ptr %object, i64 24
  store ptr @child.destroy, ptr %child.destroy.slot, align 8
  %handle.slot = getelementptr inbounds i8, ptr %object, i64 40
  store ptr %child, ptr %handle.slot, align 8
  %first = load ptr, ptr %parent.destroy.slot, align 8
  br label %walk

walk:
  %destroy = phi ptr [ %first, %entry ], [ %next.destroy, %parent ]
  %frame = phi ptr [ %object, %entry ], [ %next, %parent ]
  %sum = phi i32 [ 0, %entry ], [ %sum.next, %parent ]
  %is.parent = icmp eq ptr %destroy, @parent.destroy
  br i1 %is.parent, label %parent, label %done

parent:
  %half.addr = getelementptr inbounds i8, ptr %frame, i64 24
  %half = load i32, ptr %half.addr, align 8
  %sum.next = add i32 %sum, %half
  %next = getelementptr inbounds i8, ptr %frame, i64 16
  %next.destroy.slot = getelementptr inbounds i8, ptr %frame, i64 24
  %next.destroy = load ptr, ptr %next.destroy.slot, align 8
  br label %walk

done:
  %kept = load ptr, ptr %handle.slot, align 8
  %is.child = icmp eq ptr %kept, %child
  %flag = zext i1 %is.child to i32
  %result = add i32 %sum, %flag
  store i32 %result, ptr %out, align 4
  ret void
}

declare void @worker.resume(ptr)
declare void @other.resume(ptr)

define ptx_kernel void @field_address_before_test(ptr %out) {
entry:
  %object = alloca [48 x i8], align 8
  %result = alloca i32, align 4
  store ptr @worker.resume, ptr %object, align 8
  %result.slot = getelementptr inbounds i8, ptr %object, i64 40
  store ptr %result, ptr %result.slot, align 8
  %resume = load ptr, ptr %object, align 8
  %is.other = icmp eq ptr %resume, @other.resume
  br i1 %is.other, label %other, label %worker

other:
  %child = getelementptr inbounds i8, ptr %object, i64 16
  store ptr %child, ptr %result.slot, align 8
  br label %done

worker:
  %result.address = load ptr, ptr %result.slot, align 8
  store i32 7, ptr %result.address, align 4
  br label %done

done:
  %value = load i32, ptr %result, align 4
  store i32 %value, ptr %out, align 4
  ret void
}
