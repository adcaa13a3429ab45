//===- Devirtualize.h - Closed-world resume/destroy dispatch ----*- C++ -*-===//
#ifndef COROPTX_PASSES_DEVIRTUALIZE_H
#define COROPTX_PASSES_DEVIRTUALIZE_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Replaces every indirect call in a closed-world device module (resume and
/// destroy through a coroutine handle, a handle returned by await_suspend, a
/// handle loaded from an array) by direct calls selected with compares
/// against the functions whose address is taken and whose type fits.
struct DevirtualizePass : llvm::PassInfoMixin<DevirtualizePass> {
  explicit DevirtualizePass(bool RelocatableDeviceCode = false)
      : RelocatableDeviceCode(RelocatableDeviceCode) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  bool RelocatableDeviceCode;
};

} // namespace coroptx

#endif // COROPTX_PASSES_DEVIRTUALIZE_H
