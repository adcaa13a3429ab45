//===- LocalFramePlacement.h - Frames that die with their caller -*- C++ -*-===//
#ifndef COROPTX_PASSES_LOCALFRAMEPLACEMENT_H
#define COROPTX_PASSES_LOCALFRAMEPLACEMENT_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Runs after every coroutine is split, devirtualized and inlined where it
/// could be. A heap frame that LLVM's CoroElide left alone (its handle went
/// through a local array, say) is moved into the stack of the function that
/// allocates it, when that function provably holds every copy of the frame's
/// address until it returns and runs the allocation a bounded number of
/// times: one slot for an allocation outside loops, one per iteration (up to
/// the loops' constant trip counts) inside them.
struct LocalFramePlacementPass
    : llvm::PassInfoMixin<LocalFramePlacementPass> {
  explicit LocalFramePlacementPass(bool RelocatableDeviceCode = false)
      : RelocatableDeviceCode(RelocatableDeviceCode) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

  /// Under -fgpu-rdc only functions private to the module are closed world.
  bool RelocatableDeviceCode;
};

} // namespace coroptx

#endif // COROPTX_PASSES_LOCALFRAMEPLACEMENT_H
