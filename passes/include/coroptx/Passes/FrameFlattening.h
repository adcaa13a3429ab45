//===- FrameFlattening.h - Frames whose handles never leave -----*- C++ -*-===//
#ifndef COROPTX_PASSES_FRAMEFLATTENING_H
#define COROPTX_PASSES_FRAMEFLATTENING_H

#include "llvm/IR/PassManager.h"

namespace llvm {
class AllocaInst;
class DominatorTree;
class Function;
class Instruction;
} // namespace llvm

namespace coroptx {

/// What keeps the frames in one stack object in memory, as FrameFlattening
/// finds it: nothing (\c Reason empty), or a reason and the instruction
/// where the analysis met it.
struct FlatteningObstacle {
  llvm::StringRef Reason;
  const llvm::Instruction *At = nullptr;
  explicit operator bool() const { return !Reason.empty(); }
};
FlatteningObstacle findFlatteningObstacle(llvm::AllocaInst &Object,
                                          const llvm::DominatorTree &DT);

/// True where a coroutine part's address is stored in \p Object: the
/// objects that hold coroutine frames.
bool holdsCoroutineFrame(llvm::AllocaInst &Object);

/// Turns each merge of pointer-sized integers that are all addresses
/// (ptrtoint) or zero into a merge of the pointers, cast once after it. A
/// ramp returns its task as an integer (the NVPTX return of a class holding
/// one pointer), and InstCombine merges those integers where a spawn stores
/// one of several: the analysis follows pointers, not integers. True if it
/// changed \p F.
bool mergeAddressesAsPointers(llvm::Function &F);

/// Rewrites the coroutine handles that point into a stack object of one
/// function (a kernel's placed frames) as small integer codes, so that every
/// access to the object lands at a constant offset and SROA can keep the
/// frames in registers. Only a closed object is touched: its address never
/// leaves the function except as a code in its own pointer slots.
struct FrameFlatteningPass : llvm::PassInfoMixin<FrameFlatteningPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
};

} // namespace coroptx

#endif // COROPTX_PASSES_FRAMEFLATTENING_H
