; Purpose: coroptx-verify passes a clean device module silently and unchanged (untagged heap calls, direct calls and inline asm are fine); with -pass-remarks=coroptx, coroptx-frame-report names every recorded coroutine, also one inlined away.
; RUN: opt -passes=verify -S %s -o %t.plain.ll
; RUN: %opt-coroptx -passes=coroptx-verify -S %s -o %t.verified.ll 2>&1 | count 0
; RUN: diff %t.plain.ll %t.verified.ll
; RUN: %opt-coroptx -passes=coroptx-frame-report -pass-remarks=coroptx -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK

; One remark per recorded coroutine, whether or not its ramp is still there.
; REMARK: remark: {{.*}}device coroutine 'twice(int)': frame folded away into its callers {{.*}}no heap
; REMARK: remark: {{.*}}device coroutine 'inlined()': frame folded away into its callers {{.*}}no heap
; REMARK-NOT: remark:
; REMARK-NOT: error:

target triple = "nvptx64-nvidia-cuda"

define internal void @_Z5twicei(ptr %ret, i32 %x) {
  %d = shl i32 %x, 1
  store i32 %d, ptr %ret, align 4
  ret void
}

; The user's own malloc is not a coroutine frame.
define internal ptr @_Z6bufferm(i64 %n) {
  %p = call ptr @malloc(i64 %n)
  ret ptr %p
}

define ptx_kernel void @kernel(ptr %out, i32 %x) {
  call void @_Z5twicei(ptr %out, i32 %x)
  %b = call ptr @_Z6bufferm(i64 16)
  call void asm sideeffect "membar.gl;", ""()
  ret void
}

declare ptr @malloc(i64)

!coroptx.coroutines = !{!0, !1}
!0 = !{!"_Z5twicei"}
!1 = !{!"_Z7inlinedv"}
