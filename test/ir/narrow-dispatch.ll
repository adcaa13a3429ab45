; Purpose: coroptx-narrow-dispatch folds a compare of a pointer with a
; function's address when the pointer can only have been read from stack
; objects that never held that address, even where the handle is picked by a
; variable index (an array of frames). It keeps the compare where the
; objects escape (to a call, to memory the pass does not see), where the
; address was stored as an integer, where the handle comes from a parameter
; of a function that is not a kernel, and for the no-op coroutine's part when
; the handle may be its constant frame. A store in an arm that the narrowed
; compares make dead does not count.
; RUN: %opt-coroptx -passes='function(coroptx-narrow-dispatch)' -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@noop.frame = internal addrspace(1) constant { ptr, ptr } { ptr @noop.dummy, ptr @noop.dummy }

define internal void @worker.resume(ptr %frame) {
  ret void
}
define internal void @other.resume(ptr %frame) {
  ret void
}
define internal void @noop.dummy() {
  ret void
}
declare void @keep(ptr)

; Frames in an array, handles in another, the one resumed picked by %j. The
; arm of @other.resume would store its address into the frame, but the arm
; only runs if the frame held it before.
; CHECK-LABEL: define ptx_kernel void @frames_in_array(
; CHECK-NOT: @other.resume
; CHECK: icmp eq ptr %part, @worker.resume
; CHECK-NOT: @other.resume
; CHECK: ret void
define ptx_kernel void @frames_in_array(i32 %k, i32 %j, ptr %out) {
entry:
  %frames = alloca [4 x [16 x i8]], align 8
  %handles = alloca [4 x ptr], align 8
  %frame = getelementptr [16 x i8], ptr %frames, i32 %k
  store ptr @worker.resume, ptr %frame, align 8
  %result.slot = getelementptr i8, ptr %frame, i64 8
  store ptr %out, ptr %result.slot, align 8
  %handle.slot = getelementptr ptr, ptr %handles, i32 %k
  store ptr %frame, ptr %handle.slot, align 8
  %picked = getelementptr ptr, ptr %handles, i32 %j
  %handle = load ptr, ptr %picked, align 8
  %part = load ptr, ptr %handle, align 8
  %is.other = icmp eq ptr %part, @other.resume
  br i1 %is.other, label %other, label %next

other:
  store ptr @other.resume, ptr %handle, align 8
  br label %done

next:
  %is.worker = icmp eq ptr %part, @worker.resume
  br i1 %is.worker, label %worker, label %done

worker:
  store ptr null, ptr %handle, align 8
  br label %done

done:
  ret void
}

; The same frames, but their object is given to a call: it may store any
; address into them.
; CHECK-LABEL: define ptx_kernel void @frames_given_to_a_call(
; CHECK: icmp eq ptr %part, @other.resume
define ptx_kernel void @frames_given_to_a_call(i32 %k) {
entry:
  %frames = alloca [4 x [16 x i8]], align 8
  %frame = getelementptr [16 x i8], ptr %frames, i32 %k
  store ptr @worker.resume, ptr %frame, align 8
  call void @keep(ptr %frames)
  %part = load ptr, ptr %frame, align 8
  %is.other = icmp eq ptr %part, @other.resume
  br i1 %is.other, label %other, label %done

other:
  store ptr null, ptr %frame, align 8
  br label %done

done:
  ret void
}

; A frame's address stored into global memory escapes the same way.
; CHECK-LABEL: define ptx_kernel void @frame_stored_to_global_memory(
; CHECK: icmp eq ptr %part, @other.resume
define ptx_kernel void @frame_stored_to_global_memory(ptr %out, i32 %k) {
entry:
  %frames = alloca [4 x [16 x i8]], align 8
  %frame = getelementptr [16 x i8], ptr %frames, i32 %k
  store ptr @worker.resume, ptr %frame, align 8
  store ptr %frame, ptr %out, align 8
  %part = load ptr, ptr %frame, align 8
  %is.other = icmp eq ptr %part, @other.resume
  br i1 %is.other, label %other, label %done

other:
  store ptr null, ptr %frame, align 8
  br label %done

done:
  ret void
}

; A part's address stored as an integer is still stored.
; CHECK-LABEL: define ptx_kernel void @part_stored_as_integer(
; CHECK: icmp eq ptr %part, @other.resume
define ptx_kernel void @part_stored_as_integer(i32 %k) {
entry:
  %frames = alloca [4 x [16 x i8]], align 8
  %frame = getelementptr [16 x i8], ptr %frames, i32 %k
  store i64 ptrtoint (ptr @other.resume to i64), ptr %frame, align 8
  %part = load ptr, ptr %frame, align 8
  %is.other = icmp eq ptr %part, @other.resume
  br i1 %is.other, label %other, label %done

other:
  store ptr null, ptr %frame, align 8
  br label %done

done:
  ret void
}

; A handle that may be the no-op coroutine's frame may hold its part; the
; store through it writes the local frame (a constant cannot be written).
; CHECK-LABEL: define ptx_kernel void @handle_may_be_the_noop_frame(
; CHECK: icmp eq ptr %part, @noop.dummy
; CHECK-NOT: @other.resume
; CHECK: ret void
define ptx_kernel void @handle_may_be_the_noop_frame(i1 %finished) {
entry:
  %frame = alloca [16 x i8], align 8
  store ptr @worker.resume, ptr %frame, align 8
  %handle = select i1 %finished, ptr addrspacecast (ptr addrspace(1) @noop.frame to ptr), ptr %frame
  store ptr %handle, ptr %frame, align 8
  %part = load ptr, ptr %handle, align 8
  %is.noop = icmp eq ptr %part, @noop.dummy
  %is.other = icmp eq ptr %part, @other.resume
  %either = or i1 %is.noop, %is.other
  br i1 %either, label %done, label %resume

resume:
  store ptr null, ptr %handle, align 8
  br label %done

done:
  ret void
}

; Outside a kernel, a parameter may point anywhere.
; CHECK-LABEL: define internal void @dispatch_on_a_parameter(
; CHECK: icmp eq ptr %part, @other.resume
define internal void @dispatch_on_a_parameter(ptr %handle) {
entry:
  %part = load ptr, ptr %handle, align 8
  %is.other = icmp eq ptr %part, @other.resume
  br i1 %is.other, label %other, label %done

other:
  store ptr null, ptr %handle, align 8
  br label %done

done:
  ret void
}

; The last arm of a dispatch assumes its compare instead of testing it. When
; the frames cannot hold that part, nothing after the assumption runs, and
; its store of @other.resume does not count either.
; CHECK-LABEL: define ptx_kernel void @last_arm_assumes_its_part(
; CHECK-NOT: icmp eq ptr %part, @other.resume
; CHECK: icmp eq ptr %part, @worker.resume
; CHECK: ret void
define ptx_kernel void @last_arm_assumes_its_part(i32 %k) {
entry:
  %frames = alloca [4 x [16 x i8]], align 8
  %frame = getelementptr [16 x i8], ptr %frames, i32 %k
  store ptr @worker.resume, ptr %frame, align 8
  %part = load ptr, ptr %frame, align 8
  %is.worker = icmp eq ptr %part, @worker.resume
  br i1 %is.worker, label %worker, label %last

worker:
  store ptr null, ptr %frame, align 8
  br label %done

last:
  %is.other = icmp eq ptr %part, @other.resume
  call void @llvm.assume(i1 %is.other)
  store ptr @other.resume, ptr %frame, align 8
  br label %done

done:
  ret void
}
