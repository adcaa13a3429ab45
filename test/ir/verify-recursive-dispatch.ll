; Purpose: coroptx-verify warns at a kernel sure to overflow its stack: it
; reaches a shared dispatcher that reaches itself (here holder's destroy
; part, inlined into the destroy dispatcher, destroys the frame it owns
; through that dispatcher), so ptxas cannot size the stack and the kernel
; gets the 1024-byte default, and its own allocas already take 1024 bytes.
; The warning names the coroutine the guarding comparison names, comes once
; per module, at the kernel with the largest stack, and counts the others. A
; kernel with a smaller stack, and a dispatcher that never comes back to
; itself, stay quiet.
; RUN: rm -rf %t && split-file %s %t
; RUN: %opt-coroptx -passes=coroptx-verify -disable-output %t/recursive.ll 2>&1 | FileCheck %s --check-prefix=WARN
; RUN: %opt-coroptx -passes=coroptx-verify -disable-output %t/flat.ll 2>&1 | count 0

; WARN: warning: {{.*}}in function bigger_kernel void (ptr): coroptx: kernel 'bigger_kernel' keeps 2048 bytes of frames and locals in its stack and reaches the recursive coroutine dispatcher 'coroptx.destroy.dispatch' (a frame of 'holder()' destroys another coroutine from inside its destruction), as does one other kernel of this module, so ptxas cannot size the stack and the kernel runs with cudaLimitStackSize (1024 bytes per thread unless raised), which it overflows; end the other coroutine outside that call, or raise cudaLimitStackSize with cudaDeviceSetLimit
; WARN-NOT: warning:

;--- recursive.ll
target triple = "nvptx64-nvidia-cuda"

define internal fastcc void @_Z6holderv.destroy(ptr %frame) {
  ret void
}

define internal fastcc void @_Z4leafv.destroy(ptr %frame) {
  ret void
}

define internal void @coroptx.destroy.dispatch(ptr %frame) {
entry:
  %slot = getelementptr inbounds i8, ptr %frame, i64 8
  %fn = load ptr, ptr %slot, align 8
  %is.holder = icmp eq ptr %fn, @_Z6holderv.destroy
  br i1 %is.holder, label %holder, label %other

holder:                                   ; holder.destroy, inlined
  %owned.slot = getelementptr inbounds i8, ptr %frame, i64 16
  %owned = load ptr, ptr %owned.slot, align 8
  call void @coroptx.destroy.dispatch(ptr %owned)
  br label %done

other:
  %is.leaf = icmp eq ptr %fn, @_Z4leafv.destroy
  br i1 %is.leaf, label %done, label %done

done:
  ret void
}

define ptx_kernel void @big_kernel(ptr %h) {
  %frames = alloca [1000 x i8], align 8
  %locals = alloca [3 x i64], align 8
  call void @coroptx.destroy.dispatch(ptr %h)
  ret void
}

define ptx_kernel void @bigger_kernel(ptr %h) {
  %frames = alloca [2048 x i8], align 8
  call void @coroptx.destroy.dispatch(ptr %h)
  ret void
}

define ptx_kernel void @small_kernel(ptr %h) {
  %frames = alloca [1016 x i8], align 8
  call void @coroptx.destroy.dispatch(ptr %h)
  ret void
}

!coroptx.coroutines = !{!0, !1}
!0 = !{!"_Z6holderv"}
!1 = !{!"_Z4leafv"}

;--- flat.ll
target triple = "nvptx64-nvidia-cuda"

define internal fastcc void @_Z4leafv.destroy(ptr %frame) {
  ret void
}

define internal void @coroptx.destroy.dispatch(ptr %frame) {
entry:
  %slot = getelementptr inbounds i8, ptr %frame, i64 8
  %fn = load ptr, ptr %slot, align 8
  %is.leaf = icmp eq ptr %fn, @_Z4leafv.destroy
  br i1 %is.leaf, label %leaf, label %done

leaf:
  call fastcc void @_Z4leafv.destroy(ptr %frame)
  br label %done

done:
  ret void
}

define ptx_kernel void @kernel(ptr %h) {
  %frames = alloca [4096 x i8], align 8
  call void @coroptx.destroy.dispatch(ptr %h)
  ret void
}

!coroptx.coroutines = !{!0}
!0 = !{!"_Z4leafv"}
