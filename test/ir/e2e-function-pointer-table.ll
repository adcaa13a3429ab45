; Purpose: end to end through opt at -O1..-O3, a call through a __device__ table of function pointers (no coroutine) is devirtualized and folded; the verifier accepts the module.
;   __device__ void one(int *p) { *p = 1; }
;   __device__ void two(int *p) { *p = 2; }
;   __device__ void (*table[])(int *) = {one, two};
;   __global__ void k(int *p, int i) { table[i](p); }
; RUN: %opt-coroptx -passes='default<O1>' -S %s | FileCheck %s
; RUN: %opt-coroptx -passes='default<O2>' -S %s | FileCheck %s
; RUN: %opt-coroptx -passes='default<O3>' -S %s | FileCheck %s

; The table is host-visible and keeps both functions address-taken.
; CHECK:       @table = {{.*}}addrspace(1) externally_initialized global [2 x ptr] [ptr @_Z3onePi, ptr @_Z3twoPi]
; CHECK-LABEL: define ptx_kernel void @_Z1kPii(
; CHECK:         [[FP:%.*]] = load ptr, ptr addrspace(1) {{%.*}}, align 8
; CHECK-NEXT:    [[IS_ONE:%.*]] = icmp eq ptr [[FP]], @_Z3onePi
; CHECK-NEXT:    [[V:%.*]] = select i1 [[IS_ONE]], i32 1, i32 2
; CHECK-NEXT:    store i32 [[V]], ptr %p, align 4
; CHECK-NEXT:    ret void
; CHECK-NOT:   call {{[^@%]*}}%{{[^ ]*}}(

target triple = "nvptx64-nvidia-cuda"

@table = addrspace(1) externally_initialized global [2 x ptr] [ptr @_Z3onePi, ptr @_Z3twoPi], align 8

define void @_Z3onePi(ptr noundef %p) {
  store i32 1, ptr %p, align 4
  ret void
}

define void @_Z3twoPi(ptr noundef %p) {
  store i32 2, ptr %p, align 4
  ret void
}

define ptx_kernel void @_Z1kPii(ptr noundef %p, i32 noundef %i) {
  %idx = sext i32 %i to i64
  %slot = getelementptr inbounds [2 x ptr], ptr addrspace(1) @table, i64 0, i64 %idx
  %fp = load ptr, ptr addrspace(1) %slot, align 8
  call void %fp(ptr noundef %p)
  ret void
}
