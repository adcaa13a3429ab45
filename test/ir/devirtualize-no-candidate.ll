; Purpose: coroptx-devirtualize leaves an indirect call with no fitting address-taken function as it is (the verifier then reports it), and never touches inline asm.
; RUN: %opt-coroptx -passes=coroptx-devirtualize -S %s | FileCheck %s
; RUN: not %opt-coroptx -passes=coroptx-devirtualize,coroptx-verify -disable-output %s 2>&1 | FileCheck %s --check-prefix=ERR

target triple = "nvptx64-nvidia-cuda"

; The only address-taken function takes a ptr, not an i64.
@slot = internal addrspace(1) global ptr @takes_ptr

define internal void @takes_ptr(ptr %p) {
  ret void
}

; CHECK-LABEL: define void @no_candidate(
; CHECK-SAME: ptr [[FP:%.*]], i64 [[X:%.*]]) {
; CHECK-NEXT:    call void [[FP]](i64 [[X]])
; CHECK-NEXT:    ret void
; CHECK-NEXT:  }
define void @no_candidate(ptr %fp, i64 %x) {
  call void %fp(i64 %x)
  ret void
}

; CHECK-LABEL: define void @asm(
; CHECK-NEXT:    call void asm sideeffect "exit;", ""()
; CHECK-NEXT:    ret void
; CHECK-NEXT:  }
define void @asm() {
  call void asm sideeffect "exit;", ""()
  ret void
}

; CHECK-NOT: coroptx.

; ERR: error: {{.*}}in function no_candidate void (ptr, i64): coroptx: an indirect call remains in device function 'no_candidate': it could not be devirtualized (no device function of its type has its address taken, or the module is compiled with -fgpu-rdc and is not a closed world)
