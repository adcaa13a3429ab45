//===- TransferLoop.h - Symmetric transfer in constant stack ----*- C++ -*-===//
#ifndef COROPTX_PASSES_TRANSFERLOOP_H
#define COROPTX_PASSES_TRANSFERLOOP_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// NVPTX has no musttail, so a symmetric transfer (await_suspend returning a
/// handle, a task finishing into its awaiter) is a real call and a chain of
/// them recurses until the stack overflows. This pass splits every coroutine
/// resume function in two: a step that returns the handle it would transfer
/// to, and a driver, keeping the resume function's name and address, that
/// runs steps in a loop with direct calls until no transfer is left.
/// Under -fgpu-rdc the module is no closed world and the pass does nothing.
struct TransferLoopPass : llvm::PassInfoMixin<TransferLoopPass> {
  explicit TransferLoopPass(bool RelocatableDeviceCode = false)
      : RelocatableDeviceCode(RelocatableDeviceCode) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  bool RelocatableDeviceCode;
};

} // namespace coroptx

#endif // COROPTX_PASSES_TRANSFERLOOP_H
