//===- LoopPhaseSplitting.h - Trips by the path they take ----*- C++ -*-===//
//-*-===//
#ifndef COROPTX_PASSES_LOOPPHASESPLITTING_H
#define COROPTX_PASSES_LOOPPHASESPLITTING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Splits a loop whose every branch depends only on states that start at
/// constants (a round counter, flattened coroutines' done flags, suspend
/// indices and step counters) into phases: runs of trips, or of groups of
/// trips, that take the same path through the body. Each phase is a copy of
/// that path with its branches gone, looping over its trips. A scheduler
/// loop over coroutines that all finish on the same round becomes the loop
/// a programmer writes for the same work, with its last round apart.
struct LoopPhaseSplittingPass : llvm::PassInfoMixin<LoopPhaseSplittingPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &FAM);
};

} // namespace coroptx

#endif // COROPTX_PASSES_LOOPPHASESPLITTING_H
