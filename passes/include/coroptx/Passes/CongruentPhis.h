//===- CongruentPhis.h - Phis of one block that always agree ----*- C++ -*-===//
#ifndef COROPTX_PASSES_CONGRUENTPHIS_H
#define COROPTX_PASSES_CONGRUENTPHIS_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Replaces phis of one block that hold the same value on every path with
/// one of them. Two phis are congruent when, on each incoming edge, they
/// receive one value, or phis that are congruent themselves: found
/// optimistically, so the loop-carried flags of an executor slot ("holds a
/// job" and "its job is done", set together) become one, which GVN, numbering
/// a header phi by its incoming values, cannot see.
struct CongruentPhisPass : llvm::PassInfoMixin<CongruentPhisPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
};

} // namespace coroptx

#endif // COROPTX_PASSES_CONGRUENTPHIS_H
