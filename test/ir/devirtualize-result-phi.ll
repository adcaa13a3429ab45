; Purpose: coroptx-devirtualize gives a non-void indirect call a phi of the direct calls' results in the join block; a single candidate is called with no compare at all.
; RUN: %opt-coroptx -passes=coroptx-devirtualize -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@i32_table = internal addrspace(1) constant [5 x ptr] [ptr @two, ptr @wide, ptr @one, ptr @none, ptr @void_fn]
@float_table = internal addrspace(1) constant [1 x ptr] [ptr @only]

; Candidates for i32(ptr, i32): @two, @one (prefix), @none (empty prefix).
define internal i32 @two(ptr %p, i32 %x) {
  ret i32 %x
}

; Not candidates: i64 and void returns.
define internal i64 @wide(ptr %p, i32 %x) {
  ret i64 0
}

define internal i32 @one(ptr %p) {
  ret i32 1
}

define internal i32 @none() {
  ret i32 0
}

define internal void @void_fn(ptr %p, i32 %x) {
  ret void
}

define internal float @only(float %f) {
  ret float %f
}

; CHECK-LABEL: define i32 @get(
; CHECK-SAME: ptr [[FP:%.*]], ptr [[P:%.*]], i32 [[X:%.*]]) {
; CHECK-NEXT:  entry:
; CHECK-NEXT:    [[C1:%.*]] = icmp eq ptr [[FP]], @two
; CHECK-NEXT:    br i1 [[C1]], label %coroptx.call.two, label %[[D1:coroptx.dispatch[0-9]*]]
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.call.two:
; CHECK-NEXT:    [[R1:%.*]] = call i32 @two(ptr [[P]], i32 [[X]])
; CHECK-NEXT:    br label %coroptx.join
; CHECK-EMPTY:
; CHECK-NEXT:  [[D1]]:
; CHECK-NEXT:    [[C2:%.*]] = icmp eq ptr [[FP]], @one
; CHECK-NEXT:    br i1 [[C2]], label %coroptx.call.one, label %[[D2:coroptx.dispatch[0-9]*]]
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.call.one:
; CHECK-NEXT:    [[R2:%.*]] = call i32 @one(ptr [[P]])
; CHECK-NEXT:    br label %coroptx.join
; CHECK-EMPTY:
; CHECK-NEXT:  [[D2]]:
; CHECK-NEXT:    br label %coroptx.call.none
; CHECK-EMPTY:
; The last arm has no compare, but states its callee for later analyses.
; CHECK-NEXT:  coroptx.call.none:
; CHECK-NEXT:    [[IS3:%.*]] = icmp eq ptr [[FP]], @none
; CHECK-NEXT:    call void @llvm.assume(i1 [[IS3]])
; CHECK-NEXT:    [[R3:%.*]] = call i32 @none()
; CHECK-NEXT:    br label %coroptx.join
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.join:
; CHECK-NEXT:    [[R:%.*]] = phi i32 [ [[R1]], %coroptx.call.two ], [ [[R2]], %coroptx.call.one ], [ [[R3]], %coroptx.call.none ]
; CHECK-NEXT:    [[SUM:%.*]] = add i32 [[R]], 1
; CHECK-NEXT:    ret i32 [[SUM]]
; CHECK-NEXT:  }
define i32 @get(ptr %fp, ptr %p, i32 %x) {
entry:
  %r = call i32 %fp(ptr %p, i32 %x)
  %sum = add i32 %r, 1
  ret i32 %sum
}

; One candidate: a branch straight to its call, no compare.
; CHECK-LABEL: define float @get_float(
; CHECK-SAME: ptr [[FP:%.*]], float [[F:%.*]]) {
; CHECK-NEXT:  entry:
; CHECK-NEXT:    br label %coroptx.call.only
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.call.only:
; CHECK-NEXT:    [[R:%.*]] = call float @only(float [[F]])
; CHECK-NEXT:    br label %coroptx.join
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.join:
; CHECK-NEXT:    [[PHI:%.*]] = phi float [ [[R]], %coroptx.call.only ]
; CHECK-NEXT:    ret float [[PHI]]
; CHECK-NEXT:  }
define float @get_float(ptr %fp, float %f) {
entry:
  %r = call float %fp(float %f)
  ret float %r
}

; The result feeding a phi in a successor: the successor's phi now names the
; join block.
; CHECK-LABEL: define i32 @in_branch(
; CHECK:       coroptx.join:
; CHECK-NEXT:    [[R:%.*]] = phi i32
; CHECK-NEXT:    br label %merge
; CHECK:       merge:
; CHECK-NEXT:    phi i32 [ [[R]], %coroptx.join ], [ 0, %entry ]
define i32 @in_branch(ptr %fp, ptr %p, i1 %c) {
entry:
  br i1 %c, label %call, label %merge

call:
  %r = call i32 %fp(ptr %p, i32 7)
  br label %merge

merge:
  %v = phi i32 [ %r, %call ], [ 0, %entry ]
  ret i32 %v
}
