//===- FirstTripPeeling.h - A loop's first trip, apart ---------*- C++ -*-===//
#ifndef COROPTX_PASSES_FIRSTTRIPPEELING_H
#define COROPTX_PASSES_FIRSTTRIPPEELING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Peels the first trip of a loop whose header merges a state that starts
/// at one constant and, from the second trip on, can only be another: the
/// suspend index of a flattened coroutine that a scheduler loop starts on
/// its first trip and resumes on the later ones. In the loop that is left,
/// the state is a constant and every test of it folds.
struct FirstTripPeelingPass : llvm::PassInfoMixin<FirstTripPeelingPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &FAM);
};

} // namespace coroptx

#endif // COROPTX_PASSES_FIRSTTRIPPEELING_H
