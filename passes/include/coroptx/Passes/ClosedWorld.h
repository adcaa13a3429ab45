//===- ClosedWorld.h - Make the device module a closed world ----*- C++ -*-===//
#ifndef COROPTX_PASSES_CLOSEDWORLD_H
#define COROPTX_PASSES_CLOSEDWORLD_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Runs at pipeline start, before the coroutines are split. It records every
/// device coroutine, marks the calls that would put a frame on the heap (so
/// the verifier can name a survivor), and, for a whole-program compile (no
/// -fgpu-rdc), gives every non-kernel function internal linkage: kernels are
/// the only entry points, so ramps that every caller elided can be deleted
/// and every function whose address is taken is known.
struct ClosedWorldPass : llvm::PassInfoMixin<ClosedWorldPass> {
  explicit ClosedWorldPass(bool RelocatableDeviceCode = false)
      : RelocatableDeviceCode(RelocatableDeviceCode) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  bool RelocatableDeviceCode;
};

} // namespace coroptx

#endif // COROPTX_PASSES_CLOSEDWORLD_H
