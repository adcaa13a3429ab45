; Purpose: at default<O0> the plugin adds InPlaceArgumentsPass, AwaitedFactoryInliningPass and ClosedWorldPass, then (for a device module with a presplit coroutine only) a nested O1 pipeline with SpillComputedValuesPass before CoroSplit, then ReleaseSpilledValuesPass, the frame report and the devirtualizer, and DevirtualizePass, DeadDispatchArms, GlobalDCE and LoweringVerifierPass last, each coroptx pass once.
; RUN: rm -rf %t && split-file %s %t
; RUN: %opt-coroptx -passes='default<O0>' -debug-pass-manager -disable-output %t/coro.ll 2>&1 | FileCheck %s --check-prefix=CORO
; RUN: %opt-coroptx -passes='default<O0>' -debug-pass-manager -disable-output %t/plain.ll 2>&1 | FileCheck %s --check-prefix=PLAIN
; With the coroutine lowered in the nested pipeline, nothing of it is left.
; RUN: %opt-coroptx -passes='default<O0>' -S %t/coro.ll | FileCheck %s --check-prefix=IR

; CORO:      Running pass: coroptx::InPlaceArgumentsPass on [module]
; CORO-NEXT: Running pass: coroptx::AwaitedFactoryInliningPass on [module]
; CORO-NEXT: Running pass: coroptx::ClosedWorldPass on [module]
; CORO:      Running pass: {{.*}}OptimizeCoroutineModuleAtO0 on [module]
; CORO-NOT:  {{coroptx::.* on \[module\]}}
; CORO:      Running pass: CoroEarlyPass on [module]
; CORO:      Running pass: InlinerPass on
; CORO:      Running pass: coroptx::SpillComputedValuesPass on
; CORO:      Running pass: CoroSplitPass on
; CORO:      Running pass: CoroCleanupPass on [module]
; CORO-NOT:  {{coroptx::.* on \[module\]}}
; CORO:      Running pass: coroptx::ReleaseSpilledValuesPass on [module]
; CORO-NEXT: Running pass: coroptx::FrameReportPass on [module]
; CORO-NEXT: Running pass: {{.*}}DevirtualizeAndInline on [module]
; CORO:      Running pass: {{.*}}PlaceFramesAndSimplify on [module]
; CORO-NOT:  {{coroptx::.* on \[module\]}}
; CORO:      Running pass: CoroConditionalWrapper on [module]
; CORO:      Running pass: coroptx::DevirtualizePass on [module]
; CORO-NEXT: Running pass: coroptx::DeadDispatchArmsPass on [module]
; CORO-NEXT: Running pass: GlobalDCEPass on [module]
; CORO-NEXT: Running pass: coroptx::LoweringVerifierPass on [module]
; CORO-NOT:  {{coroptx::.* on \[module\]}}

; No coroutine: the nested pipeline is skipped, O0 stays O0.
; PLAIN:      Running pass: coroptx::ClosedWorldPass on [module]
; PLAIN:      Running pass: {{.*}}OptimizeCoroutineModuleAtO0 on [module]
; PLAIN-NOT:  Running pass: CoroEarlyPass
; PLAIN-NOT:  Running pass: InlinerPass
; PLAIN-NOT:  DevirtualizeAndInline
; PLAIN:      Running pass: coroptx::DevirtualizePass on [module]
; PLAIN-NEXT: Running pass: coroptx::DeadDispatchArmsPass on [module]
; PLAIN-NEXT: Running pass: GlobalDCEPass on [module]
; PLAIN-NEXT: Running pass: coroptx::LoweringVerifierPass on [module]
; PLAIN-NOT:  coroptx::

; IR-LABEL: define ptx_kernel void @_Z1kPi(
; IR-NEXT:    store i32 1, ptr %out, align 4
; IR-NEXT:    ret void
; IR-NOT:   @_Z4corov
; IR:       !coroptx.coroutines = !{![[C:[0-9]+]]}
; IR:       ![[C]] = !{!"_Z4corov", i32 {{[0-9]+}}}

;--- coro.ll
target triple = "nvptx64-nvidia-cuda"

; A coroutine with no suspend point, as clang -O0 marks every function.
define void @_Z4corov(ptr %out) #0 {
entry:
  %id = call token @llvm.coro.id(i32 0, ptr null, ptr null, ptr null)
  %hdl = call ptr @llvm.coro.begin(token %id, ptr null)
  store i32 1, ptr %out, align 4
  call void @llvm.coro.end(ptr null, i1 false, token none)
  ret void
}

define ptx_kernel void @_Z1kPi(ptr %out) #1 {
  call void @_Z4corov(ptr %out)
  ret void
}

declare token @llvm.coro.id(i32, ptr readnone, ptr readonly captures(none), ptr)
declare ptr @llvm.coro.begin(token, ptr writeonly)
declare void @llvm.coro.end(ptr, i1, token)

attributes #0 = { noinline optnone presplitcoroutine }
attributes #1 = { noinline optnone }

;--- plain.ll
target triple = "nvptx64-nvidia-cuda"

define void @_Z3onePi(ptr %p) #0 {
  store i32 1, ptr %p, align 4
  ret void
}

define ptx_kernel void @_Z1kPi(ptr %p) #0 {
  call void @_Z3onePi(ptr %p)
  ret void
}

attributes #0 = { noinline optnone }
