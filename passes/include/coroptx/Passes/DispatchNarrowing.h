//===- DispatchNarrowing.h - Which parts a local frame can hold -*- C++ -*-===//
#ifndef COROPTX_PASSES_DISPATCHNARROWING_H
#define COROPTX_PASSES_DISPATCHNARROWING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Folds the compares of a loaded pointer against a function's address
/// where the pointer was read from stack objects of the function that never
/// received that address: a dispatch through a handle into an array of one
/// coroutine's frames keeps only that coroutine's arms.
struct DispatchNarrowingPass : llvm::PassInfoMixin<DispatchNarrowingPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace coroptx

#endif // COROPTX_PASSES_DISPATCHNARROWING_H
