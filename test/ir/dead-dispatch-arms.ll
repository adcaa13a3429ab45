; Purpose: coroptx-dead-dispatch-arms folds a dispatch's compare against a
; coroutine part whose address no frame holds any more (its only uses are
; compares and direct calls), deletes the arm, and leaves a part whose
; address is still stored (a ramp writes it into a frame) alone.
; RUN: %opt-coroptx -passes=coroptx-dead-dispatch-arms,globaldce -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

declare void @free(ptr)

; The heap-frame destroy part: only the dispatch mentions it.
; CHECK-NOT: define internal fastcc void @_Z4leafv.destroy
define internal fastcc void @_Z4leafv.destroy(ptr %frame) {
  call void @free(ptr %frame)
  ret void
}

; The part placed frames use: a ramp stores its address.
; CHECK: define internal fastcc void @_Z4leafv.cleanup
define internal fastcc void @_Z4leafv.cleanup(ptr %frame) {
  ret void
}

; CHECK-LABEL: define internal void @coroptx.destroy.dispatch(
; CHECK-NOT: @_Z4leafv.destroy
; CHECK: icmp eq ptr %fn, @_Z4leafv.cleanup
; CHECK-NOT: @_Z4leafv.destroy
; CHECK: ret void
define internal void @coroptx.destroy.dispatch(ptr %frame) {
entry:
  %slot = getelementptr inbounds i8, ptr %frame, i64 8
  %fn = load ptr, ptr %slot, align 8
  %is.destroy = icmp eq ptr %fn, @_Z4leafv.destroy
  br i1 %is.destroy, label %destroy, label %next

destroy:
  call fastcc void @_Z4leafv.destroy(ptr %frame)
  br label %done

next:
  %is.cleanup = icmp eq ptr %fn, @_Z4leafv.cleanup
  br i1 %is.cleanup, label %cleanup, label %done

cleanup:
  call fastcc void @_Z4leafv.cleanup(ptr %frame)
  br label %done

done:
  ret void
}

define ptx_kernel void @kernel() {
  %frame = alloca [32 x i8], align 8
  %slot = getelementptr inbounds i8, ptr %frame, i64 8
  store ptr @_Z4leafv.cleanup, ptr %slot, align 8
  call void @coroptx.destroy.dispatch(ptr %frame)
  ret void
}

!coroptx.coroutines = !{!0}
!0 = !{!"_Z4leafv"}
