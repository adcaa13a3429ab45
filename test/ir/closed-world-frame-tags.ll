; Purpose: coroptx-closed-world records each presplit coroutine in !coroptx.coroutines and tags the global operator new / malloc that feeds llvm.coro.begin (and the free after llvm.coro.free) with !coroptx.frame.alloc / !coroptx.frame.free and a call-site noinline; other heap calls are left alone.
; RUN: %opt-coroptx -passes=coroptx-closed-world -S %s | FileCheck %s
; Running it twice records each coroutine once.
; RUN: %opt-coroptx -passes=coroptx-closed-world,coroptx-closed-world -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; lazy count(int n): the shape clang gives a coroutine whose frame comes from
; the global operator new: coro.alloc ? new(coro.size) : null, through a phi.
; CHECK-LABEL: define internal void @_Z5counti(
; CHECK:         [[MEM:%.*]] = call noalias noundef nonnull ptr @_Znwm(i64 noundef [[SIZE:%.*]]) #[[NOINLINE:[0-9]+]], !coroptx.frame.alloc ![[COUNT:[0-9]+]]
; CHECK:         phi ptr [ null, %entry ], [ [[MEM]], %alloc ]
; A heap allocation in the body is the user's, not the frame's.
; CHECK:         call ptr @_Znwm(i64 4){{$}}
; CHECK:         [[FREE:%.*]] = call ptr @llvm.coro.free(
; CHECK:         call void @_ZdlPvm(ptr noundef [[FREE]], i64 noundef {{%.*}}) #[[NOINLINE]], !coroptx.frame.free ![[COUNT]]
; CHECK:         ret void
define linkonce_odr void @_Z5counti(ptr sret(ptr) align 8 %ret, i32 %n) #0 {
entry:
  %promise = alloca i32, align 4
  %id = call token @llvm.coro.id(i32 16, ptr %promise, ptr null, ptr null)
  %need.alloc = call i1 @llvm.coro.alloc(token %id)
  br i1 %need.alloc, label %alloc, label %begin

alloc:
  %size = call i64 @llvm.coro.size.i64()
  %mem = call noalias noundef nonnull ptr @_Znwm(i64 noundef %size)
  br label %begin

begin:
  %frame = phi ptr [ null, %entry ], [ %mem, %alloc ]
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %frame)
  store ptr %hdl, ptr %ret, align 8
  %s = call i8 @llvm.coro.suspend(token none, i1 false)
  switch i8 %s, label %suspend [
    i8 0, label %body
    i8 1, label %cleanup
  ]

body:
  %user = call ptr @_Znwm(i64 4)
  store i32 %n, ptr %user, align 4
  br label %cleanup

cleanup:
  %tofree = call ptr @llvm.coro.free(token %id, ptr %hdl)
  %nonnull = icmp ne ptr %tofree, null
  br i1 %nonnull, label %dealloc, label %suspend

dealloc:
  %fsize = call i64 @llvm.coro.size.i64()
  call void @_ZdlPvm(ptr noundef %tofree, i64 noundef %fsize)
  br label %suspend

suspend:
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

; The C allocator and an aligned operator new (any _Znwm* overload is the
; global one), seen through a phi and a select.
; CHECK-LABEL: define internal void @_Z6mallocv(
; CHECK:         [[A:%.*]] = call ptr @_ZnwmSt11align_val_t(i64 [[S:%.*]], i64 32) #[[NOINLINE]], !coroptx.frame.alloc ![[MALLOC:[0-9]+]]
; CHECK:         [[M:%.*]] = call ptr @malloc(i64 [[S]]) #[[NOINLINE]], !coroptx.frame.alloc ![[MALLOC]]
; CHECK:         [[RAW:%.*]] = phi ptr [ [[A]], %over ], [ [[M]], %plain ]
; CHECK:         select i1 %need.alloc, ptr [[RAW]], ptr null
; CHECK:         [[F:%.*]] = call ptr @llvm.coro.free(
; CHECK:         call void @free(ptr [[F]]) #[[NOINLINE]], !coroptx.frame.free ![[MALLOC]]
; CHECK:         ret void
define void @_Z6mallocv(ptr %ret, i1 %aligned) #0 {
entry:
  %id = call token @llvm.coro.id(i32 16, ptr null, ptr null, ptr null)
  %need.alloc = call i1 @llvm.coro.alloc(token %id)
  %size = call i64 @llvm.coro.size.i64()
  br i1 %aligned, label %over, label %plain

over:
  %a = call ptr @_ZnwmSt11align_val_t(i64 %size, i64 32)
  br label %pick

plain:
  %m = call ptr @malloc(i64 %size)
  br label %pick

pick:
  %raw = phi ptr [ %a, %over ], [ %m, %plain ]
  %frame = select i1 %need.alloc, ptr %raw, ptr null
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %frame)
  store ptr %hdl, ptr %ret, align 8
  %s = call i8 @llvm.coro.suspend(token none, i1 true)
  switch i8 %s, label %suspend [
    i8 0, label %cleanup
    i8 1, label %cleanup
  ]

cleanup:
  %tofree = call ptr @llvm.coro.free(token %id, ptr %hdl)
  call void @free(ptr %tofree)
  br label %suspend

suspend:
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

; A promise_type with its own operator new / delete is the user's choice:
; recorded as a coroutine, but nothing is tagged.
; CHECK-LABEL: define internal void @_Z7custompv(
; CHECK:         call ptr @_ZN7promisenwEm(i64 {{%.*}}){{$}}
; CHECK:         call void @_ZN7promisedlEPv(ptr {{%.*}}){{$}}
; CHECK:         ret void
define void @_Z7custompv(ptr %ret) #0 {
entry:
  %id = call token @llvm.coro.id(i32 16, ptr null, ptr null, ptr null)
  %need.alloc = call i1 @llvm.coro.alloc(token %id)
  br i1 %need.alloc, label %alloc, label %begin

alloc:
  %size = call i64 @llvm.coro.size.i64()
  %mem = call ptr @_ZN7promisenwEm(i64 %size)
  br label %begin

begin:
  %frame = phi ptr [ null, %entry ], [ %mem, %alloc ]
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %frame)
  store ptr %hdl, ptr %ret, align 8
  %s = call i8 @llvm.coro.suspend(token none, i1 true)
  switch i8 %s, label %suspend [
    i8 0, label %cleanup
    i8 1, label %cleanup
  ]

cleanup:
  %tofree = call ptr @llvm.coro.free(token %id, ptr %hdl)
  call void @_ZN7promisedlEPv(ptr %tofree)
  br label %suspend

suspend:
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

; Not a coroutine: its heap calls are not a frame's.
; CHECK-LABEL: define internal void @_Z5plainv(
; CHECK:         [[P:%.*]] = call ptr @_Znwm(i64 8){{$}}
; CHECK:         call void @_ZdlPvm(ptr [[P]], i64 8){{$}}
define void @_Z5plainv() {
  %p = call ptr @_Znwm(i64 8)
  call void @_ZdlPvm(ptr %p, i64 8)
  ret void
}

; CHECK-LABEL: define ptx_kernel void @kernel(
define ptx_kernel void @kernel(ptr %out) {
  call void @_Z5counti(ptr sret(ptr) align 8 %out, i32 1)
  call void @_Z6mallocv(ptr %out, i1 false)
  call void @_Z7custompv(ptr %out)
  call void @_Z5plainv()
  ret void
}

declare ptr @_Znwm(i64)
declare ptr @_ZnwmSt11align_val_t(i64, i64)
declare void @_ZdlPvm(ptr, i64)
declare ptr @malloc(i64)
declare void @free(ptr)
declare ptr @_ZN7promisenwEm(i64)
declare void @_ZN7promisedlEPv(ptr)
declare token @llvm.coro.id(i32, ptr readnone, ptr readonly captures(none), ptr)
declare i1 @llvm.coro.alloc(token)
declare i64 @llvm.coro.size.i64()
declare ptr @llvm.coro.begin(token, ptr writeonly)
declare i8 @llvm.coro.suspend(token, i1)
declare ptr @llvm.coro.free(token, ptr readonly captures(none))
declare void @llvm.coro.end(ptr, i1, token)

attributes #0 = { presplitcoroutine }

; CHECK: attributes #[[NOINLINE]] = { noinline }

; CHECK:      !coroptx.coroutines = !{![[COUNT_ENTRY:[0-9]+]], ![[MALLOC_ENTRY:[0-9]+]], ![[CUSTOM_ENTRY:[0-9]+]]}
; CHECK-NOT:  !coroptx.coroutines
; CHECK-DAG:  ![[COUNT]] = !{!"_Z5counti"}
; CHECK-DAG:  ![[COUNT_ENTRY]] = !{!"_Z5counti", i32 {{[0-9]+}}}
; CHECK-DAG:  ![[MALLOC]] = !{!"_Z6mallocv"}
; CHECK-DAG:  ![[MALLOC_ENTRY]] = !{!"_Z6mallocv", i32 {{[0-9]+}}}
; CHECK-DAG:  ![[CUSTOM_ENTRY]] = !{!"_Z7custompv", i32 {{[0-9]+}}}
