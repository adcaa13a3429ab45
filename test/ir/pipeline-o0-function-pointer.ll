; Purpose: at default<O0> a device module without coroutines but with a call through a function-pointer table must compile as it does at -O1..-O3.

; At -O0 a module without coroutines skips the nested O1 pipeline, so the
; devirtualizer also runs at the outer end, before the verifier:
;   __device__ void one(int *p) { *p = 1; }
;   __device__ void two(int *p) { *p = 2; }
;   __device__ void (*table[])(int *) = {one, two};
;   __global__ void k(int *p, int i) { table[i](p); }
;
; RUN: %opt-coroptx -passes='default<O0>' -S %s | FileCheck %s

; CHECK-LABEL: define ptx_kernel void @_Z1kPii(
; CHECK-NOT:   call {{[^@%]*}}%{{[^ ]*}}(
; CHECK:       ret void

target triple = "nvptx64-nvidia-cuda"

@table = addrspace(1) externally_initialized global [2 x ptr] [ptr @_Z3onePi, ptr @_Z3twoPi], align 8

define void @_Z3onePi(ptr noundef %p) #0 {
  store i32 1, ptr %p, align 4
  ret void
}

define void @_Z3twoPi(ptr noundef %p) #0 {
  store i32 2, ptr %p, align 4
  ret void
}

define ptx_kernel void @_Z1kPii(ptr noundef %p, i32 noundef %i) #0 {
  %idx = sext i32 %i to i64
  %slot = getelementptr inbounds [2 x ptr], ptr addrspace(1) @table, i64 0, i64 %idx
  %fp = load ptr, ptr addrspace(1) %slot, align 8
  call void %fp(ptr noundef %p)
  ret void
}

attributes #0 = { noinline optnone }
