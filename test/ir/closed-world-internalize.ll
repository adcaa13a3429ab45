; Purpose: coroptx-closed-world gives every defined non-kernel function internal linkage and leaves kernels, declarations and pinned (llvm.used) functions alone.
; RUN: %opt-coroptx -passes=coroptx-closed-world -S %s | FileCheck %s
; The 32-bit NVPTX triple is a device module too.
; RUN: sed -e 's/nvptx64-nvidia-cuda/nvptx-nvidia-cuda/' %s | %opt-coroptx -passes=coroptx-closed-world -S | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; The comdat goes with the only function in it.
; CHECK-NOT: $comdat_fn = comdat

$comdat_fn = comdat any

@llvm.used = appending global [1 x ptr] [ptr @pinned], section "llvm.metadata"
@llvm.compiler.used = appending global [1 x ptr] [ptr @compiler_pinned], section "llvm.metadata"

; CHECK-LABEL: define internal void @linkonce_fn()
define linkonce_odr void @linkonce_fn() {
  ret void
}

; CHECK-LABEL: define internal void @weak_fn()
define weak void @weak_fn() {
  ret void
}

; CHECK-LABEL: define internal void @external_fn()
define void @external_fn() {
  ret void
}

; Visibility and comdat go with the external linkage.
; CHECK-LABEL: define internal void @comdat_fn() {
define linkonce_odr hidden void @comdat_fn() comdat {
  ret void
}

; CHECK-LABEL: define internal void @already_internal()
define internal void @already_internal() {
  ret void
}

; CHECK-LABEL: define private void @private_fn()
define private void @private_fn() {
  ret void
}

; __attribute__((used)) pins a function (llvm.used or llvm.compiler.used):
; it keeps its linkage.
; CHECK-LABEL: define void @pinned()
define void @pinned() {
  ret void
}

; CHECK-LABEL: define linkonce_odr void @compiler_pinned()
define linkonce_odr void @compiler_pinned() {
  ret void
}

; CHECK-LABEL: declare void @declared()
declare void @declared()

; CHECK-LABEL: declare extern_weak void @declared_weak()
declare extern_weak void @declared_weak()

; CHECK-LABEL: define ptx_kernel void @kernel(
define ptx_kernel void @kernel(ptr %p) {
  call void @linkonce_fn()
  call void @weak_fn()
  call void @external_fn()
  call void @comdat_fn()
  call void @already_internal()
  call void @private_fn()
  call void @declared()
  call void @declared_weak()
  ret void
}

; A kernel marked the pre-LLVM-20 way (nvvm.annotations) is upgraded to
; ptx_kernel when the module is read, and stays external.
; CHECK-LABEL: define ptx_kernel void @legacy_kernel()
define void @legacy_kernel() {
  ret void
}

!nvvm.annotations = !{!0}
!0 = !{ptr @legacy_kernel, !"kernel", i32 1}
