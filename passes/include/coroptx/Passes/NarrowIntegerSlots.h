//===- NarrowIntegerSlots.h - Sub-byte slots SROA leaves ---------*- C++
//-*-===//
#ifndef COROPTX_PASSES_NARROWINTEGERSLOTS_H
#define COROPTX_PASSES_NARROWINTEGERSLOTS_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Retypes an alloca whose every use is a simple load or store of one
/// integer type narrower than the alloca (a frame's 2-bit suspend index in
/// the byte SROA split off for it) to that type, so that SROA promotes it.
struct NarrowIntegerSlotsPass : llvm::PassInfoMixin<NarrowIntegerSlotsPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
};

} // namespace coroptx

#endif // COROPTX_PASSES_NARROWINTEGERSLOTS_H
