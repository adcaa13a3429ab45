//===- MergedBranchThreading.h - Branches on a merged constant -*- C++ -*-===//
#ifndef COROPTX_PASSES_MERGEDBRANCHTHREADING_H
#define COROPTX_PASSES_MERGEDBRANCHTHREADING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Sends each predecessor of a block that only merges values and branches on
/// one of them, a constant from that predecessor, straight to the successor
/// the constant picks. The end of an inlined resume part is such a block: it
/// merges the frame's fields and a flag that says whether the resume is over,
/// so every field is merged from the paths that leave and the path that goes
/// on. Threaded, the path that goes on keeps its own values.
struct MergedBranchThreadingPass
    : llvm::PassInfoMixin<MergedBranchThreadingPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &FAM);
};

} // namespace coroptx

#endif // COROPTX_PASSES_MERGEDBRANCHTHREADING_H
