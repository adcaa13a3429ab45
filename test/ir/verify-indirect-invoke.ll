; Purpose: an indirect call through invoke is reported like any indirect call (coroptx does not devirtualize invokes: device code has no exceptions).
; RUN: not %opt-coroptx -passes='default<O2>' -disable-output %s 2>&1 | FileCheck %s
; CHECK: error: {{.*}}coroptx: an indirect call remains in device function 'caller'
target triple = "nvptx64-nvidia-cuda"

@slot = global ptr @target
@llvm.used = appending global [1 x ptr] [ptr @caller], section "llvm.metadata"

declare i32 @__gxx_personality_v0(...)

declare void @ext(ptr)

define void @target(ptr %p) {
  call void @ext(ptr %p)
  ret void
}

define void @caller() personality ptr @__gxx_personality_v0 {
entry:
  %fn = load volatile ptr, ptr @slot
  invoke void %fn(ptr null) to label %ok unwind label %lpad
ok:
  ret void
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  call void @ext(ptr null)
  resume { ptr, i32 } %lp
}
