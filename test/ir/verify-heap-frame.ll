; Purpose: coroptx-verify reports a surviving call tagged !coroptx.frame.alloc or !coroptx.frame.free as an error naming the coroutine (demangled) whose frame would be on the heap; -coroptx-verify=false silences it.
; RUN: rm -rf %t && split-file %s %t
; RUN: not %opt-coroptx -passes=coroptx-verify -disable-output %t/alloc.ll 2>&1 | FileCheck %s --check-prefix=ALLOC
; RUN: not %opt-coroptx -passes=coroptx-verify -disable-output %t/free.ll 2>&1 | FileCheck %s --check-prefix=FREE
; RUN: not %opt-coroptx -passes=coroptx-verify -disable-output %t/ramp-gone.ll 2>&1 | FileCheck %s --check-prefix=GONE
; RUN: %opt-coroptx -passes=coroptx-verify -coroptx-verify=false -S %t/alloc.ll 2>&1 | FileCheck %s --check-prefix=OFF
; RUN: %opt-coroptx -passes=coroptx-verify -coroptx-verify=false -disable-output %t/free.ll 2>&1 | count 0
; RUN: %opt-coroptx -passes=coroptx-verify -coroptx-verify=false -disable-output %t/ramp-gone.ll 2>&1 | count 0

; The error is attached to the ramp, so clang shows it at the coroutine.
; ALLOC: error: {{.*}}in function _Z5counti void (ptr, i32): coroptx: the frame of device coroutine 'count(int)' would be allocated on the heap: its handle outlives the function that starts it, or its caller could not be seen, so the frame cannot be placed in the caller's frame; keep the coroutine's handle inside the function that creates it (for example co_await it or pass it to block_on), or give its promise_type an operator new
; ALLOC-NOT: error:

; A free left in a split part names the coroutine too.
; FREE: error: {{.*}}in function _ZN6Worker3runEv void (ptr): coroptx: the frame of device coroutine 'Worker::run()' would be allocated on the heap
; FREE-NOT: error:

; The ramp was inlined and deleted: the error still names the coroutine
; (through a declaration made for the purpose).
; GONE: error: {{.*}}in function _Z4gonei void (): coroptx: the frame of device coroutine 'gone(int)' would be allocated on the heap
; GONE-NOT: error:

; Turned off, the IR is left for inspection, tags included.
; OFF-NOT: error
; OFF: call ptr @_Znwm(i64 32) #{{[0-9]+}}, !coroptx.frame.alloc ![[OWNER:[0-9]+]]
; OFF: ![[OWNER]] = !{!"_Z5counti"}

;--- alloc.ll
target triple = "nvptx64-nvidia-cuda"

define internal void @_Z5counti(ptr %ret, i32 %n) {
  %frame = call ptr @_Znwm(i64 32) #0, !coroptx.frame.alloc !0
  store ptr %frame, ptr %ret, align 8
  ret void
}

define ptx_kernel void @kernel(ptr %out) {
  call void @_Z5counti(ptr %out, i32 1)
  ret void
}

declare ptr @_Znwm(i64)

attributes #0 = { noinline }

!coroptx.coroutines = !{!0}
!0 = !{!"_Z5counti"}

;--- free.ll
target triple = "nvptx64-nvidia-cuda"

define internal void @_ZN6Worker3runEv(ptr %this) {
  ret void
}

define internal fastcc void @_ZN6Worker3runEv.destroy(ptr %frame) {
  call void @_ZdlPvm(ptr %frame, i64 32) #0, !coroptx.frame.free !0
  ret void
}

define ptx_kernel void @kernel(ptr %w) {
  call void @_ZN6Worker3runEv(ptr %w)
  call fastcc void @_ZN6Worker3runEv.destroy(ptr %w)
  ret void
}

declare void @_ZdlPvm(ptr, i64)

attributes #0 = { noinline }

!coroptx.coroutines = !{!0}
!0 = !{!"_ZN6Worker3runEv"}

;--- ramp-gone.ll
target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @kernel(ptr %out) {
  %frame = call ptr @_Znwm(i64 32) #0, !coroptx.frame.alloc !0
  store ptr %frame, ptr %out, align 8
  ret void
}

declare ptr @_Znwm(i64)

attributes #0 = { noinline }

!coroptx.coroutines = !{!0}
!0 = !{!"_Z4gonei"}
