; Purpose: coroptx-devirtualize expands an indirect void(ptr) call into a compare chain over every address-taken function of a fitting type, with the last candidate reached without a compare and no unreachable default.
; RUN: %opt-coroptx -passes=coroptx-devirtualize -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; Functions whose address is taken, in module order. The resumers array is
; what CoroSplit leaves for a coroutine.
@resumers = internal addrspace(1) constant [2 x ptr] [ptr @f.resume, ptr @f.destroy]
@others = internal addrspace(1) constant [5 x ptr] [ptr @returns_i32, ptr @two_params, ptr @vararg, ptr @takes_i32, ptr @declared]
@llvm.used = appending global [1 x ptr] [ptr @used_only], section "llvm.metadata"

; Candidates: void(ptr), and void() (a prefix of the parameters).
define internal fastcc void @f.resume(ptr %frame) {
  ret void
}

define internal fastcc void @f.destroy(ptr %frame) {
  ret void
}

; libstdc++'s noop coroutine dummy: takes no parameter at all.
define internal void @noop_dummy() {
  ret void
}

; Not candidates: another return type, more parameters than the call passes,
; vararg, another parameter type, no body, address never taken, address
; only in llvm.used.
define internal i32 @returns_i32(ptr %p) {
  ret i32 0
}

define internal void @two_params(ptr %p, ptr %q) {
  ret void
}

define internal void @vararg(ptr %p, ...) {
  ret void
}

define internal void @takes_i32(i32 %x) {
  ret void
}

declare void @declared(ptr)

define internal void @not_taken(ptr %p) {
  ret void
}

define internal void @used_only(ptr %p) {
  ret void
}

; The whole function, block by block: one compare per candidate but the last,
; no default block, no unreachable, and the code after the call in the join.
; CHECK-LABEL: define void @resume(
; CHECK-SAME: ptr [[FP:%.*]], ptr [[H:%.*]]) {
; CHECK-NEXT:    call void @not_taken(ptr [[H]])
; CHECK-NEXT:    [[C1:%.*]] = icmp eq ptr [[FP]], @f.resume
; CHECK-NEXT:    br i1 [[C1]], label %coroptx.call.f.resume, label %[[D1:coroptx.dispatch[0-9]*]]
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.call.f.resume:
; CHECK-NEXT:    call fastcc void @f.resume(ptr [[H]])
; CHECK-NEXT:    br label %coroptx.join
; CHECK-EMPTY:
; CHECK-NEXT:  [[D1]]:
; CHECK-NEXT:    [[C2:%.*]] = icmp eq ptr [[FP]], @f.destroy
; CHECK-NEXT:    br i1 [[C2]], label %coroptx.call.f.destroy, label %[[D2:coroptx.dispatch[0-9]*]]
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.call.f.destroy:
; CHECK-NEXT:    call fastcc void @f.destroy(ptr [[H]])
; CHECK-NEXT:    br label %coroptx.join
; CHECK-EMPTY:
; CHECK-NEXT:  [[D2]]:
; CHECK-NEXT:    br label %coroptx.call.noop_dummy
; CHECK-EMPTY:
; A void() candidate is called without the argument.
; CHECK-NEXT:  coroptx.call.noop_dummy:
; CHECK-NEXT:    [[IS3:%.*]] = icmp eq ptr [[FP]], @noop_dummy
; CHECK-NEXT:    call void @llvm.assume(i1 [[IS3]])
; CHECK-NEXT:    call void @noop_dummy()
; CHECK-NEXT:    br label %coroptx.join
; CHECK-EMPTY:
; CHECK-NEXT:  coroptx.join:
; CHECK-NEXT:    store i32 1, ptr [[H]], align 4
; CHECK-NEXT:    ret void
; CHECK-NEXT:  }
define void @resume(ptr %fp, ptr %h) {
  call void @not_taken(ptr %h)
  call void %fp(ptr %h)
  store i32 1, ptr %h, align 4
  ret void
}

; Every indirect call is expanded, each with its own chain; the calling
; convention of the call site is the candidate's.
; CHECK-LABEL: define void @two_calls(
; CHECK-SAME: ptr [[H:%.*]])
; CHECK:         [[FP1:%.*]] = load ptr, ptr [[H]]
; CHECK-NEXT:    icmp eq ptr [[FP1]], @f.resume
; CHECK:         call fastcc void @f.resume(ptr [[H]])
; CHECK:         icmp eq ptr [[FP1]], @f.destroy
; CHECK:         call fastcc void @f.destroy(ptr [[H]])
; CHECK:         call void @noop_dummy()
; CHECK:         [[FP2:%.*]] = load ptr, ptr [[H]]
; CHECK-NEXT:    icmp eq ptr [[FP2]], @f.resume
; CHECK:         call fastcc void @f.resume(ptr [[H]])
; CHECK:         icmp eq ptr [[FP2]], @f.destroy
; CHECK:         call fastcc void @f.destroy(ptr [[H]])
; CHECK:         call void @noop_dummy()
; CHECK-NOT:   call {{[^@%]*}}%{{[^ ]*}}(
; CHECK:         ret void
; CHECK-NEXT:  }
define void @two_calls(ptr %h) {
  %fp1 = load ptr, ptr %h, align 8
  call fastcc void %fp1(ptr %h)
  %fp2 = load ptr, ptr %h, align 8
  call fastcc void %fp2(ptr %h)
  ret void
}

; CHECK-LABEL: define ptx_kernel void @kernel(
define ptx_kernel void @kernel(ptr %fp, ptr %h) {
  call void @resume(ptr %fp, ptr %h)
  call void @two_calls(ptr %h)
  store ptr @noop_dummy, ptr %h, align 8
  ret void
}
