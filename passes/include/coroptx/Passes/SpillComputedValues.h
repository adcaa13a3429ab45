//===- SpillComputedValues.h - Computed values kept in frames --*- C++ -*-===//
#ifndef COROPTX_PASSES_SPILLCOMPUTEDVALUES_H
#define COROPTX_PASSES_SPILLCOMPUTEDVALUES_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// In a device coroutine about to be split, routes each value that lives
/// across a suspend point, and that CoroSplit would otherwise recompute after
/// the resume from its operands (a multiply, a division or floating-point
/// arithmetic on the way), through a call CoroSplit cannot rematerialize, so
/// that the frame keeps the value itself.
struct SpillComputedValuesPass : llvm::PassInfoMixin<SpillComputedValuesPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
  static bool isRequired() { return true; }
};

/// Once every coroutine is split, replaces those calls by the values they
/// carry.
struct ReleaseSpilledValuesPass
    : llvm::PassInfoMixin<ReleaseSpilledValuesPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace coroptx

#endif // COROPTX_PASSES_SPILLCOMPUTEDVALUES_H
