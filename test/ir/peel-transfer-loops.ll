; Purpose: coroptx-peel-transfer-loops peels the first trips of a transfer
; loop (a loop that dispatches on the resume slot of the handle it merges),
; after sending the arms that end the resume (a null handle) straight to the
; exit. With the trips peeled, GVN forwards what one trip stored to the next
; trip's loads: the child's resume part and argument, the parent's part and
; the child's result. The awaiting worker then stores `k * 3` without a load
; or a dispatch compare on the way; a chain longer than the peeled trips
; would go on in the loop. A path on which forwarding would load a resume
; slot from a function's address ends instead.
; RUN: %opt-coroptx -S %s -passes='function(coroptx-peel-transfer-loops)' \
; RUN:   | FileCheck %s
; RUN: %opt-coroptx -S %s -passes='function(gvn,instcombine,simplifycfg)' \
; RUN:   | FileCheck %s --check-prefix=UNPEELED

target triple = "nvptx64-nvidia-cuda"

define internal void @worker.resume(ptr %frame) {
  ret void
}
define internal void @child.resume(ptr %frame) {
  ret void
}

; A worker's frame (48 bytes): its resume slot, its state at 8, and the
; frame of the child it awaits at 16: the child's resume slot, its
; continuation at 24 and its argument, then result, at 32.
; Here every chain is those three trips, so the loop itself goes too.
; CHECK-LABEL: define ptx_kernel void @worker_awaits_child(
; CHECK-NOT: load
; CHECK-NOT: icmp eq ptr
; CHECK: [[RESULT:%.*]] = mul i32 %k, 3
; CHECK-NOT: load
; CHECK-NOT: icmp eq ptr
; CHECK: store i32 [[RESULT]], ptr %out
; CHECK-NOT: load
; CHECK-NOT: icmp eq ptr
; CHECK: ret void
; Without the peeling the same simplification keeps the loop and its loads.
; UNPEELED-LABEL: define ptx_kernel void @worker_awaits_child(
; UNPEELED: icmp eq ptr {{.*}}, @child.resume
; UNPEELED: load i32
define ptx_kernel void @worker_awaits_child(ptr %out, i32 %k, i1 %finished) {
entry:
  %frames = alloca [4 x [48 x i8]], align 8
  %frame = getelementptr [48 x i8], ptr %frames, i32 %k
  store ptr @worker.resume, ptr %frame, align 8
  br i1 %finished, label %finish, label %await

finish:
  store ptr null, ptr %frame, align 8
  br label %first

await:
  %child = getelementptr i8, ptr %frame, i64 16
  store ptr @child.resume, ptr %child, align 8
  %continuation = getelementptr i8, ptr %frame, i64 24
  store ptr %frame, ptr %continuation, align 8
  %argument = getelementptr i8, ptr %frame, i64 32
  store i32 %k, ptr %argument, align 4
  %state = getelementptr i8, ptr %frame, i64 8
  store i32 1, ptr %state, align 4
  br label %first

first:
  %first.handle = phi ptr [ %child, %await ], [ null, %finish ]
  %nothing = icmp eq ptr %first.handle, null
  br i1 %nothing, label %exit, label %transfer

transfer:
  %handle = phi ptr [ %first.handle, %first ], [ %next, %latch ]
  %part = load ptr, ptr %handle, align 8
  %is.child = icmp eq ptr %part, @child.resume
  br i1 %is.child, label %child.part, label %not.child

child.part:
  %child.argument = getelementptr i8, ptr %handle, i64 16
  %a = load i32, ptr %child.argument, align 4
  %r = mul i32 %a, 3
  store i32 %r, ptr %child.argument, align 4
  store ptr null, ptr %handle, align 8
  %parent.slot = getelementptr i8, ptr %handle, i64 8
  %parent = load ptr, ptr %parent.slot, align 8
  br label %latch

not.child:
  %is.worker = icmp eq ptr %part, @worker.resume
  br i1 %is.worker, label %worker.part, label %latch

worker.part:
  %result.slot = getelementptr i8, ptr %handle, i64 32
  %result = load i32, ptr %result.slot, align 4
  store i32 %result, ptr %out, align 4
  %worker.state = getelementptr i8, ptr %handle, i64 8
  store i32 2, ptr %worker.state, align 4
  br label %latch

latch:
  %next = phi ptr [ %parent, %child.part ], [ null, %not.child ], [ null, %worker.part ]
  %done = icmp eq ptr %next, null
  br i1 %done, label %exit, label %transfer

exit:
  ret void
}

; A continuation slot that holds a function's address where a handle
; belongs: forwarded, the second trip would load a resume slot from code,
; which no NVPTX program can do (ptxas rejects the load), so the path that
; would do it ends, and with it the await.
; CHECK-LABEL: define ptx_kernel void @continuation_is_code(
; CHECK-NOT: load ptr, ptr @
; CHECK: ret void
define ptx_kernel void @continuation_is_code(ptr %out, i32 %k, i1 %finished) {
entry:
  %frames = alloca [4 x [48 x i8]], align 8
  %frame = getelementptr [48 x i8], ptr %frames, i32 %k
  store ptr @worker.resume, ptr %frame, align 8
  br i1 %finished, label %finish, label %await

finish:
  store ptr null, ptr %frame, align 8
  br label %first

await:
  %child = getelementptr i8, ptr %frame, i64 16
  store ptr @child.resume, ptr %child, align 8
  %continuation = getelementptr i8, ptr %frame, i64 24
  store ptr @worker.resume, ptr %continuation, align 8
  br label %first

first:
  %first.handle = phi ptr [ %child, %await ], [ null, %finish ]
  %nothing = icmp eq ptr %first.handle, null
  br i1 %nothing, label %exit, label %transfer

transfer:
  %handle = phi ptr [ %first.handle, %first ], [ %next, %latch ]
  %part = load ptr, ptr %handle, align 8
  %is.child = icmp eq ptr %part, @child.resume
  br i1 %is.child, label %child.part, label %not.child

child.part:
  store ptr null, ptr %handle, align 8
  %parent.slot = getelementptr i8, ptr %handle, i64 8
  %parent = load ptr, ptr %parent.slot, align 8
  br label %latch

not.child:
  %is.worker = icmp eq ptr %part, @worker.resume
  br i1 %is.worker, label %worker.part, label %latch

worker.part:
  store i32 1, ptr %out, align 4
  br label %latch

latch:
  %next = phi ptr [ %parent, %child.part ], [ null, %not.child ], [ null, %worker.part ]
  %done = icmp eq ptr %next, null
  br i1 %done, label %exit, label %transfer

exit:
  ret void
}

; Flattened frames: the loop dispatches on the code of the frame it resumes,
; and each trip leaves a constant code (1: the worker, 2: the child).
; dfa-jump-threading leaves a dispatch that is a branch on one code. The
; worker's part has named the child; the child computes the result and
; names the worker, which reads it and suspends. Peeled, the trips are
; entered with known codes, and the merge that ends each trip is threaded:
; the result is the child's product, and the loop is gone.
; CHECK-LABEL: define ptx_kernel void @flattened_worker_awaits_child(
; CHECK-NOT:     icmp eq i32 %{{.*}}, 1
; CHECK:         %value{{.*}} = mul i32 %seed, 3
; CHECK-NOT:     icmp eq i32 %{{.*}}, 1
; CHECK:         ret void
; Without the peeling the dispatch on the code stays.
; UNPEELED-LABEL: define ptx_kernel void @flattened_worker_awaits_child(
; UNPEELED:         icmp eq i32 %code, 1
define ptx_kernel void @flattened_worker_awaits_child(ptr %out, i32 %seed, i2 %state) {
entry:
  switch i2 %state, label %finish [
    i2 0, label %await
  ]

await:
  br label %part.end

finish:
  br label %part.end

part.end:
  %argument = phi i32 [ %seed, %await ], [ 0, %finish ]
  %index = phi i2 [ 1, %await ], [ -2, %finish ]
  %over = phi i1 [ false, %await ], [ true, %finish ]
  %first = phi i32 [ 2, %await ], [ 0, %finish ]
  br i1 %over, label %exit, label %dispatch

dispatch:
  %code = phi i32 [ %first, %part.end ], [ %next, %trip.end ]
  %child.argument = phi i32 [ %argument, %part.end ], [ %child.argument.next, %trip.end ]
  %result = phi i32 [ 0, %part.end ], [ %result.next, %trip.end ]
  %suspend.index = phi i2 [ %index, %part.end ], [ %suspend.index.next, %trip.end ]
  %is.worker = icmp eq i32 %code, 1
  br i1 %is.worker, label %worker, label %child

child:
  %value = mul i32 %child.argument, 3
  br label %trip.end

worker:
  switch i2 %suspend.index, label %worker.awaits [
    i2 1, label %worker.reads
  ]

worker.reads:
  br label %trip.end

worker.awaits:
  br label %trip.end

trip.end:
  %next = phi i32 [ 1, %child ], [ 0, %worker.reads ], [ 2, %worker.awaits ]
  %result.next = phi i32 [ %value, %child ], [ %result, %worker.reads ], [ %result, %worker.awaits ]
  %child.argument.next = phi i32 [ %child.argument, %child ], [ %child.argument, %worker.reads ], [ %result, %worker.awaits ]
  %suspend.index.next = phi i2 [ %suspend.index, %child ], [ -2, %worker.reads ], [ 1, %worker.awaits ]
  %over.next = phi i1 [ false, %child ], [ true, %worker.reads ], [ false, %worker.awaits ]
  br i1 %over.next, label %exit, label %dispatch

exit:
  %stored = phi i32 [ 0, %part.end ], [ %result.next, %trip.end ]
  store i32 %stored, ptr %out
  ret void
}

!coroptx.coroutines = !{!0, !1}
!0 = !{!"worker"}
!1 = !{!"child"}
