//===- LoopTransforms.h - What the loop passes of coroptx share -*- C++ -*-===//
//
// TransferLoopPeeling, FirstTripPeeling, LoopPhaseSplitting and
// CoroutineArrayUnrolling each decide by a loop's size whether copying it
// pays; the two peeling passes peel in the same form (the exits of a loop
// over flattened frames use values the loop defines); FirstTripPeeling and
// LoopPhaseSplitting evaluate a loop's trips from constant states.
//
//===----------------------------------------------------------------------===//
#ifndef COROPTX_PASSES_LOOPTRANSFORMS_H
#define COROPTX_PASSES_LOOPTRANSFORMS_H

#include "llvm/ADT/ArrayRef.h"

namespace llvm {
class AssumptionCache;
class BasicBlock;
class Constant;
class Instruction;
class DominatorTree;
class Loop;
class LoopInfo;
class ScalarEvolution;
class Value;
} // namespace llvm

namespace coroptx {

/// \p V if it is a constant a loop's evaluation may rely on: undef and
/// poison stand for any value, so a branch on them decides nothing.
llvm::Constant *definedConstant(llvm::Value *V);

/// \p I folded with the constants \p Operands (a compare too); null when
/// it does not fold to a plain constant.
llvm::Constant *foldWithOperands(llvm::Instruction &I,
                                 llvm::ArrayRef<llvm::Constant *> Operands);

/// The value \p Terminator decides on: a conditional branch's condition or
/// a switch's; null for any other terminator.
llvm::Value *decidingCondition(llvm::Instruction &Terminator);

/// The successor \p Terminator takes when the value it decides on is
/// \p Condition; null unless that is a constant integer.
llvm::BasicBlock *successorFor(llvm::Instruction &Terminator,
                               llvm::Constant *Condition);

/// The instructions in \p L's blocks, debug records aside.
unsigned loopInstructionCount(const llvm::Loop &L);

/// Peels the first \p Trips trips of \p L, after putting it in simplified
/// and LCSSA form, so that each exit merges the copy of the trip it leaves
/// from. Returns whether it peeled; \p Changed is set when the loop's form
/// changed, even if it then could not be peeled.
bool peelFirstTrips(llvm::Loop &L, unsigned Trips, llvm::LoopInfo &LI,
                    llvm::DominatorTree &DT, llvm::ScalarEvolution &SE,
                    llvm::AssumptionCache &AC, bool &Changed);

} // namespace coroptx

#endif // COROPTX_PASSES_LOOPTRANSFORMS_H
