; Purpose: coroptx-closed-world turns the libstdc++ noop coroutine frame (coroutine_handle<noop_coroutine_promise>::_S_fr) into an internal constant that is not externally_initialized, so resuming a noop handle folds; other globals keep their shape.
; RUN: %opt-coroptx -passes=coroptx-closed-world -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; The frame leaves its comdat.
; CHECK-NOT: = comdat any
$_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE = comdat any

; CHECK: @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE = internal addrspace(1) constant { ptr, ptr, [8 x i8] } { ptr @[[DUMMY:_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv]], ptr @[[DUMMY]], [8 x i8] undef }, align 8{{$}}
@_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE = linkonce_odr dso_local addrspace(1) externally_initialized global { ptr, ptr, [8 x i8] } { ptr @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv, ptr @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv, [8 x i8] undef }, comdat, align 8

; A user's __device__ variable is host-visible: left as it is.
; CHECK: @counter = dso_local addrspace(1) externally_initialized global i32 0, align 4
@counter = dso_local addrspace(1) externally_initialized global i32 0, align 4

; Another static data member of a coroutine_handle is not the noop frame.
; CHECK: @_ZNSt7__n486116coroutine_handleIvE5_S_frE = dso_local addrspace(1) externally_initialized global ptr null
@_ZNSt7__n486116coroutine_handleIvE5_S_frE = dso_local addrspace(1) externally_initialized global ptr null

; CHECK: @llvm.compiler.used = appending global [1 x ptr] [ptr addrspacecast (ptr addrspace(1) @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE to ptr)]
@llvm.compiler.used = appending global [1 x ptr] [ptr addrspacecast (ptr addrspace(1) @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE to ptr)], section "llvm.metadata"

; The dummy resume/destroy function is internalized like any non-kernel.
; CHECK-LABEL: define internal void @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv()
define linkonce_odr dso_local void @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv() {
  ret void
}

; CHECK-LABEL: define ptx_kernel void @kernel(
define ptx_kernel void @kernel(ptr %out) {
  %n = load i32, ptr addrspace(1) @counter, align 4
  store i32 %n, ptr %out, align 4
  ret void
}
