; Purpose: coroptx-verify reports an indirect call left in device code as an error, at the owning coroutine when the call sits in one of its split parts; -coroptx-verify=false silences it.
; RUN: rm -rf %t && split-file %s %t
; RUN: not %opt-coroptx -passes=coroptx-verify -disable-output %t/plain.ll 2>&1 | FileCheck %s --check-prefix=PLAIN
; RUN: not %opt-coroptx -passes=coroptx-verify -disable-output %t/resume.ll 2>&1 | FileCheck %s --check-prefix=RESUME
; RUN: %opt-coroptx -passes=coroptx-verify -coroptx-verify=false -disable-output %t/plain.ll 2>&1 | count 0
; RUN: %opt-coroptx -passes=coroptx-verify -coroptx-verify=false -S %t/resume.ll | FileCheck %s --check-prefix=OFF

; PLAIN: error: {{.*}}in function _Z5applyPFviEi void (ptr, i32): coroptx: an indirect call remains in device function 'apply(void (*)(int), int)': it could not be devirtualized (no device function of its type has its address taken, or the module is compiled with -fgpu-rdc and is not a closed world)
; PLAIN-NOT: error:

; The call is in gen()'s resume part; the error is attached to the ramp.
; RESUME: error: {{.*}}in function _Z3genv void (ptr): coroptx: an indirect call remains in device function 'gen() (.resume)'
; RESUME-NOT: error:

; OFF-LABEL: define internal fastcc void @_Z3genv.resume(
; OFF-NEXT:    [[FN:%.*]] = load ptr, ptr %frame
; OFF-NEXT:    call fastcc void [[FN]](ptr %frame)

;--- plain.ll
target triple = "nvptx64-nvidia-cuda"

define void @_Z5applyPFviEi(ptr %fn, i32 %x) {
  call void %fn(i32 %x)
  ret void
}

;--- resume.ll
target triple = "nvptx64-nvidia-cuda"

define internal void @_Z3genv(ptr %ret) {
  ret void
}

define internal fastcc void @_Z3genv.resume(ptr %frame) {
  %fn = load ptr, ptr %frame, align 8
  call fastcc void %fn(ptr %frame)
  ret void
}

define ptx_kernel void @kernel(ptr %h) {
  call void @_Z3genv(ptr %h)
  call fastcc void @_Z3genv.resume(ptr %h)
  ret void
}

!coroptx.coroutines = !{!0}
!0 = !{!"_Z3genv"}
