; Purpose: once nothing in a closed-world device module allocates from the
; heap, coroptx-place-local-frames erases the frees left behind (here an
; untagged operator delete in a resume part, whose tag dead-argument
; elimination dropped): each could only get a frame now on a stack. A module
; that still allocates keeps its frees.
; RUN: rm -rf %t && split-file %s %t
; RUN: %opt-coroptx -passes=coroptx-place-local-frames -S %t/no-allocation.ll | FileCheck %s --check-prefix=ERASED
; RUN: %opt-coroptx -passes=coroptx-place-local-frames -S %t/allocation.ll | FileCheck %s --check-prefix=KEPT

; ERASED-LABEL: define internal fastcc void @_Z4leafv.resume(
; ERASED-NOT: call
; ERASED: ret void
; KEPT-LABEL: define internal fastcc void @_Z4leafv.resume(
; KEPT: call fastcc void @_ZdlPvm(ptr %frame)

;--- no-allocation.ll
target triple = "nvptx64-nvidia-cuda"

define internal fastcc void @_ZdlPvm(ptr %p) {
  ret void
}

define internal fastcc void @_Z4leafv.resume(ptr %frame) {
  call fastcc void @_ZdlPvm(ptr %frame)
  ret void
}

define ptx_kernel void @kernel() {
  %frame = alloca [32 x i8], align 8
  call fastcc void @_Z4leafv.resume(ptr %frame)
  ret void
}

;--- allocation.ll
target triple = "nvptx64-nvidia-cuda"

declare ptr @malloc(i64)

define internal fastcc void @_ZdlPvm(ptr %p) {
  ret void
}

define internal fastcc void @_Z4leafv.resume(ptr %frame) {
  call fastcc void @_ZdlPvm(ptr %frame)
  ret void
}

define ptx_kernel void @kernel() {
  %frame = call ptr @malloc(i64 32)
  call fastcc void @_Z4leafv.resume(ptr %frame)
  ret void
}
