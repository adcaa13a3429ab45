//===- AwaitedFactoryInlining.h - See through task factories ----*- C++ -*-===//
#ifndef COROPTX_PASSES_AWAITEDFACTORYINLINING_H
#define COROPTX_PASSES_AWAITEDFACTORYINLINING_H

#include "llvm/IR/PassManager.h"

namespace coroptx {

/// `co_await f(x)` where f is an ordinary function returning a coroutine's
/// task (a lambda, a combinator's callback) is marked coro_elide_safe by
/// clang, but only a coroutine call can take its frame from the awaiter.
/// This pass inlines such a factory when it builds its result by calling a
/// coroutine straight into its return slot, and moves the mark onto that
/// call, so the child's frame lands in the awaiting coroutine's frame.
struct AwaitedFactoryInliningPass
    : llvm::PassInfoMixin<AwaitedFactoryInliningPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace coroptx

#endif // COROPTX_PASSES_AWAITEDFACTORYINLINING_H
