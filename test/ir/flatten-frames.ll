; Purpose: FrameFlattening turns the handles into a function's frames into
; integer codes (0 null, 1 + offset in the object, then the constant frames),
; so that every access lands at a fixed offset and SROA promotes the frames;
; a handle that leaves the function keeps the object as it is, with a remark.
;
; RUN: %opt-coroptx -passes='function(coroptx-flatten-frames)' -S %s \
; RUN:   -pass-remarks=coroptx-flatten-frames -pass-remarks-missed=coroptx-flatten-frames \
; RUN:   -o %t.ll 2> %t.remarks
; RUN: FileCheck %s < %t.ll
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
; RUN: %opt-coroptx -passes='function(coroptx-flatten-frames,sroa,instcombine,simplifycfg)' \
; RUN:   -S %s -o - | FileCheck %s --check-prefix=PROMOTED

; REMARK: remark: {{.*}}coroutine frames in this function became SSA values
; REMARK: remark: {{.*}}coroutine frames stay in local memory: a handle is passed on
; REMARK: remark: {{.*}}coroutine frames in this function became SSA values
; REMARK: remark: {{.*}}coroutine frames stay in local memory: a handle is moved by a variable offset

; Stored handles are stored as codes: the parent's continuation is the no-op
; frame (code 51, past the 48-byte object), the child's is the parent (1).
; CHECK-LABEL: define ptx_kernel void @two_frames(
; CHECK:         store i64 51, ptr
; CHECK:         store i64 1, ptr
; CHECK:       loop:
; CHECK-NEXT:    %handle.code = phi i32 [ 25, %entry ], [ %next.code, %step ]
; The dispatch loads both resume slots and picks by code; the no-op frame's
; slot folds to its part.
; CHECK:         select i1 {{%.*}}, ptr @noop.resume, ptr
; Under the child's test only the child's frame (offset 24) can be current:
; its fields are read at fixed offsets, and its continuation is a code.
; CHECK:       run.child:
; CHECK:         [[VALUE:%.*]] = getelementptr inbounds i8, ptr %frames, i64 40
; CHECK-NEXT:    [[LOADED:%.*]] = load i32, ptr [[VALUE]], align 8
; CHECK-NEXT:    %doubled = shl i32 [[LOADED]], 1
; CHECK:         [[NEXT:%.*]] = getelementptr inbounds i8, ptr %frames, i64 32
; CHECK-NEXT:    [[CODE:%.*]] = load i64, ptr [[NEXT]], align 8
; CHECK-NEXT:    trunc i64 [[CODE]] to i32
; CHECK:       step:
; CHECK-NEXT:    %next.code = phi i32
; CHECK-NOT:     phi ptr

; PROMOTED-LABEL: define ptx_kernel void @two_frames(
; PROMOTED-NOT:   {{alloca|load}}
; PROMOTED:       ret void

; CHECK-LABEL: define ptx_kernel void @escaping(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %frames = alloca [48 x i8], align 8
; CHECK:         store ptr %child, ptr %next, align 8
; CHECK-NEXT:    call void @resume.elsewhere(ptr %frames)

; An offset that is one of a few constants (SimplifyCFG sinks two loads of
; different fields into one, through a phi of offsets) is one access per
; offset, at fixed offsets again.
; CHECK-LABEL: define ptx_kernel void @field_offset_phi(
; CHECK:       loop:
; CHECK:         %field = phi i64 [ 8, %entry ], [ 12, %loop ]
; CHECK-NOT:     getelementptr inbounds i8, ptr %handle, i64 %field
; PROMOTED-LABEL: define ptx_kernel void @field_offset_phi(
; PROMOTED-NOT:   {{alloca|load}}
; PROMOTED:       ret void

; An offset that may be anything keeps the object.
; CHECK-LABEL: define ptx_kernel void @field_offset_unknown(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %frames = alloca [16 x i8], align 8

; A handle that never holds an address (loaded under a test no frame
; passes) compared with a pointer from elsewhere: the compare never runs and
; becomes poison (it once had no code for the other side, and crashed).
; CHECK-LABEL: define ptx_kernel void @never_running_compare(
; CHECK:       run.parent:
; CHECK-NOT:     icmp
; CHECK:         store i1 poison, ptr %out
; CHECK:       latch:

target datalayout = "e-p6:32:32-i64:64-i128:128-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

@noop.frame = internal addrspace(1) constant { ptr, ptr } { ptr @noop.resume, ptr @noop.resume }

define internal void @noop.resume(ptr %f) { ret void }
define internal void @parent.resume(ptr %f) { ret void }
define internal void @child.resume(ptr %f) { ret void }

; Two frames in one object: the parent at 0 (resume slot, continuation at 8,
; a value at 16), the child at 24 (resume slot, continuation at 32, value at
; 40). The loop runs the current frame's part, as the transfer loop does.
define ptx_kernel void @two_frames(ptr %out, i32 %x) {
entry:
  %frames = alloca [48 x i8], align 8
  store ptr @parent.resume, ptr %frames, align 8
  %parent.next = getelementptr inbounds i8, ptr %frames, i64 8
  store ptr addrspacecast (ptr addrspace(1) @noop.frame to ptr), ptr %parent.next, align 8
  %child = getelementptr inbounds i8, ptr %frames, i64 24
  store ptr @child.resume, ptr %child, align 8
  %child.next = getelementptr inbounds i8, ptr %frames, i64 32
  store ptr %frames, ptr %child.next, align 8
  %child.value = getelementptr inbounds i8, ptr %frames, i64 40
  store i32 %x, ptr %child.value, align 8
  br label %loop

loop:
  %handle = phi ptr [ %child, %entry ], [ %next, %step ]
  %part = load ptr, ptr %handle, align 8
  %is.child = icmp eq ptr %part, @child.resume
  br i1 %is.child, label %run.child, label %not.child

run.child:
  %value.addr = getelementptr inbounds i8, ptr %handle, i64 16
  %value = load i32, ptr %value.addr, align 8
  %doubled = shl i32 %value, 1
  %continuation.addr = getelementptr inbounds i8, ptr %handle, i64 8
  %continuation = load ptr, ptr %continuation.addr, align 8
  %result.addr = getelementptr inbounds i8, ptr %continuation, i64 16
  store i32 %doubled, ptr %result.addr, align 8
  store ptr null, ptr %handle, align 8
  br label %step

not.child:
  %is.parent = icmp eq ptr %part, @parent.resume
  br i1 %is.parent, label %run.parent, label %done

run.parent:
  store ptr null, ptr %handle, align 8
  %parent.continuation.addr = getelementptr inbounds i8, ptr %handle, i64 8
  %parent.continuation = load ptr, ptr %parent.continuation.addr, align 8
  br label %step

step:
  %next = phi ptr [ %continuation, %run.child ], [ %parent.continuation, %run.parent ]
  br label %loop

done:
  %result.at = getelementptr inbounds i8, ptr %frames, i64 16
  %result = load i32, ptr %result.at, align 8
  store i32 %result, ptr %out, align 4
  ret void
}

declare void @resume.elsewhere(ptr)

; A handle passed to a call leaves the function: the object stays.
define ptx_kernel void @escaping(ptr %out) {
entry:
  %frames = alloca [48 x i8], align 8
  store ptr @child.resume, ptr %frames, align 8
  %child = getelementptr inbounds i8, ptr %frames, i64 24
  %next = getelementptr inbounds i8, ptr %frames, i64 8
  store ptr %child, ptr %next, align 8
  call void @resume.elsewhere(ptr %frames)
  ret void
}

; One frame: resume slot at 0, its argument at 8, the value it keeps at 12.
; The first trip reads the argument, later ones the kept value.
define ptx_kernel void @field_offset_phi(ptr %out, i32 %x) {
entry:
  %frames = alloca [16 x i8], align 8
  store ptr @child.resume, ptr %frames, align 8
  %argument = getelementptr inbounds i8, ptr %frames, i64 8
  store i32 %x, ptr %argument, align 8
  br label %loop

loop:
  %handle = phi ptr [ %frames, %entry ], [ %handle, %loop ]
  %field = phi i64 [ 8, %entry ], [ 12, %loop ]
  %trip = phi i32 [ 0, %entry ], [ %trip.next, %loop ]
  %field.addr = getelementptr inbounds i8, ptr %handle, i64 %field
  %value = load i32, ptr %field.addr, align 4
  %mixed = mul i32 %value, 1664525
  %kept = getelementptr inbounds i8, ptr %handle, i64 12
  store i32 %mixed, ptr %kept, align 4
  %trip.next = add i32 %trip, 1
  %again = icmp ult i32 %trip.next, 4
  br i1 %again, label %loop, label %done

done:
  %result.at = getelementptr inbounds i8, ptr %frames, i64 12
  %result = load i32, ptr %result.at, align 4
  store i32 %result, ptr %out, align 4
  ret void
}

define ptx_kernel void @field_offset_unknown(ptr %out, i64 %field) {
entry:
  %frames = alloca [16 x i8], align 8
  store ptr @child.resume, ptr %frames, align 8
  %field.addr = getelementptr inbounds i8, ptr %frames, i64 %field
  %value = load i32, ptr %field.addr, align 4
  store i32 %value, ptr %out, align 4
  ret void
}

; Only the child's part is ever stored: under the parent's test no frame can
; be current, and the continuation loaded there never holds an address.
define ptx_kernel void @never_running_compare(ptr %out, ptr %elsewhere, i1 %again) {
entry:
  %frames = alloca [16 x i8], align 8
  store ptr @child.resume, ptr %frames, align 8
  %child.next = getelementptr inbounds i8, ptr %frames, i64 8
  store ptr null, ptr %child.next, align 8
  br label %loop

loop:
  %handle = phi ptr [ %frames, %entry ], [ %handle, %latch ]
  %part = load ptr, ptr %handle, align 8
  %is.parent = icmp eq ptr %part, @parent.resume
  br i1 %is.parent, label %run.parent, label %latch

run.parent:
  %continuation.addr = getelementptr inbounds i8, ptr %handle, i64 8
  %continuation = load ptr, ptr %continuation.addr, align 8
  %is.elsewhere = icmp eq ptr %continuation, %elsewhere
  store i1 %is.elsewhere, ptr %out, align 1
  br label %latch

latch:
  br i1 %again, label %loop, label %done

done:
  ret void
}
