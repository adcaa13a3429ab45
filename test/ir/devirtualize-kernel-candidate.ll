; Purpose: a kernel whose address is taken must not become a dispatch candidate: device code cannot call a .entry function.

; (Once a bug: the kernel was a candidate, and ptxas stopped with "Illegal
; call target, device function expected".)
; RUN: %opt-coroptx -passes=coroptx-devirtualize -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@table = dso_local addrspace(1) externally_initialized global [2 x ptr] [ptr @_Z4kernPi, ptr @_Z6helperPi], align 8

define dso_local ptx_kernel void @_Z4kernPi(ptr noundef %p) {
  store i32 1, ptr %p, align 4
  ret void
}

define internal void @_Z6helperPi(ptr noundef %p) {
  store i32 2, ptr %p, align 4
  ret void
}

; The only device function of the type is called directly; the kernel is not.
; CHECK-LABEL: define dso_local ptx_kernel void @_Z1kPii(
; CHECK-NOT:     call ptx_kernel
; CHECK:         call void @_Z6helperPi(ptr %p)
; CHECK-NOT:     call ptx_kernel
; CHECK:         ret void
define dso_local ptx_kernel void @_Z1kPii(ptr noundef %p, i32 noundef %i) {
  %idx = sext i32 %i to i64
  %slot = getelementptr inbounds [2 x ptr], ptr addrspace(1) @table, i64 0, i64 %idx
  %fp = load ptr, ptr addrspace(1) %slot, align 8
  call void %fp(ptr noundef %p)
  ret void
}
