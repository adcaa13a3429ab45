; Purpose: end to end through opt, a task<int> awaiting another task (symmetric transfer, the noop coroutine as final continuation) driven by block_on in a kernel: both frames are placed in the kernel's frame, the transfers run in a loop, and every resume through a handle is devirtualized; no heap and no indirect call at -O0 and -O2.
;
; Reduced by hand from clang's device IR (-O2 -Xclang -disable-llvm-passes,
; with -fplugin=CoroPTX.so) for the coroptx runtime's task and block_on:
;   __device__ task<int> dbl(int x) { co_return x * 2; }
;   __device__ task<int> add_dbl(int a, int b) { co_return co_await dbl(a + b); }
;   __global__ void k(int *out, int a, int b) { *out = block_on(add_dbl(a, b)); }
; The device operator new/delete are clang's inline wrappers around
; malloc/free, as the CUDA headers define them.
;
; RUN: %opt-coroptx -passes='default<O2>' -S %s -o %t.o2.ll
; RUN: FileCheck %s < %t.o2.ll
; RUN: FileCheck %s --check-prefix=CLEAN < %t.o2.ll
; The -O0 run gives every function clang's -O0 attributes (noinline optnone).
; RUN: sed -e 's/"target-cpu"="sm_90"/noinline optnone "target-cpu"="sm_90"/' %s \
; RUN:   | %opt-coroptx -passes='default<O0>' -S -o %t.o0.ll
; RUN: FileCheck %s --check-prefix=O0 < %t.o0.ll
; RUN: FileCheck %s --check-prefix=CLEAN < %t.o0.ll

; Both frames are placed in the kernel, and the transfers run in the transfer
; loop, inlined into the kernel. The placed frames became SSA values
; (FrameFlattening), the dispatch compares tests of the frames' codes, and
; DFA jump threading runs each resume part straight after the one that
; transfers to it: no loop is left, only the arithmetic of the two tasks.
; CHECK-LABEL: define dso_local ptx_kernel void @_Z1kPiii(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %sum.i = add nsw i32 %b, %a
; CHECK-NEXT:    %v.i.i.i = shl nsw i32 %sum.i, 1
; CHECK-NEXT:    store i32 %v.i.i.i, ptr %out, align 4
; CHECK-NEXT:    ret void
; CHECK-NEXT:  }

; At -O0 (the nested O1 pipeline) the same: the destroy dispatch is inlined
; for flattening, and its arm for add_dbl's frame, reached with dbl's frame,
; loads its pointers past the end of the kernel's object: no frame is there,
; so those loads never run and the frames still become SSA values.
; O0-LABEL: define dso_local ptx_kernel void @_Z1kPiii(
; O0-NEXT:  entry:
; O0-NEXT:    %sum.i = add nsw i32 %b, %a
; O0-NEXT:    %v.i.i.i = shl nsw i32 %sum.i, 1
; O0-NEXT:    store i32 %v.i.i.i, ptr %out, align 4
; O0-NEXT:    ret void
; O0-NEXT:  }

; No ramp is left, and nothing of the heap.
; CLEAN-NOT: define {{.*}}@_Z3dbli(
; CLEAN-NOT: define {{.*}}@_Z7add_dblii(
; CLEAN-NOT: @_Znwm
; CLEAN-NOT: @_ZdlPv
; CLEAN-NOT: @malloc
; CLEAN-NOT: @free
; CLEAN-NOT: call {{[^@%]*}}%{{[^ ]*}}(
; CLEAN-NOT: !coroptx.frame

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

; task<int>'s promise: { continuation handle, int value, bool has_value }.
%promise = type <{ ptr, i32, i8, [3 x i8] }>

@_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE = dso_local addrspace(1) externally_initialized global { ptr, ptr, [8 x i8] } { ptr @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv, ptr @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv, [8 x i8] undef }, align 8
@llvm.compiler.used = appending global [1 x ptr] [ptr addrspacecast (ptr addrspace(1) @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE to ptr)], section "llvm.metadata"

; task<int> dbl(int x) { co_return x * 2; }
define dso_local void @_Z3dbli(ptr noalias writable sret(ptr) align 8 %ret, i32 noundef %x) #0 {
entry:
  %pr = alloca %promise, align 8
  %init = alloca i8, align 1
  %final = alloca i8, align 1
  %id = call token @llvm.coro.id(i32 16, ptr %pr, ptr null, ptr null)
  %need.alloc = call i1 @llvm.coro.alloc(token %id)
  br i1 %need.alloc, label %alloc, label %begin

alloc:
  %size = call i64 @llvm.coro.size.i64()
  %mem = call noalias noundef nonnull ptr @_Znwm(i64 noundef %size) #5
  br label %begin

begin:
  %frame = phi ptr [ null, %entry ], [ %mem, %alloc ]
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %frame)
  store ptr addrspacecast (ptr addrspace(1) @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE to ptr), ptr %pr, align 8
  %has = getelementptr inbounds nuw %promise, ptr %pr, i32 0, i32 2
  store i8 0, ptr %has, align 4
  %self = call ptr @llvm.coro.promise(ptr %pr, i32 8, i1 true)
  store ptr %self, ptr %ret, align 8
  %save.init = call token @llvm.coro.save(ptr null)
  call void @llvm.coro.await.suspend.void(ptr %init, ptr %hdl, ptr @_Z3dbli.__await_suspend_wrapper__init)
  %s.init = call i8 @llvm.coro.suspend(token %save.init, i1 false)
  switch i8 %s.init, label %suspend [
    i8 0, label %body
    i8 1, label %cleanup
  ]

body:
  %v = mul nsw i32 %x, 2
  %val = getelementptr inbounds nuw %promise, ptr %pr, i32 0, i32 1
  store i32 %v, ptr %val, align 4
  store i8 1, ptr %has, align 4
  %save.final = call token @llvm.coro.save(ptr null)
  call void @llvm.coro.await.suspend.handle(ptr %final, ptr %hdl, ptr @_Z3dbli.__await_suspend_wrapper__final)
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
  call void @_ZdlPvm(ptr noundef %tofree, i64 noundef %fsize) #6
  br label %suspend

suspend:
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

define internal void @_Z3dbli.__await_suspend_wrapper__init(ptr noundef nonnull %awaiter, ptr noundef %h) #1 {
  ret void
}

; final_awaiter::await_suspend: return self.promise().continuation_
define internal noundef ptr @_Z3dbli.__await_suspend_wrapper__final(ptr noundef nonnull %awaiter, ptr noundef %h) #1 {
  %pr = call ptr @llvm.coro.promise(ptr %h, i32 8, i1 false)
  %cont = load ptr, ptr %pr, align 8
  ret ptr %cont
}

; task<int> add_dbl(int a, int b) { co_return co_await dbl(a + b); }
define dso_local void @_Z7add_dblii(ptr noalias writable sret(ptr) align 8 %ret, i32 noundef %a, i32 noundef %b) #0 {
entry:
  %pr = alloca %promise, align 8
  %init = alloca i8, align 1
  %child = alloca ptr, align 8
  %final = alloca i8, align 1
  %id = call token @llvm.coro.id(i32 16, ptr %pr, ptr null, ptr null)
  %need.alloc = call i1 @llvm.coro.alloc(token %id)
  br i1 %need.alloc, label %alloc, label %begin

alloc:
  %size = call i64 @llvm.coro.size.i64()
  %mem = call noalias noundef nonnull ptr @_Znwm(i64 noundef %size) #5
  br label %begin

begin:
  %frame = phi ptr [ null, %entry ], [ %mem, %alloc ]
  %hdl = call ptr @llvm.coro.begin(token %id, ptr %frame)
  store ptr addrspacecast (ptr addrspace(1) @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE5_S_frE to ptr), ptr %pr, align 8
  %has = getelementptr inbounds nuw %promise, ptr %pr, i32 0, i32 2
  store i8 0, ptr %has, align 4
  %self = call ptr @llvm.coro.promise(ptr %pr, i32 8, i1 true)
  store ptr %self, ptr %ret, align 8
  %save.init = call token @llvm.coro.save(ptr null)
  call void @llvm.coro.await.suspend.void(ptr %init, ptr %hdl, ptr @_Z7add_dblii.__await_suspend_wrapper__init)
  %s.init = call i8 @llvm.coro.suspend(token %save.init, i1 false)
  switch i8 %s.init, label %suspend [
    i8 0, label %body
    i8 1, label %cleanup
  ]

body:
  %sum = add nsw i32 %a, %b
  call void @_Z3dbli(ptr writable sret(ptr) align 8 %child, i32 noundef %sum) #7
  %save.await = call token @llvm.coro.save(ptr null)
  call void @llvm.coro.await.suspend.handle(ptr %child, ptr %hdl, ptr @_Z7add_dblii.__await_suspend_wrapper__await)
  %s.await = call i8 @llvm.coro.suspend(token %save.await, i1 false)
  switch i8 %s.await, label %suspend [
    i8 0, label %resumed
    i8 1, label %destroy.child
  ]

resumed:
  %ch = load ptr, ptr %child, align 8
  %chpr = call ptr @llvm.coro.promise(ptr %ch, i32 8, i1 false)
  %chval = getelementptr inbounds nuw %promise, ptr %chpr, i32 0, i32 1
  %r = load i32, ptr %chval, align 4
  %val = getelementptr inbounds nuw %promise, ptr %pr, i32 0, i32 1
  store i32 %r, ptr %val, align 4
  store i8 1, ptr %has, align 4
  br label %destroy.child

destroy.child:
  %dest = phi i32 [ 0, %resumed ], [ 2, %body ]
  %ch2 = load ptr, ptr %child, align 8
  %live = icmp ne ptr %ch2, null
  br i1 %live, label %do.destroy, label %after.child

do.destroy:
  call void @llvm.coro.destroy(ptr %ch2)
  br label %after.child

after.child:
  %go.on = icmp eq i32 %dest, 0
  br i1 %go.on, label %final.suspend, label %cleanup

final.suspend:
  %save.final = call token @llvm.coro.save(ptr null)
  call void @llvm.coro.await.suspend.handle(ptr %final, ptr %hdl, ptr @_Z7add_dblii.__await_suspend_wrapper__final)
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
  call void @_ZdlPvm(ptr noundef %tofree, i64 noundef %fsize) #6
  br label %suspend

suspend:
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

define internal void @_Z7add_dblii.__await_suspend_wrapper__init(ptr noundef nonnull %awaiter, ptr noundef %h) #1 {
  ret void
}

; task::await_suspend: child.promise().continuation_ = awaiter; return child
define internal noundef ptr @_Z7add_dblii.__await_suspend_wrapper__await(ptr noundef nonnull %awaiter, ptr noundef %h) #1 {
  %ch = load ptr, ptr %awaiter, align 8
  %chpr = call ptr @llvm.coro.promise(ptr %ch, i32 8, i1 false)
  store ptr %h, ptr %chpr, align 8
  ret ptr %ch
}

define internal noundef ptr @_Z7add_dblii.__await_suspend_wrapper__final(ptr noundef nonnull %awaiter, ptr noundef %h) #1 {
  %pr = call ptr @llvm.coro.promise(ptr %h, i32 8, i1 false)
  %cont = load ptr, ptr %pr, align 8
  ret ptr %cont
}

; __global__ void k(int *out, int a, int b) { *out = block_on(add_dbl(a, b)); }
define dso_local ptx_kernel void @_Z1kPiii(ptr noundef %out, i32 noundef %a, i32 noundef %b) #2 {
entry:
  %t = alloca ptr, align 8
  call void @_Z7add_dblii(ptr writable sret(ptr) align 8 %t, i32 noundef %a, i32 noundef %b) #6
  %h = load ptr, ptr %t, align 8
  call void @llvm.coro.resume(ptr %h)
  %done = call i1 @llvm.coro.done(ptr %h)
  br i1 %done, label %take, label %trap

trap:
  call void @llvm.trap()
  unreachable

take:
  %pr = call ptr @llvm.coro.promise(ptr %h, i32 8, i1 false)
  %val = getelementptr inbounds nuw %promise, ptr %pr, i32 0, i32 1
  %v = load i32, ptr %val, align 4
  store i32 %v, ptr %out, align 4
  %h2 = load ptr, ptr %t, align 8
  %live = icmp ne ptr %h2, null
  br i1 %live, label %destroy, label %exit

destroy:
  call void @llvm.coro.destroy(ptr %h2)
  br label %exit

exit:
  ret void
}

; The device operator new and delete of the CUDA headers: inline wrappers
; around malloc and free.
define linkonce_odr dso_local noundef nonnull ptr @_Znwm(i64 noundef %n) #3 {
  %zero = icmp eq i64 %n, 0
  %sz = select i1 %zero, i64 1, i64 %n
  %p = call ptr @malloc(i64 noundef %sz) #6
  ret ptr %p
}

define linkonce_odr dso_local void @_ZdlPvm(ptr noundef %p, i64 noundef %n) #4 {
  call void @free(ptr noundef %p) #6
  ret void
}

define linkonce_odr dso_local void @_ZNSt7__n486116coroutine_handleINS_22noop_coroutine_promiseEE7__frame22__dummy_resume_destroyEv() #4 {
  ret void
}

declare noalias ptr @malloc(i64 noundef)
declare void @free(ptr noundef)
declare token @llvm.coro.id(i32, ptr readnone, ptr readonly captures(none), ptr)
declare i1 @llvm.coro.alloc(token)
declare i64 @llvm.coro.size.i64()
declare ptr @llvm.coro.begin(token, ptr writeonly)
declare token @llvm.coro.save(ptr)
declare void @llvm.coro.await.suspend.void(ptr, ptr, ptr)
declare void @llvm.coro.await.suspend.handle(ptr, ptr, ptr)
declare i8 @llvm.coro.suspend(token, i1)
declare ptr @llvm.coro.free(token, ptr readonly captures(none))
declare void @llvm.coro.end(ptr, i1, token)
declare ptr @llvm.coro.promise(ptr captures(none), i32, i1)
declare void @llvm.coro.resume(ptr)
declare void @llvm.coro.destroy(ptr)
declare i1 @llvm.coro.done(ptr readonly captures(none))
declare void @llvm.trap()

attributes #0 = { convergent mustprogress nounwind presplitcoroutine "target-cpu"="sm_90" }
attributes #1 = { alwaysinline mustprogress }
attributes #2 = { convergent mustprogress noinline norecurse nounwind "target-cpu"="sm_90" }
attributes #3 = { convergent mustprogress nobuiltin nounwind allocsize(0) "target-cpu"="sm_90" }
attributes #4 = { convergent mustprogress nobuiltin nounwind "target-cpu"="sm_90" }
attributes #5 = { convergent nounwind allocsize(0) }
attributes #6 = { convergent nounwind }
attributes #7 = { convergent coro_elide_safe nounwind }
