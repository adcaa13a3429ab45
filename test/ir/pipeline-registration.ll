; Purpose: the plugin puts the coroptx passes into default<O1..O3>: InPlaceArgumentsPass, AwaitedFactoryInliningPass and ClosedWorldPass at pipeline start (before CoroEarly), SpillComputedValuesPass at the end of function simplification (before CoroSplit), ReleaseSpilledValuesPass, the frame report and the devirtualizer after the coroutines are split (followed by an inliner round only when it made a call direct), NoSecondUnrolling after the late stages, and DeadDispatchArms, GlobalDCE and LoweringVerifierPass last.
; RUN: rm -rf %t && split-file %s %t
; RUN: %opt-coroptx -passes='default<O1>' -debug-pass-manager -disable-output %t/indirect.ll 2>&1 | FileCheck %s
; RUN: %opt-coroptx -passes='default<O2>' -debug-pass-manager -disable-output %t/indirect.ll 2>&1 | FileCheck %s
; RUN: %opt-coroptx -passes='default<O3>' -debug-pass-manager -disable-output %t/indirect.ll 2>&1 | FileCheck %s
; RUN: %opt-coroptx -passes='default<O2>' -debug-pass-manager -disable-output %t/direct.ll 2>&1 | FileCheck %s --check-prefix=DIRECT

; CHECK:     Running pass: coroptx::InPlaceArgumentsPass on [module]
; CHECK-NEXT: Running pass: coroptx::AwaitedFactoryInliningPass on [module]
; CHECK-NEXT: Running pass: coroptx::ClosedWorldPass on [module]
; CHECK-NOT: {{coroptx::.* on \[module\]}}
; CHECK:     Running pass: CoroEarlyPass on [module]
; CHECK:     Running pass: coroptx::SpillComputedValuesPass on
; CHECK:     Running pass: CoroSplitPass on
; CHECK:     Running pass: CoroCleanupPass on [module]
; CHECK-NOT: {{coroptx::.* on \[module\]}}
; CHECK:     Running pass: coroptx::ReleaseSpilledValuesPass on [module]
; CHECK-NEXT: Running pass: coroptx::FrameReportPass on [module]
; CHECK-NEXT: Running pass: {{.*}}DevirtualizeAndInline on [module]
; The indirect call became direct: the inliner runs once more.
; CHECK:     Running pass: InlinerPass on
; CHECK:     Running pass: {{.*}}PlaceFramesAndSimplify on [module]
; CHECK-NOT: {{coroptx::.* on \[module\]}}
; At the end, after LoopUnroll: the compares of webs of constants again
; (the handles of an unrolled spawn loop), the phis that always agree,
; merged branches, then the loops LoopUnroll copied are marked nounroll.
; CHECK:     Running pass: {{.*}}LateConstantPhiCompares on
; CHECK:     Running pass: {{.*}}LateCongruentPhis on
; CHECK:     Running pass: {{.*}}LateMergedBranchThreading on
; CHECK:     Running pass: coroptx::NoSecondUnrollingPass on
; CHECK-NOT: {{coroptx::.* on \[module\]}}
; CHECK:     Running pass: coroptx::DeadDispatchArmsPass on [module]
; CHECK-NEXT: Running pass: GlobalDCEPass on [module]
; CHECK-NOT:  Running pass:
; CHECK:      Running pass: coroptx::LoweringVerifierPass on [module]
; CHECK-NOT: {{coroptx::.* on \[module\]}}
; CHECK-NOT: DevirtualizeAndInline

; Nothing to devirtualize: no extra inliner round.
; DIRECT:     Running pass: coroptx::ClosedWorldPass on [module]
; DIRECT:     Running pass: {{.*}}DevirtualizeAndInline on [module]
; DIRECT-NOT: Running pass: InlinerPass
; DIRECT:     Running pass: coroptx::LoweringVerifierPass on [module]
; DIRECT-NOT: coroptx::

;--- indirect.ll
; __device__ void (*table[])(int *) = {one, two};
; __global__ void k(int *p, int i) { table[i](p); }
target triple = "nvptx64-nvidia-cuda"

@table = addrspace(1) externally_initialized global [2 x ptr] [ptr @_Z3onePi, ptr @_Z3twoPi], align 8

define void @_Z3onePi(ptr %p) {
  store i32 1, ptr %p, align 4
  ret void
}

define void @_Z3twoPi(ptr %p) {
  store i32 2, ptr %p, align 4
  ret void
}

define ptx_kernel void @_Z1kPii(ptr %p, i32 %i) {
  %idx = sext i32 %i to i64
  %slot = getelementptr inbounds [2 x ptr], ptr addrspace(1) @table, i64 0, i64 %idx
  %fp = load ptr, ptr addrspace(1) %slot, align 8
  call void %fp(ptr %p)
  ret void
}

;--- direct.ll
target triple = "nvptx64-nvidia-cuda"

define void @_Z3onePi(ptr %p) {
  store i32 1, ptr %p, align 4
  ret void
}

define ptx_kernel void @_Z1kPi(ptr %p) {
  call void @_Z3onePi(ptr %p)
  ret void
}
