//===- CoroutineArrayUnrolling.h - Loops over coroutine arrays -*- C++ -*-===//
#ifndef COROPTX_PASSES_COROUTINEARRAYUNROLLING_H
#define COROPTX_PASSES_COROUTINEARRAYUNROLLING_H

#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/IR/PassManager.h"

namespace llvm {
class LPMUpdater;
class Loop;
} // namespace llvm

namespace coroptx {

/// Asks LoopFullUnroll to unroll a loop with a small constant trip count
/// that starts, resumes or destroys the coroutines of a local array by the
/// loop's index (`workers[k] = work(...)`, `workers[k].handle.resume()`).
/// Unrolled, every handle sits at a constant offset of the array, so the
/// frames can become SSA values (FrameFlattening) instead of local memory.
/// A loop that starts coroutines into a local object (an executor's spawn
/// loop, `ex.spawn(work(ex, k))`) qualifies for the same reason.
struct CoroutineArrayUnrollingPass
    : llvm::PassInfoMixin<CoroutineArrayUnrollingPass> {
  /// The most coroutines a loop may start or resume to be unrolled.
  static constexpr unsigned MaxTripCount = 16;

  llvm::PreservedAnalyses run(llvm::Loop &L, llvm::LoopAnalysisManager &LAM,
                              llvm::LoopStandardAnalysisResults &AR,
                              llvm::LPMUpdater &Updater);
};

/// The check, just before LLVM's last LoopUnroll, of the spawn loops that
/// CoroutineArrayUnrollingPass marked while they were still too big to copy
/// (a spawn's search for a free slot is thousands of instructions until the
/// post-split passes simplify it). A loop that is now small enough for
/// LoopUnroll keeps its mark; one that is not loses it and stays rolled,
/// with a missed remark, rather than draw clang's warning that a requested
/// unrolling failed.
struct ConfirmSpawnLoopUnrollingPass
    : llvm::PassInfoMixin<ConfirmSpawnLoopUnrollingPass> {
  llvm::PreservedAnalyses run(llvm::Loop &L, llvm::LoopAnalysisManager &LAM,
                              llvm::LoopStandardAnalysisResults &AR,
                              llvm::LPMUpdater &Updater);
};

} // namespace coroptx

#endif // COROPTX_PASSES_COROUTINEARRAYUNROLLING_H
