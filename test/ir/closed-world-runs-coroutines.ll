; Purpose: ClosedWorldPass marks the functions that run coroutine code with "coroptx.runs-coroutines": a function that calls an llvm.coro intrinsic (here one that resumes a handle it is given) and, through direct calls, every caller up to the kernel. A kernel that runs no coroutine, and a function only called from one, stay unmarked, so the passes that keep to marked functions (UnrollOnce) leave them as clang alone compiles them.
; RUN: %opt-coroptx -passes=coroptx-closed-world -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

declare void @llvm.coro.resume(ptr)

; CHECK: define internal void @resume_twice(ptr %handle) #[[RUNS:[0-9]+]]
define void @resume_twice(ptr %handle) {
  call void @llvm.coro.resume(ptr %handle)
  call void @llvm.coro.resume(ptr %handle)
  ret void
}

; CHECK: define internal void @helper(ptr %handle) #[[RUNS]]
define void @helper(ptr %handle) {
  call void @resume_twice(ptr %handle)
  ret void
}

; CHECK: define ptx_kernel void @kernel_with_coroutines(ptr %handle) #[[RUNS]]
define ptx_kernel void @kernel_with_coroutines(ptr %handle) {
  call void @helper(ptr %handle)
  ret void
}

; CHECK: define internal i32 @plain(i32 %x) {
define i32 @plain(i32 %x) {
  %y = mul i32 %x, 3
  ret i32 %y
}

; CHECK: define ptx_kernel void @kernel_without_coroutines(ptr %out, i32 %x) {
define ptx_kernel void @kernel_without_coroutines(ptr %out, i32 %x) {
  %y = call i32 @plain(i32 %x)
  store i32 %y, ptr %out
  ret void
}

; CHECK: attributes #[[RUNS]] = { "coroptx.runs-coroutines" }
