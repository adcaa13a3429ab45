//===- LoweringVerifier.h - Prove the invariants, or stop -------*- C++ -*-===//
#ifndef COROPTX_PASSES_LOWERINGVERIFIER_H
#define COROPTX_PASSES_LOWERINGVERIFIER_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Runs last on a device module. Every device coroutine whose frame would
/// still come from the heap, and every indirect call left in device code, is
/// an error at the user's source line: coroptx never falls back silently.
struct LoweringVerifierPass : llvm::PassInfoMixin<LoweringVerifierPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace coroptx

#endif // COROPTX_PASSES_LOWERINGVERIFIER_H
