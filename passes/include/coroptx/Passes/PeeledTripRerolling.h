//===- PeeledTripRerolling.h - A peeled trip, back in its loop --*- C++ -*-===//
#ifndef COROPTX_PASSES_PEELEDTRIPREROLLING_H
#define COROPTX_PASSES_PEELEDTRIPREROLLING_H

#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Transforms/Scalar/LoopPassManager.h"

namespace coroptx {

/// Moves a trip that was peeled off a loop, and simplified into its
/// preheader, back into the loop: when the preheader computes what one trip
/// of the loop body computes from some start values, the header phis enter
/// at those start values and the loop runs one trip more. A generator's
/// first value, computed by the coroutine's first resume before the
/// consumer's loop, so rejoins the loop, whose trip count is then the
/// generator's (64, not 63) and unrolls as evenly as a hand-written loop.
struct PeeledTripRerollingPass : llvm::PassInfoMixin<PeeledTripRerollingPass> {
  llvm::PreservedAnalyses run(llvm::Loop &L, llvm::LoopAnalysisManager &LAM,
                              llvm::LoopStandardAnalysisResults &AR,
                              llvm::LPMUpdater &Updater);
};

} // namespace coroptx

#endif // COROPTX_PASSES_PEELEDTRIPREROLLING_H
