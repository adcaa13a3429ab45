//===- TransferLoopPeeling.h - The first transfers of a resume -*- C++ -*-===//
#ifndef COROPTX_PASSES_TRANSFERLOOPPEELING_H
#define COROPTX_PASSES_TRANSFERLOOPPEELING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Peels the first trips of every transfer loop of a function (a loop that
/// dispatches on the resume slot of the handle it merges, or on the code of
/// a flattened frame), then simplifies the function with \c Simplify, so
/// that the stores one trip makes to a frame in memory reach the next trip's
/// loads as SSA values, and a trip over flattened frames is entered with a
/// known code.
class TransferLoopPeelingPass
    : public llvm::PassInfoMixin<TransferLoopPeelingPass> {
public:
  /// Trips peeled: after the parent's first part, the child it awaits and
  /// the parent again.
  static constexpr unsigned TripsPeeled = 2;

  explicit TransferLoopPeelingPass(llvm::FunctionPassManager Simplify)
      : Simplify(std::move(Simplify)) {}
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &FAM);

private:
  llvm::FunctionPassManager Simplify;
};

} // namespace coroptx

#endif // COROPTX_PASSES_TRANSFERLOOPPEELING_H
