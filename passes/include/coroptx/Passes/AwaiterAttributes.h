//===- AwaiterAttributes.h - What await_suspend does to its awaiter -*- C++ -*-===//
#ifndef COROPTX_PASSES_AWAITERATTRIBUTES_H
#define COROPTX_PASSES_AWAITERATTRIBUTES_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Copies what is known of an await_suspend wrapper's awaiter parameter
/// (readonly, captures(none)) to the llvm.coro.await.suspend.* call that
/// runs it, so that a coroutine handle held in the awaiter can be forwarded
/// across the suspension and CoroElide can see the destroy of that handle.
/// Below -O2 the pipeline has no GVN to do the forwarding, so the pass runs
/// GVN itself on the coroutines it annotated (\p ForwardLoads).
struct AwaiterAttributesPass : llvm::PassInfoMixin<AwaiterAttributesPass> {
  explicit AwaiterAttributesPass(bool ForwardLoads = false)
      : ForwardLoads(ForwardLoads) {}
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
  static bool isRequired() { return true; }

private:
  bool ForwardLoads;
};

} // namespace coroptx

#endif // COROPTX_PASSES_AWAITERATTRIBUTES_H
