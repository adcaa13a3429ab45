//===- FrameReport.h - Say what became of each coroutine frame --*- C++ -*-===//
#ifndef COROPTX_PASSES_FRAMEREPORT_H
#define COROPTX_PASSES_FRAMEREPORT_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Runs once every device coroutine is split and its callers had their
/// chance to take its frame. For each coroutine, -Rpass=coroptx reports its
/// frame bytes, its suspend points and that its frame lives in its callers,
/// or that CoroElide left it on the heap; LocalFramePlacementPass reports
/// what becomes of those (-Rpass, or -Rpass-missed with the reason).
struct FrameReportPass : llvm::PassInfoMixin<FrameReportPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace coroptx

#endif // COROPTX_PASSES_FRAMEREPORT_H
