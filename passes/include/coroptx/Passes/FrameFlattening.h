//===- FrameFlattening.h - Frames whose handles never leave -----*- C++ -*-===//
#ifndef COROPTX_PASSES_FRAMEFLATTENING_H
#define COROPTX_PASSES_FRAMEFLATTENING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Rewrites the coroutine handles that point into a stack object of one
/// function (a kernel's placed frames) as small integer codes, so that every
/// access to the object lands at a constant offset and SROA can keep the
/// frames in registers. Only a closed object is touched: its address never
/// leaves the function except as a code in its own pointer slots.
struct FrameFlatteningPass : llvm::PassInfoMixin<FrameFlatteningPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
};

} // namespace coroptx

#endif // COROPTX_PASSES_FRAMEFLATTENING_H
