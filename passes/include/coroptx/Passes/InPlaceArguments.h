//===- InPlaceArguments.h - C++ objects passed in place, not copied -*- C++ -*-===//
#ifndef COROPTX_PASSES_INPLACEARGUMENTS_H
#define COROPTX_PASSES_INPLACEARGUMENTS_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Passes by-value C++ objects that the caller destroys in place, as the
/// Itanium C++ ABI does, where clang 22's NVPTX target hands the callee a
/// byval copy: a callee that moves out of its parameter would otherwise
/// leave the caller's object untouched, and the caller's destructor would
/// release what the callee took (a coroutine frame, a join handle's slot).
struct InPlaceArgumentsPass : llvm::PassInfoMixin<InPlaceArgumentsPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace coroptx

#endif // COROPTX_PASSES_INPLACEARGUMENTS_H
