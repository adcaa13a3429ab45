; Purpose: coroptx-unroll-coroutine-arrays marks for full unrolling (the
; metadata `#pragma unroll` gives) a loop of at most 16 trips that resumes,
; destroys or starts coroutines whose handles sit in a local array at the
; loop's index, when every access to that array is at a constant offset or
; moves with such a loop. Unrolled, each frame is at a constant offset and
; can flatten. A loop over 32 handles, an array of structs that are more
; than a handle, an array also indexed by a modulo, and a loop with the
; programmer's own unroll pragma are left as they are, and so is a body that
; would be too big once copied for every trip. A loop that starts coroutines
; whose frames go into one local object, at an address picked on each trip
; (a spawn loop of an executor that is a local), is marked too, with an
; attribute that lets coroptx-confirm-spawn-loop-unrolling check its size
; later: before CoroSplit (llvm.coro.begin) or after, with the ramp inlined
; (the store of its resume part). An awaited child's frame, at the same
; address on every trip, is not a reason to unroll.
; RUN: %opt-coroptx -S %s -passes='loop(coroptx-unroll-coroutine-arrays)' \
; RUN:   -pass-remarks=coroptx-unroll-coroutine-arrays 2> %t.remarks \
; RUN:   | FileCheck %s
; RUN: FileCheck %s --input-file=%t.remarks --check-prefix=REMARK
; A body copied for every trip must stay small: with a budget of 48
; instructions (the array loops copy 8 of them 16 times), no array loop is
; marked. The spawn loops are: their size is checked once the post-split
; passes have simplified them.
; RUN: %opt-coroptx -disable-output %s \
; RUN:   -passes='loop(coroptx-unroll-coroutine-arrays)' \
; RUN:   -coroptx-max-unrolled-coroutine-loop-size=48 \
; RUN:   -pass-remarks=coroptx-unroll-coroutine-arrays 2>&1 \
; RUN:   | FileCheck %s --check-prefix=SMALL
; SMALL-NOT: of a local array
; SMALL: remark: <unknown>:0:0: this loop over 4 coroutines started into a local object
; SMALL-NEXT: remark: <unknown>:0:0: this loop over 16 coroutines started into a local object
; SMALL-NOT: remark
; With 200, @resumes_array (8 x 16) is marked, but not the resume loop of
; @start_loop_too_big: its start loop (14 x 16) stays rolled, so the array
; keeps a variable index whatever the resume loop does.
; RUN: %opt-coroptx -S %s -passes='loop(coroptx-unroll-coroutine-arrays)' \
; RUN:   -coroptx-max-unrolled-coroutine-loop-size=200 \
; RUN:   | FileCheck %s --check-prefix=BUDGET
; BUDGET-LABEL: define void @resumes_array(
; BUDGET:         br i1 %more, label %loop, label %exit, !llvm.loop
; BUDGET-LABEL: define void @start_loop_too_big(
; BUDGET-NOT:     !llvm.loop
; BUDGET-LABEL: define void @too_many_trips(

target triple = "nvptx64-nvidia-cuda"

%worker = type { ptr }
%wide = type { ptr, i32 }

declare ptr @llvm.coro.subfn.addr(ptr, i8)
declare token @llvm.coro.id(i32, ptr, ptr, ptr)
declare ptr @llvm.coro.begin(token, ptr)

; REMARK-COUNT-3: remark: <unknown>:0:0: this loop over 16 coroutines of a local array is unrolled: each frame at a constant offset can live in registers
; REMARK-NOT: remark

; CHECK-LABEL: define void @resumes_array(
; CHECK:         br i1 %more, label %loop, label %exit, !llvm.loop ![[MARKED:[0-9]+]]
define void @resumes_array(ptr %init) {
entry:
  %workers = alloca [16 x %worker]
  call void @llvm.memset.p0.i64(ptr %workers, i8 0, i64 128, i1 false)
  br label %loop
loop:
  %k = phi i64 [ 0, %entry ], [ %k.next, %loop ]
  %slot = getelementptr inbounds [16 x %worker], ptr %workers, i64 0, i64 %k
  %handle = load ptr, ptr %slot
  %resume = call ptr @llvm.coro.subfn.addr(ptr %handle, i8 0)
  call void %resume(ptr %handle)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %loop, label %exit
exit:
  %first = load ptr, ptr %workers
  ret void
}

; With the default budget, both loops are marked.
; CHECK-LABEL: define void @start_loop_too_big(
; CHECK:         br i1 %more.start, label %start, label %resume.preheader, !llvm.loop
; CHECK:         br i1 %more, label %resume, label %exit, !llvm.loop
define void @start_loop_too_big(i32 %seed) {
entry:
  %workers = alloca [16 x %worker]
  br label %start
start:
  %s = phi i64 [ 0, %entry ], [ %s.next, %start ]
  %x0 = mul i32 %seed, 3
  %x1 = add i32 %x0, 5
  %x2 = mul i32 %x1, 7
  %x3 = add i32 %x2, 11
  %x4 = mul i32 %x3, 13
  %x5 = add i32 %x4, 17
  %id = call token @llvm.coro.id(i32 0, ptr null, ptr null, ptr null)
  %frame = call ptr @llvm.coro.begin(token %id, ptr null)
  %new.slot = getelementptr inbounds [16 x %worker], ptr %workers, i64 0, i64 %s
  store ptr %frame, ptr %new.slot
  %s.next = add nuw nsw i64 %s, 1
  %more.start = icmp ult i64 %s.next, 16
  br i1 %more.start, label %start, label %resume
resume:
  %k = phi i64 [ 0, %start ], [ %k.next, %resume ]
  %slot = getelementptr inbounds [16 x %worker], ptr %workers, i64 0, i64 %k
  %handle = load ptr, ptr %slot
  %fn = call ptr @llvm.coro.subfn.addr(ptr %handle, i8 0)
  call void %fn(ptr %handle)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %resume, label %exit
exit:
  ret void
}

; CHECK-LABEL: define void @too_many_trips(
; CHECK:         br i1 %more, label %loop, label %exit{{$}}
define void @too_many_trips(ptr %init) {
entry:
  %workers = alloca [32 x %worker]
  call void @llvm.memset.p0.i64(ptr %workers, i8 0, i64 256, i1 false)
  br label %loop
loop:
  %k = phi i64 [ 0, %entry ], [ %k.next, %loop ]
  %slot = getelementptr inbounds [32 x %worker], ptr %workers, i64 0, i64 %k
  %handle = load ptr, ptr %slot
  %resume = call ptr @llvm.coro.subfn.addr(ptr %handle, i8 0)
  call void %resume(ptr %handle)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 32
  br i1 %more, label %loop, label %exit
exit:
  ret void
}

; CHECK-LABEL: define void @not_an_array_of_handles(
; CHECK:         br i1 %more, label %loop, label %exit{{$}}
define void @not_an_array_of_handles(ptr %init) {
entry:
  %slots = alloca [16 x %wide]
  call void @llvm.memset.p0.i64(ptr %slots, i8 0, i64 256, i1 false)
  br label %loop
loop:
  %k = phi i64 [ 0, %entry ], [ %k.next, %loop ]
  %slot = getelementptr inbounds [16 x %wide], ptr %slots, i64 0, i64 %k
  %handle = load ptr, ptr %slot
  %resume = call ptr @llvm.coro.subfn.addr(ptr %handle, i8 0)
  call void %resume(ptr %handle)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %loop, label %exit
exit:
  ret void
}

; The array is also read at (%t + 3) % 16: that access stays variable, so
; the frames stay in memory whatever this loop does.
; CHECK-LABEL: define void @also_indexed_by_modulo(
; CHECK:         br i1 %more, label %loop, label %exit{{$}}
define void @also_indexed_by_modulo(ptr %init, i64 %t) {
entry:
  %workers = alloca [16 x %worker]
  call void @llvm.memset.p0.i64(ptr %workers, i8 0, i64 128, i1 false)
  br label %loop
loop:
  %k = phi i64 [ 0, %entry ], [ %k.next, %loop ]
  %slot = getelementptr inbounds [16 x %worker], ptr %workers, i64 0, i64 %k
  %handle = load ptr, ptr %slot
  %resume = call ptr @llvm.coro.subfn.addr(ptr %handle, i8 0)
  call void %resume(ptr %handle)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %loop, label %exit
exit:
  %shifted = add i64 %t, 3
  %turn = urem i64 %shifted, 16
  %picked = getelementptr inbounds [16 x %worker], ptr %workers, i64 0, i64 %turn
  %other = load ptr, ptr %picked
  %destroy = call ptr @llvm.coro.subfn.addr(ptr %other, i8 1)
  call void %destroy(ptr %other)
  ret void
}

; `#pragma unroll 1`: the programmer keeps the loop rolled.
; CHECK-LABEL: define void @programmer_says_rolled(
; CHECK:         br i1 %more, label %loop, label %exit, !llvm.loop ![[ROLLED:[0-9]+]]
define void @programmer_says_rolled(ptr %init) {
entry:
  %workers = alloca [16 x %worker]
  call void @llvm.memset.p0.i64(ptr %workers, i8 0, i64 128, i1 false)
  br label %loop
loop:
  %k = phi i64 [ 0, %entry ], [ %k.next, %loop ]
  %slot = getelementptr inbounds [16 x %worker], ptr %workers, i64 0, i64 %k
  %handle = load ptr, ptr %slot
  %resume = call ptr @llvm.coro.subfn.addr(ptr %handle, i8 0)
  call void %resume(ptr %handle)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %loop, label %exit, !llvm.loop !0
exit:
  ret void
}

; A spawn loop: each trip starts a coroutine whose frame goes into a block
; of a local object (an executor), picked at run time (here by a select),
; and traps when a spawn fails, so only the latch's exit is counted. The
; loop inside it (the executor's pass over detached jobs) unrolls with it.
; REMARK: remark: <unknown>:0:0: this loop over 4 coroutines started into a local object is unrolled: each frame at a constant offset can live in registers
; CHECK-LABEL: define void @spawns_into_local_object(
; CHECK:         br i1 %more, label %spawn, label %exit, !llvm.loop ![[SPAWN:[0-9]+]]
define void @spawns_into_local_object(i1 %second) {
entry:
  %executor = alloca [512 x i8], align 16
  br label %spawn
spawn:
  %k = phi i64 [ 0, %entry ], [ %k.next, %latch ]
  br label %reclaim
reclaim:
  %again = load i1, ptr %executor
  br i1 %again, label %reclaim, label %start
start:
  %block1 = getelementptr inbounds i8, ptr %executor, i64 128
  %storage = select i1 %second, ptr %block1, ptr %executor
  %id = call token @llvm.coro.id(i32 0, ptr null, ptr null, ptr null)
  %frame = call ptr @llvm.coro.begin(token %id, ptr %storage)
  %slot.taken = load i1, ptr %block1
  br i1 %slot.taken, label %trap, label %latch
trap:
  call void @llvm.trap()
  unreachable
latch:
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 4
  br i1 %more, label %spawn, label %exit
exit:
  ret void
}

; Frames that may go outside the function's own objects (a pointer it was
; given), or into either of two of them, get no constant offset by
; unrolling: left alone.
; CHECK-LABEL: define void @frames_in_given_storage(
; CHECK:         br i1 %more, label %spawn, label %exit{{$}}
define void @frames_in_given_storage(ptr %given) {
entry:
  br label %spawn
spawn:
  %k = phi i64 [ 0, %entry ], [ %k.next, %spawn ]
  %id = call token @llvm.coro.id(i32 0, ptr null, ptr null, ptr null)
  %frame = call ptr @llvm.coro.begin(token %id, ptr %given)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 4
  br i1 %more, label %spawn, label %exit
exit:
  ret void
}

; CHECK-LABEL: define void @frames_in_two_objects(
; CHECK:         br i1 %more, label %spawn, label %exit{{$}}
define void @frames_in_two_objects(i1 %second) {
entry:
  %one = alloca [256 x i8], align 16
  %two = alloca [256 x i8], align 16
  br label %spawn
spawn:
  %k = phi i64 [ 0, %entry ], [ %k.next, %spawn ]
  %storage = select i1 %second, ptr %two, ptr %one
  %id = call token @llvm.coro.id(i32 0, ptr null, ptr null, ptr null)
  %frame = call ptr @llvm.coro.begin(token %id, ptr %storage)
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 4
  br i1 %more, label %spawn, label %exit
exit:
  ret void
}

; The same after CoroSplit, with the ramp inlined into the loop: the frame
; is where the ramp stores its resume part, a block picked at run time.
; REMARK: remark: <unknown>:0:0: this loop over 16 coroutines started into a local object is unrolled: each frame at a constant offset can live in registers
; REMARK-NOT: remark
; CHECK-LABEL: define void @spawns_with_ramp_inlined(
; CHECK:         br i1 %more, label %spawn, label %exit, !llvm.loop ![[SPLIT:[0-9]+]]
define void @spawns_with_ramp_inlined() {
entry:
  %executor = alloca [2048 x i8], align 16
  br label %spawn
spawn:
  %k = phi i64 [ 0, %entry ], [ %k.next, %spawn ]
  %block1 = getelementptr inbounds i8, ptr %executor, i64 128
  %first.taken = load i1, ptr %executor
  %frame = select i1 %first.taken, ptr %block1, ptr %executor
  store ptr @work.resume, ptr %frame
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %spawn, label %exit
exit:
  ret void
}

; An awaited child's frame, elided into a local of its caller, is at the
; same address on every trip: unrolling gives it no better place.
; CHECK-LABEL: define void @awaits_child_in_loop(
; CHECK:         br i1 %more, label %await, label %exit{{$}}
define void @awaits_child_in_loop() {
entry:
  %child = alloca [64 x i8], align 16
  br label %await
await:
  %k = phi i64 [ 0, %entry ], [ %k.next, %await ]
  store ptr @work.resume, ptr %child
  %k.next = add nuw nsw i64 %k, 1
  %more = icmp ult i64 %k.next, 16
  br i1 %more, label %await, label %exit
exit:
  ret void
}

define internal fastcc void @work.resume(ptr %frame) {
  ret void
}

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.trap()

!coroptx.coroutines = !{!2}

!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.unroll.disable"}
!2 = !{!"work"}

; CHECK-DAG: ![[MARKED]] = distinct !{![[MARKED]], ![[FULL:[0-9]+]]}
; CHECK-DAG: ![[FULL]] = !{!"llvm.loop.unroll.full"}
; CHECK-DAG: ![[SPAWN]] = distinct !{![[SPAWN]], ![[FULL]], ![[SPAWNS:[0-9]+]]}
; CHECK-DAG: ![[SPAWNS]] = !{!"coroptx.unroll.spawn_loop"}
; CHECK-DAG: ![[SPLIT]] = distinct !{![[SPLIT]], ![[FULL]], ![[SPAWNS]]}
; CHECK-DAG: ![[ROLLED]] = distinct !{![[ROLLED]], ![[DISABLE:[0-9]+]]}
; CHECK-DAG: ![[DISABLE]] = !{!"llvm.loop.unroll.disable"}
