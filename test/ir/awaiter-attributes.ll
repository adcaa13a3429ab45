; Purpose: coroptx-awaiter-attributes copies the await_suspend wrapper's readonly captures(none) awaiter parameter onto the llvm.coro.await.suspend.* call (only in presplit coroutines, only what the wrapper has), so GVN can forward a handle held in the awaiter across the suspension.
; RUN: %opt-coroptx -passes=coroptx-awaiter-attributes -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define void @awaits_reader(
; CHECK: call void @llvm.coro.await.suspend.void(ptr readonly captures(none) %awaiter, ptr %frame, ptr @reads_awaiter)
; CHECK-LABEL: define void @awaits_writer(
; CHECK: call void @llvm.coro.await.suspend.void(ptr %awaiter, ptr %frame, ptr @writes_awaiter)
; CHECK-LABEL: define void @not_a_coroutine(
; CHECK: call void @llvm.coro.await.suspend.void(ptr %awaiter, ptr %frame, ptr @reads_awaiter)

define internal void @reads_awaiter(ptr readonly captures(none) %awaiter, ptr %frame) {
  %handle = load ptr, ptr %awaiter
  store ptr %frame, ptr %handle
  ret void
}

define internal void @writes_awaiter(ptr captures(none) %awaiter, ptr %frame) {
  store ptr %frame, ptr %awaiter
  ret void
}

define void @awaits_reader(ptr %awaiter, ptr %frame) presplitcoroutine {
  call void @llvm.coro.await.suspend.void(ptr %awaiter, ptr %frame, ptr @reads_awaiter)
  ret void
}

define void @awaits_writer(ptr %awaiter, ptr %frame) presplitcoroutine {
  call void @llvm.coro.await.suspend.void(ptr %awaiter, ptr %frame, ptr @writes_awaiter)
  ret void
}

define void @not_a_coroutine(ptr %awaiter, ptr %frame) {
  call void @llvm.coro.await.suspend.void(ptr %awaiter, ptr %frame, ptr @reads_awaiter)
  ret void
}

declare void @llvm.coro.await.suspend.void(ptr, ptr, ptr)
