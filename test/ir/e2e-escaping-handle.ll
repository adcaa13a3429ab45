; Purpose: end to end through opt, a coroutine whose handle escapes the kernel (stored to a __device__ variable) keeps a heap frame, and the pipeline stops with an error naming the coroutine, at -O0 and -O2.
;
; The lazy coroutine of e2e-lazy-coroutine.ll, but the kernel stores the
; handle in a global instead of destroying it:
;   __device__ std::coroutine_handle<> leak;
;   __global__ void k(int *out, int x) {
;     lazy l = twice(x); l.h.resume(); *out = l.h.promise().v; leak = l.h;
;   }
;
; RUN: not %opt-coroptx -passes='default<O2>' -disable-output %s 2>&1 | FileCheck %s
; RUN: sed -e 's/"target-cpu"="sm_90"/noinline optnone "target-cpu"="sm_90"/' %s \
; RUN:   | not %opt-coroptx -passes='default<O0>' -disable-output 2>&1 | FileCheck %s
; Without the verifier the heap traffic is visible, still tagged.
; RUN: %opt-coroptx -passes='default<O2>' -coroptx-verify=false -S %s | FileCheck %s --check-prefix=IR

; CHECK: error: {{.*}}coroptx: the frame of device coroutine 'twice(int)' would be allocated on the heap
; CHECK-NOT: error:

; IR-LABEL: define dso_local ptx_kernel void @_Z1kPii(
; IR:         call {{.*}}ptr @_Znwm(i64 noundef {{[0-9]+}}) #{{[0-9]+}}, !coroptx.frame.alloc ![[C:[0-9]+]]
; IR:         store ptr {{%.*}}, ptr addrspace(1) @leak
; IR:       call void @_ZdlPvm({{.*}}) #{{[0-9]+}}, !coroptx.frame.free ![[C]]
; IR:       ![[C]] = !{!"_Z5twicei"}

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

%struct.lazy = type { ptr }
%"struct.lazy::promise_type" = type { i32 }
%"struct.std::suspend_always" = type { i8 }

@leak = addrspace(1) global ptr null

; lazy twice(int x) { co_return 2 * x; }
define dso_local void @_Z5twicei(ptr noalias writable sret(%struct.lazy) align 8 %ret, i32 noundef %x) #0 {
entry:
  %promise = alloca %"struct.lazy::promise_type", align 4
  %init = alloca %"struct.std::suspend_always", align 1
  %final = alloca %"struct.std::suspend_always", align 1
  %id = call token @llvm.coro.id(i32 16, ptr %promise, ptr null, ptr null)
  %need.alloc = call i1 @llvm.coro.alloc(token %id)
  br i1 %need.alloc, label %alloc, label %begin

alloc:
  %size = call i64 @llvm.coro.size.i64()
  %mem = call noalias noundef nonnull ptr @_Znwm(i64 noundef %size) #3
  br label %begin

begin:
  %frame = phi ptr [ null, %entry ], [ %mem, %alloc ]
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %frame)
  store i32 %x, ptr %promise, align 4
  %p = call ptr @llvm.coro.promise(ptr %promise, i32 4, i1 true)
  store ptr %p, ptr %ret, align 8
  %save.init = call token @llvm.coro.save(ptr null)
  call void @llvm.coro.await.suspend.void(ptr %init, ptr %hdl, ptr @_Z5twicei.__await_suspend_wrapper__init)
  %s.init = call i8 @llvm.coro.suspend(token %save.init, i1 false)
  switch i8 %s.init, label %suspend [
    i8 0, label %body
    i8 1, label %cleanup
  ]

body:
  %twice = mul nsw i32 2, %x
  store i32 %twice, ptr %promise, align 4
  %save.final = call token @llvm.coro.save(ptr null)
  call void @llvm.coro.await.suspend.void(ptr %final, ptr %hdl, ptr @_Z5twicei.__await_suspend_wrapper__final)
  %s.final = call i8 @llvm.coro.suspend(token %save.final, i1 true)
  switch i8 %s.final, label %suspend [
    i8 0, label %cleanup
    i8 1, label %cleanup
  ]

cleanup:
  %tofree = call ptr @llvm.coro.free(token %id, ptr %hdl)
  %nonnull = icmp ne ptr %tofree, null
  br i1 %nonnull, label %dealloc, label %suspend

dealloc:
  %fsize = call i64 @llvm.coro.size.i64()
  call void @_ZdlPvm(ptr noundef %tofree, i64 noundef %fsize) #4
  br label %suspend

suspend:
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

define internal void @_Z5twicei.__await_suspend_wrapper__init(ptr noundef nonnull %awaiter, ptr noundef %h) #1 {
  ret void
}

define internal void @_Z5twicei.__await_suspend_wrapper__final(ptr noundef nonnull %awaiter, ptr noundef %h) #1 {
  ret void
}

; __global__ void k(int *out, int x) {
;   lazy l = twice(x); l.h.resume(); *out = l.h.promise().v;   // ~lazy destroys
; }
define dso_local ptx_kernel void @_Z1kPii(ptr noundef %out, i32 noundef %x) #2 {
entry:
  %l = alloca %struct.lazy, align 8
  call void @_Z5twicei(ptr writable sret(%struct.lazy) align 8 %l, i32 noundef %x) #4
  %h = load ptr, ptr %l, align 8
  call void @llvm.coro.resume(ptr %h)
  %h1 = load ptr, ptr %l, align 8
  %promise = call ptr @llvm.coro.promise(ptr %h1, i32 4, i1 false)
  %v = load i32, ptr %promise, align 4
  store i32 %v, ptr %out, align 4
  %h2 = load ptr, ptr %l, align 8
  store ptr %h2, ptr addrspace(1) @leak, align 8
  ret void
}

declare noundef nonnull ptr @_Znwm(i64 noundef) #5
declare void @_ZdlPvm(ptr noundef, i64 noundef) #5
declare token @llvm.coro.id(i32, ptr readnone, ptr readonly captures(none), ptr)
declare i1 @llvm.coro.alloc(token)
declare i64 @llvm.coro.size.i64()
declare ptr @llvm.coro.begin(token, ptr writeonly)
declare token @llvm.coro.save(ptr)
declare void @llvm.coro.await.suspend.void(ptr, ptr, ptr)
declare i8 @llvm.coro.suspend(token, i1)
declare ptr @llvm.coro.free(token, ptr readonly captures(none))
declare void @llvm.coro.end(ptr, i1, token)
declare ptr @llvm.coro.promise(ptr captures(none), i32, i1)
declare void @llvm.coro.resume(ptr)
declare void @llvm.coro.destroy(ptr)

attributes #0 = { convergent mustprogress nounwind presplitcoroutine "target-cpu"="sm_90" }
attributes #1 = { alwaysinline mustprogress }
attributes #2 = { convergent mustprogress noinline norecurse nounwind "target-cpu"="sm_90" }
attributes #3 = { convergent nounwind allocsize(0) }
attributes #4 = { convergent nounwind }
attributes #5 = { convergent nobuiltin nounwind }
