; Purpose: coroptx-narrow-integer-slots retypes an alloca whose every use
; is a simple load or store of one narrower integer type to that type, so
; SROA promotes it: a lazy coroutine's 2-bit suspend index, in the byte that
; SROA split off its frame, read and written as i2 on a later trip of a
; scheduler loop. As in the pipeline, SROA runs first: it splits a frame
; into one alloca per field, and leaves the index's byte read and written as
; i2 (`@frame_field`). A byte also read as i8, and one whose address escapes
; to a call, stay in memory.
; RUN: %opt-coroptx -S %s \
; RUN:   -passes='function(sroa,coroptx-narrow-integer-slots,sroa)' \
; RUN:   | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

declare void @keep(ptr)

; CHECK-LABEL: define i2 @suspend_index(
; CHECK-NOT:     alloca
; CHECK:         phi i2 [ 0, %entry ], [ %next, %loop ]
define i2 @suspend_index(i32 %n) {
entry:
  %slot = alloca i8, align 1
  store i2 0, ptr %slot, align 1
  br label %loop

loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %index = load i2, ptr %slot, align 1
  %next = add i2 %index, 1
  store i2 %next, ptr %slot, align 1
  %i.next = add i32 %i, 1
  %more = icmp ult i32 %i.next, %n
  br i1 %more, label %loop, label %exit

exit:
  %last = load i2, ptr %slot, align 1
  ret i2 %last
}

; CHECK-LABEL: define i8 @read_as_byte(
; CHECK:         %slot = alloca i8
define i8 @read_as_byte() {
  %slot = alloca i8, align 1
  store i2 1, ptr %slot, align 1
  %byte = load i8, ptr %slot, align 1
  ret i8 %byte
}

; CHECK-LABEL: define i2 @escapes(
; CHECK:         %slot = alloca i8
define i2 @escapes() {
  %slot = alloca i8, align 1
  store i2 1, ptr %slot, align 1
  call void @keep(ptr %slot)
  %index = load i2, ptr %slot, align 1
  ret i2 %index
}

; CHECK-LABEL: define i2 @frame_field(
; CHECK-NOT:     alloca
; CHECK:         ret i2 1
define i2 @frame_field(i1 %start) {
entry:
  %frame = alloca { i16, i8 }, align 2
  %index.slot = getelementptr inbounds i8, ptr %frame, i64 2
  br i1 %start, label %started, label %resumed

started:
  store i2 1, ptr %index.slot, align 1
  br label %resumed

resumed:
  %index = load i2, ptr %index.slot, align 1
  ret i2 %index
}
