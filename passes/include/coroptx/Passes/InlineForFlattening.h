//===- InlineForFlattening.h - Inlined where frames flatten -----*- C++ -*-===//
#ifndef COROPTX_PASSES_INLINEFORFLATTENING_H
#define COROPTX_PASSES_INLINEFORFLATTENING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// Inlines the calls (dispatchers, transfer loops, coroutine parts) that
/// receive handles into a function's coroutine frames, where that lets
/// FrameFlattening turn the frames into SSA values; then flattens them and
/// simplifies the function with \c FlattenAndSimplify. A trial that does not
/// end flattened, or ends too large, is undone.
class InlineForFlatteningPass
    : public llvm::PassInfoMixin<InlineForFlatteningPass> {
public:
  explicit InlineForFlatteningPass(llvm::FunctionPassManager FlattenAndSimplify)
      : FlattenAndSimplify(std::move(FlattenAndSimplify)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);

private:
  bool tryFunction(llvm::Function &F, llvm::FunctionAnalysisManager &FAM);

  llvm::FunctionPassManager FlattenAndSimplify;
};

} // namespace coroptx

#endif // COROPTX_PASSES_INLINEFORFLATTENING_H
