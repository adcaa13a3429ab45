; Purpose: a direct call coroptx-devirtualize creates in a function with debug info gets a !dbg location (line 0 of the caller when the indirect call had none), so the verifier accepts the module ("inlinable function call in a function with debug info must have a !dbg location").
; RUN: %opt-coroptx -passes=coroptx-devirtualize -S %s | FileCheck %s
; RUN: %opt-coroptx -passes='default<O2>' -disable-output %s

target triple = "nvptx64-nvidia-cuda"

@table = global ptr @target

define void @target(ptr %p) !dbg !4 {
  ret void
}

; CHECK-LABEL: define void @caller(
; CHECK: call void @target(ptr null), !dbg [[LINE0:![0-9]+]]
; CHECK-DAG: [[LINE0]] = !DILocation(line: 0, scope: [[CALLER:![0-9]+]])
; CHECK-DAG: [[CALLER]] = distinct !DISubprogram(name: "caller"
define void @caller() !dbg !5 {
  %fn = load ptr, ptr @table
  call void %fn(ptr null)
  ret void
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, emissionKind: FullDebug)
!1 = !DIFile(filename: "repro.cu", directory: "/")
!2 = !DISubroutineType(types: !{})
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = distinct !DISubprogram(name: "target", scope: !1, file: !1, line: 1, type: !2, spFlags: DISPFlagDefinition, unit: !0)
!5 = distinct !DISubprogram(name: "caller", scope: !1, file: !1, line: 2, type: !2, spFlags: DISPFlagDefinition, unit: !0)
