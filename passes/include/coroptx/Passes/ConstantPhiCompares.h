//===- ConstantPhiCompares.h - Compares of phis of constants ----*- C++ -*-===//
#ifndef COROPTX_PASSES_CONSTANTPHICOMPARES_H
#define COROPTX_PASSES_CONSTANTPHICOMPARES_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Rewrites an equality compare of a web of phis and selects, whose every
/// source is a constant, with a constant: the compare becomes a web of i1
/// phis and selects of the outcomes at the sources. Done where the compares
/// are the web's only uses from outside, so the pointer web dies: a flattened
/// frame's resume slot tested by done() becomes a flag, and a loop that ends
/// on it gets a trip count.
///
/// With \p IntegerWebs, webs of integers wider than i1 too: the codes of
/// flattened handles, once LoopUnroll has copied a spawn loop.
struct ConstantPhiComparesPass : llvm::PassInfoMixin<ConstantPhiComparesPass> {
  explicit ConstantPhiComparesPass(bool IntegerWebs = false)
      : IntegerWebs(IntegerWebs) {}
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);

private:
  bool IntegerWebs;
};

} // namespace coroptx

#endif // COROPTX_PASSES_CONSTANTPHICOMPARES_H
