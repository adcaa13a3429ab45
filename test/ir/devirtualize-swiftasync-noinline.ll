; Purpose: a direct call coroptx-devirtualize makes to a function taking a swiftasync context is kept from inlining: LLVM 22's inliner would leave that callee's DW_OP_LLVM_entry_value debug record on a value that is no longer an argument, which the verifier rejects.
; RUN: %opt-coroptx -passes=coroptx-devirtualize -S %s | FileCheck %s
; RUN: %opt-coroptx -passes='default<O2>' -verify-each -disable-output %s
; CHECK-LABEL: define void @caller(
; CHECK: call void @callee(ptr null) #[[NOINLINE:[0-9]+]]
; CHECK: attributes #[[NOINLINE]] = { noinline }
target triple = "nvptx64-nvidia-cuda"

@slot = global ptr @callee
@llvm.used = appending global [1 x ptr] [ptr @caller], section "llvm.metadata"

define void @caller() {
  %fn = load volatile ptr, ptr @slot
  call void %fn(ptr null)
  ret void
}

declare void @use(ptr)

define void @callee(ptr swiftasync %ctx) !dbg !4 {
    #dbg_declare(ptr %ctx, !5, !DIExpression(DW_OP_LLVM_entry_value, 1), !6)
  call void @use(ptr %ctx), !dbg !6
  ret void
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_Swift, file: !1, emissionKind: FullDebug)
!1 = !DIFile(filename: "repro.swift", directory: "/")
!2 = !DISubroutineType(types: !{})
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = distinct !DISubprogram(name: "callee", scope: !1, file: !1, line: 1, type: !2, spFlags: DISPFlagDefinition, unit: !0)
!5 = !DILocalVariable(name: "ctx", scope: !4, file: !1, line: 1, type: null)
!6 = !DILocation(line: 1, scope: !4)
