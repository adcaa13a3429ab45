//===- UnrollOnce.h - A loop LLVM unrolled, left alone by ptxas -*- C++ -*-===//
#ifndef COROPTX_PASSES_UNROLLONCE_H
#define COROPTX_PASSES_UNROLLONCE_H

#include "llvm/IR/PassManager.h"

namespace llvm {
class Loop;
class ScalarEvolution;
} // namespace llvm

namespace coroptx {

/// Notes \p L's constant trip count in its metadata, before LLVM's last
/// LoopUnroll, so that NoSecondUnrollingPass can tell whether LoopUnroll
/// copied its body. Nothing for a loop without a constant trip count or
/// with an unroll pragma.
void noteTripCountForUnrollOnce(llvm::Loop &L, llvm::ScalarEvolution &SE);

/// At the end of the pipeline: a noted loop that runs fewer trips than it
/// noted was unrolled by LLVM, and gets llvm.loop.unroll.disable, which the
/// NVPTX backend emits as `.pragma "nounroll"`, so that ptxas does not
/// unroll the copies again. The notes are removed.
struct NoSecondUnrollingPass : llvm::PassInfoMixin<NoSecondUnrollingPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &FAM);
};

} // namespace coroptx

#endif // COROPTX_PASSES_UNROLLONCE_H
