; Purpose: on a non-NVPTX (host, x86_64) module the coroptx passes change nothing: no internalization, no frame tags, no coroutine list, no devirtualization, no verifier error.
; RUN: opt -passes=verify -S %s -o %t.plain.ll
; RUN: %opt-coroptx -passes=coroptx-closed-world -S %s -o %t.cw.ll
; RUN: diff %t.plain.ll %t.cw.ll
; RUN: %opt-coroptx -passes=coroptx-devirtualize -S %s -o %t.devirt.ll
; RUN: diff %t.plain.ll %t.devirt.ll
; RUN: %opt-coroptx -passes=coroptx-closed-world,coroptx-devirtualize,coroptx-verify -S %s 2>&1 | FileCheck %s

target triple = "x86_64-unknown-linux-gnu"

@_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE = linkonce_odr global { ptr, ptr } { ptr @callee, ptr @callee }
; CHECK: @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE = linkonce_odr global

; CHECK-LABEL: define linkonce_odr void @callee(
define linkonce_odr void @callee(ptr %p) {
  ret void
}

; CHECK-LABEL: define void @indirect(
; CHECK-NEXT:    call void %fp(ptr %h)
; CHECK-NEXT:    ret void
define void @indirect(ptr %fp, ptr %h) {
  call void %fp(ptr %h)
  ret void
}

; A survivor tagged as frame allocation is not reported on the host.
; CHECK-LABEL: define void @tagged(
; CHECK-NEXT:    call ptr @_Znwm(i64 8), !coroptx.frame.alloc
define void @tagged() {
  %m = call ptr @_Znwm(i64 8), !coroptx.frame.alloc !0
  ret void
}

; CHECK-LABEL: define void @_Z4corov(
; CHECK:         call ptr @_Znwm(i64 %size){{$}}
define void @_Z4corov(ptr %ret) presplitcoroutine {
entry:
  %id = call token @llvm.coro.id(i32 16, ptr null, ptr null, ptr null)
  %need.alloc = call i1 @llvm.coro.alloc(token %id)
  br i1 %need.alloc, label %alloc, label %begin

alloc:
  %size = call i64 @llvm.coro.size.i64()
  %mem = call ptr @_Znwm(i64 %size)
  br label %begin

begin:
  %frame = phi ptr [ null, %entry ], [ %mem, %alloc ]
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %frame)
  store ptr %hdl, ptr %ret, align 8
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

declare ptr @_Znwm(i64)
declare token @llvm.coro.id(i32, ptr readnone, ptr readonly captures(none), ptr)
declare i1 @llvm.coro.alloc(token)
declare i64 @llvm.coro.size.i64()
declare ptr @llvm.coro.begin(token, ptr writeonly)
declare void @llvm.coro.end(ptr, i1, token)

; CHECK-NOT: error
; CHECK-NOT: !coroptx.coroutines
!0 = !{!"_Z4gonev"}
