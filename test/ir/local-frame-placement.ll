; Purpose: coroptx-place-local-frames moves a tagged heap frame into the stack of the function that allocates it when every copy of its address stays in that function (SSA values, locals accessed only directly, the frames themselves; calls only with captures(none) while frames hold no address), with one slot outside loops and one per iteration of loops with constant trip counts; anything else stays on the heap with a missed remark that says why.
; RUN: %opt-coroptx -passes=coroptx-place-local-frames -pass-remarks=coroptx -pass-remarks-missed=coroptx -S %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

target datalayout = "e-p:64:64-i64:64-i128:128-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

declare ptr @_Znwm(i64)
declare void @_ZdlPvm(ptr, i64)
declare void @keeps(ptr)
declare void @reads(ptr captures(none))

@slot = internal global ptr null

; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': 40-byte frame placed in the stack of 'one_frame'
; CHECK-LABEL: define void @one_frame(
; CHECK-NEXT:    %[[F:.*]] = alloca [48 x i8], align 16
; CHECK-NOT:     call
; CHECK:         store i32 1, ptr %[[F]]
; CHECK-NEXT:    ret void
define void @one_frame() {
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  store i32 1, ptr %f
  call void @_ZdlPvm(ptr %f, i64 40), !coroptx.frame.free !0
  ret void
}

; Four workers: handles in a local array, one resumed by a run-time index.
; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': 40-byte frame placed in the stack of 'workers_in_array', 4 slots for the frames its loops start
; CHECK-LABEL: define void @workers_in_array(
; CHECK:         %[[POOL:.*]] = alloca [4 x [48 x i8]], align 16
; CHECK:         %[[NEXT:.*]] = alloca i32
; CHECK:         store i32 0, ptr %[[NEXT]]
; CHECK:       start:
; CHECK:         %[[INDEX:.*]] = load i32, ptr %[[NEXT]]
; CHECK:         %[[BUMPED:.*]] = add nuw i32 %[[INDEX]], 1
; CHECK:         store i32 %[[BUMPED]], ptr %[[NEXT]]
; CHECK:         getelementptr inbounds [4 x [48 x i8]], ptr %[[POOL]], i32 0, i32 %[[INDEX]]
; CHECK-NOT:     @_Znwm
; CHECK-NOT:     @_ZdlPvm
; CHECK:         call void @reads(
; CHECK-NOT:     @_ZdlPvm
; CHECK:         ret void
define void @workers_in_array(i32 %n) {
entry:
  %handles = alloca [4 x ptr]
  call void @llvm.memset.p0.i64(ptr %handles, i8 0, i64 32, i1 false)
  br label %start
start:
  %i = phi i64 [ 0, %entry ], [ %next, %start ]
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  %at = getelementptr [4 x ptr], ptr %handles, i64 0, i64 %i
  store ptr %f, ptr %at
  %next = add i64 %i, 1
  %filled = icmp eq i64 %next, 4
  br i1 %filled, label %resume, label %start
resume:
  %which = and i32 %n, 3
  %index = zext i32 %which to i64
  %from = getelementptr [4 x ptr], ptr %handles, i64 0, i64 %index
  %h = load ptr, ptr %from
  store i32 7, ptr %h
  call void @reads(ptr %h)
  call void @_ZdlPvm(ptr %h, i64 40), !coroptx.frame.free !0
  ret void
}

; A frame holding its own address (a child's continuation), kept as an
; integer the way InstCombine stores a union's pointer member, then loaded
; back and used: still placed. Narrow loads of the frame's own fields are not
; addresses.
; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': 40-byte frame placed in the stack of 'address_held_as_integer'
; CHECK-LABEL: define i32 @address_held_as_integer(
; CHECK-NOT:     @_Znwm
define i32 @address_held_as_integer() {
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  %continuation = getelementptr i8, ptr %f, i64 16
  %bits = ptrtoint ptr %f to i64
  store i64 %bits, ptr %continuation
  %counter = getelementptr i8, ptr %f, i64 24
  store i32 5, ptr %counter
  %reloaded = load i64, ptr %continuation
  %back = inttoptr i64 %reloaded to ptr
  %value = load i32, ptr %counter
  %doubled = add i32 %value, %value
  store i32 %doubled, ptr %back
  call void @_ZdlPvm(ptr %back, i64 40), !coroptx.frame.free !0
  ret i32 %doubled
}

; A local function that is passed the address and may keep it (it stores
; the address into the frame) is inlined, so the proof sees what it does.
; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': 40-byte frame placed in the stack of 'through_local_dispatcher'
; CHECK-LABEL: define void @through_local_dispatcher(
; CHECK-NOT:     call
; CHECK:         ret void
define void @through_local_dispatcher() {
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  call void @local_dispatcher(ptr %f)
  call void @_ZdlPvm(ptr %f, i64 40), !coroptx.frame.free !0
  ret void
}
define internal void @local_dispatcher(ptr %frame) {
  %continuation = getelementptr i8, ptr %frame, i64 16
  store ptr %frame, ptr %continuation
  ret void
}

; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': frame not placed in the stack of 'stored_in_global': its address is stored in memory the placement cannot follow
; CHECK-LABEL: define void @stored_in_global(
; CHECK:         call ptr @_Znwm(i64 40)
define void @stored_in_global() {
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  store ptr %f, ptr @slot
  ret void
}

; The address goes into a local array, and a copy read back escapes.
; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': frame not placed in the stack of 'escapes_through_local': its address is stored in memory the placement cannot follow
; CHECK-LABEL: define void @escapes_through_local(
; CHECK:         call ptr @_Znwm(i64 40)
define void @escapes_through_local() {
  %handles = alloca [2 x ptr]
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  %second = getelementptr [2 x ptr], ptr %handles, i64 0, i64 1
  store ptr %f, ptr %second
  %h = load ptr, ptr %second
  store ptr %h, ptr @slot
  ret void
}

; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': frame not placed in the stack of 'local_address_escapes': its address is stored in a local whose own address escapes
; CHECK-LABEL: define void @local_address_escapes(
; CHECK:         call ptr @_Znwm(i64 40)
define void @local_address_escapes() {
  %handles = alloca [2 x ptr]
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  store ptr %f, ptr %handles
  call void @keeps(ptr %handles)
  ret void
}

; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': frame not placed in the stack of 'passed_to_unknown': its address is passed to 'keeps', which may keep it
; CHECK-LABEL: define void @passed_to_unknown(
; CHECK:         call ptr @_Znwm(i64 40)
define void @passed_to_unknown() {
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  call void @keeps(ptr %f)
  ret void
}

; captures(none) proves nothing once a frame holds an address: the callee
; could load it from the frame and keep that.
; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': frame not placed in the stack of 'frame_holds_address_then_call': its address is passed to 'reads', which may keep it
; CHECK-LABEL: define void @frame_holds_address_then_call(
; CHECK:         call ptr @_Znwm(i64 40)
define void @frame_holds_address_then_call() {
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  %continuation = getelementptr i8, ptr %f, i64 16
  store ptr %f, ptr %continuation
  call void @reads(ptr %f)
  ret void
}

; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': frame not placed in the stack of 'returned': its address is returned
; CHECK-LABEL: define ptr @returned(
; CHECK:         call ptr @_Znwm(i64 40)
define ptr @returned() {
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  ret ptr %f
}

; REMARK-DAG: remark: <unknown>:0:0: device coroutine 'c': frame not placed in the stack of 'unbounded_loop': it is started in a loop without a constant trip count, so no bound on its live frames is known
; CHECK-LABEL: define void @unbounded_loop(
; CHECK:         call ptr @_Znwm(i64 40)
define void @unbounded_loop(i64 %n) {
entry:
  br label %start
start:
  %i = phi i64 [ 0, %entry ], [ %next, %start ]
  %f = call ptr @_Znwm(i64 40), !coroptx.frame.alloc !0
  store i32 1, ptr %f
  %next = add i64 %i, 1
  %done = icmp eq i64 %next, %n
  br i1 %done, label %exit, label %start
exit:
  ret void
}

; Coroutine 'd' is placed everywhere it is allocated, so the free in its
; destroy part would hit a stack slot: it is erased. Coroutine 'c' still has
; heap frames above, so its destroy part keeps its free.
; CHECK-LABEL: define internal void @d.destroy(
; CHECK-NOT:     @_ZdlPvm
; CHECK:         ret void
; CHECK-LABEL: define internal void @c.destroy(
; CHECK:         call void @_ZdlPvm
define void @starts_d() {
  %f = call ptr @_Znwm(i64 24), !coroptx.frame.alloc !1
  store ptr @d.destroy, ptr %f
  ret void
}
define internal void @d.destroy(ptr %frame) {
  call void @_ZdlPvm(ptr %frame, i64 24), !coroptx.frame.free !1
  ret void
}
define internal void @c.destroy(ptr %frame) {
  call void @_ZdlPvm(ptr %frame, i64 40), !coroptx.frame.free !0
  ret void
}

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

!coroptx.coroutines = !{!2, !3}
!0 = !{!"c"}
!1 = !{!"d"}
!2 = !{!"c", i32 2}
!3 = !{!"d", i32 2}
