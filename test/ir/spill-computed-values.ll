; Purpose: SpillComputedValuesPass keeps a value that lives across a suspend point in the frame when CoroSplit would otherwise recompute it after the resume through a multiply (the generator's `x = mix(x, step); co_yield x;`), and leaves cheap arithmetic, and a value used only after the suspend point, to CoroSplit's rematerialization; ReleaseSpilledValuesPass removes its calls once the coroutine is split.
; RUN: %opt-coroptx -passes='function(coroptx-spill-computed-values)' -S %s | FileCheck %s --check-prefix=SPILL
; RUN: %opt-coroptx -passes='function(coroptx-spill-computed-values),cgscc(coro-split),coroptx-release-spilled-values' -S %s | FileCheck %s --check-prefix=SPLIT
; Without the pass, CoroSplit keeps %x and multiplies twice per resume.
; RUN: %opt-coroptx -passes='cgscc(coro-split)' -S %s | FileCheck %s --check-prefix=REMAT

; SPILL-LABEL: define ptr @f(
; SPILL:       loop:
; SPILL-NEXT:    %x = phi i32 [ %n, %entry ], [ %next.spilled, %resume ]
; SPILL:         %next = add i32 %scaled, %step
; SPILL-NEXT:    %next.spilled = call i32 @coroptx.spill.i32(i32 %next)
; The uses before the suspend point keep the value itself.
; SPILL:         call void @yield(i32 %next)
; A cheap add is still CoroSplit's to recompute.
; SPILL-NOT:     @coroptx.spill.i32(i32 %bumped)
; SPILL-NOT:     @coroptx.spill.i32(i32 %step.next)
; A multiply used only after the suspend point is computed once either way.
; SPILL-NOT:     @coroptx.spill.i32(i32 %scaled.later)
; SPILL:       declare i32 @coroptx.spill.i32(i32) #[[ATTRS:[0-9]+]]
; SPILL:       attributes #[[ATTRS]] = { nounwind memory(none) }

; SPLIT-LABEL: define internal fastcc void @f.resume(
; SPLIT:         mul i32 %mixed, 1664525
; SPLIT-NOT:     mul i32 {{.*}}, 1664525
; SPLIT-NOT:     coroptx.spill
; SPLIT:       }
; SPLIT-NOT:   coroptx.spill

; REMAT-LABEL: define internal fastcc void @f.resume(
; REMAT-COUNT-2: mul i32 {{.*}}, 1664525
; REMAT:       }

target triple = "nvptx64-nvidia-cuda"

define ptr @f(i32 %n) presplitcoroutine {
entry:
  %id = call token @llvm.coro.id(i32 0, ptr null, ptr null, ptr null)
  %size = call i32 @llvm.coro.size.i32()
  %alloc = call ptr @malloc(i32 %size)
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %alloc)
  br label %loop

loop:
  %x = phi i32 [ %n, %entry ], [ %next, %resume ]
  %step = phi i32 [ 0, %entry ], [ %step.next, %resume ]
  %shifted = lshr i32 %x, 13
  %mixed = xor i32 %shifted, %x
  %scaled = mul i32 %mixed, 1664525
  %next = add i32 %scaled, %step
  %step.next = add i32 %step, 1
  %bumped = add i32 %x, 7
  %scaled.later = mul i32 %x, 5
  call void @yield(i32 %next)
  %save = call token @llvm.coro.save(ptr %hdl)
  %suspend = call i8 @llvm.coro.suspend(token %save, i1 false)
  switch i8 %suspend, label %end [
    i8 0, label %resume
    i8 1, label %cleanup
  ]

resume:
  call void @use(i32 %bumped)
  call void @use(i32 %scaled.later)
  br label %loop

cleanup:
  %mem = call ptr @llvm.coro.free(token %id, ptr %hdl)
  call void @free(ptr %mem)
  br label %end

end:
  call void @llvm.coro.end(ptr %hdl, i1 false, token none)
  ret ptr %hdl
}

declare token @llvm.coro.id(i32, ptr, ptr, ptr)
declare i32 @llvm.coro.size.i32()
declare ptr @llvm.coro.begin(token, ptr)
declare token @llvm.coro.save(ptr)
declare i8 @llvm.coro.suspend(token, i1)
declare ptr @llvm.coro.free(token, ptr)
declare void @llvm.coro.end(ptr, i1, token)
declare ptr @malloc(i32)
declare void @free(ptr)
declare void @yield(i32)
declare void @use(i32)
