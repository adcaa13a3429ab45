; Purpose: coroptx-in-place-arguments passes a by-value C++ object that the
; caller destroys (a destructor call on the temporary after the call) in
; place, as the Itanium ABI does, instead of clang 22's NVPTX byval copy, at
; the function and at every call. An object nobody destroys (trivially
; destructible) stays byval, so does a kernel parameter, and so does a
; function whose address is taken (not every call can be changed). A
; coroutine taking an object whose destructor destroys a coroutine (a task
; awaited inside another) keeps byval for now; one taking another object
; gets it in place.
; RUN: %opt-coroptx -passes=coroptx-in-place-arguments -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

%class.owner = type { ptr }
%struct.pair = type { i32, i32 }

declare void @_ZN5ownerD1Ev(ptr)

%class.task = type { ptr }

define linkonce_odr void @_ZN4taskD1Ev(ptr %this) {
  %h = load ptr, ptr %this, align 8
  call void @llvm.coro.destroy(ptr %h)
  ret void
}

declare void @llvm.coro.destroy(ptr)

; CHECK-LABEL: define internal void @_Z5awaits4task(ptr byval(%class.task) align 8 %t)
define internal void @_Z5awaits4task(ptr byval(%class.task) align 8 %t) presplitcoroutine {
  ret void
}

; CHECK-LABEL: define internal void @_Z4holds5owner(ptr align 8 %o)
define internal void @_Z4holds5owner(ptr byval(%class.owner) align 8 %o) presplitcoroutine {
  ret void
}

; CHECK-LABEL: define internal void @_Z4take5owner(ptr align 8 %o)
define internal void @_Z4take5owner(ptr byval(%class.owner) align 8 %o) {
  store ptr null, ptr %o, align 8 ; moves out of its parameter
  ret void
}

; CHECK-LABEL: define internal void @_Z3sum4pair(ptr byval(%struct.pair) align 4 %p)
define internal void @_Z3sum4pair(ptr byval(%struct.pair) align 4 %p) {
  ret void
}

; CHECK-LABEL: define internal void @_Z7escapes5owner(ptr byval(%class.owner) align 8 %o)
define internal void @_Z7escapes5owner(ptr byval(%class.owner) align 8 %o) {
  ret void
}

@table = internal global ptr @_Z7escapes5owner

; CHECK-LABEL: define ptx_kernel void @kernel(ptr byval(%class.owner) align 8 %k, ptr %q)
define ptx_kernel void @kernel(ptr byval(%class.owner) align 8 %k, ptr %q) {
  %tmp = alloca %class.owner, align 8
  %tmp2 = alloca %class.owner, align 8
  %pair = alloca %struct.pair, align 4
  store ptr %q, ptr %tmp, align 8
; CHECK: call void @_Z4take5owner(ptr align 8 %tmp)
  call void @_Z4take5owner(ptr byval(%class.owner) align 8 %tmp)
  call void @_ZN5ownerD1Ev(ptr %tmp)
; CHECK: call void @_Z4take5owner(ptr align 8 %tmp2)
  call void @_Z4take5owner(ptr byval(%class.owner) align 8 %tmp2)
  call void @_ZN5ownerD1Ev(ptr %tmp2)
; CHECK: call void @_Z3sum4pair(ptr byval(%struct.pair) align 4 %pair)
  call void @_Z3sum4pair(ptr byval(%struct.pair) align 4 %pair)
; CHECK: call void @_Z7escapes5owner(ptr byval(%class.owner) align 8 %tmp)
  call void @_Z7escapes5owner(ptr byval(%class.owner) align 8 %tmp)
  call void @_ZN5ownerD1Ev(ptr %tmp)
  %child = alloca %class.task, align 8
; CHECK: call void @_Z5awaits4task(ptr byval(%class.task) align 8 %child)
  call void @_Z5awaits4task(ptr byval(%class.task) align 8 %child)
  call void @_ZN4taskD1Ev(ptr %child)
; CHECK: call void @_Z4holds5owner(ptr align 8 %tmp2)
  call void @_Z4holds5owner(ptr byval(%class.owner) align 8 %tmp2)
  call void @_ZN5ownerD1Ev(ptr %tmp2)
  ret void
}
