//===- DeadDispatchArms.h - Dispatch arms no frame can take -----*- C++ -*-===//
#ifndef COROPTX_PASSES_DEADDISPATCHARMS_H
#define COROPTX_PASSES_DEADDISPATCHARMS_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Folds the compares of a dispatch against a coroutine part whose address
/// no longer reaches any frame (every frame that stored it was placed, and
/// placed frames store the cleanup part instead), so the arm, the part and
/// the heap free inside it go away.
struct DeadDispatchArmsPass : llvm::PassInfoMixin<DeadDispatchArmsPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace coroptx

#endif // COROPTX_PASSES_DEADDISPATCHARMS_H
