//===- LoopTransforms.cpp - What the loop passes of coroptx share ---------===//
#include "coroptx/Passes/LoopTransforms.h"

#include "llvm/Analysis/ConstantFolding.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/LoopPeel.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

using namespace llvm;

Constant *coroptx::definedConstant(Value *V) {
  auto *C = dyn_cast<Constant>(V);
  return C && !isa<UndefValue>(C) ? C : nullptr;
}

Constant *coroptx::foldWithOperands(Instruction &I,
                                    ArrayRef<Constant *> Operands) {
  const DataLayout &DL = I.getDataLayout();
  Constant *Folded =
      isa<CmpInst>(I)
          ? ConstantFoldCompareInstOperands(cast<CmpInst>(I).getPredicate(),
                                            Operands[0], Operands[1], DL)
          : ConstantFoldInstOperands(&I, Operands, DL);
  return Folded && !isa<ConstantExpr>(Folded) ? Folded : nullptr;
}

Value *coroptx::decidingCondition(Instruction &Terminator) {
  if (auto *Branch = dyn_cast<BranchInst>(&Terminator))
    return Branch->isConditional() ? Branch->getCondition() : nullptr;
  if (auto *Switch = dyn_cast<SwitchInst>(&Terminator))
    return Switch->getCondition();
  return nullptr;
}

BasicBlock *coroptx::successorFor(Instruction &Terminator,
                                  Constant *Condition) {
  auto *Known = dyn_cast_or_null<ConstantInt>(Condition);
  if (!Known)
    return nullptr;
  if (auto *Switch = dyn_cast<SwitchInst>(&Terminator))
    return Switch->findCaseValue(Known)->getCaseSuccessor();
  return cast<BranchInst>(Terminator).getSuccessor(Known->isZero() ? 1 : 0);
}

unsigned coroptx::loopInstructionCount(const Loop &L) {
  unsigned Count = 0;
  for (const BasicBlock *Block : L.blocks())
    Count += Block->sizeWithoutDebug();
  return Count;
}

bool coroptx::peelFirstTrips(Loop &L, unsigned Trips, LoopInfo &LI,
                             DominatorTree &DT, ScalarEvolution &SE,
                             AssumptionCache &AC, bool &Changed) {
  Changed |= simplifyLoop(&L, &DT, &LI, &SE, &AC, nullptr,
                          /*PreserveLCSSA=*/false);
  if (!canPeel(&L))
    return false;
  // Flattened frames are values the loop defines and its exits use:
  // peeling gives each exit the copy of the trip it leaves from only
  // through the exits' phis.
  Changed |= formLCSSARecursively(L, DT, &LI, &SE);
  ValueToValueMapTy VMap;
  return peelLoop(&L, Trips, /*PeelLast=*/false, &LI, &SE, DT, &AC,
                  /*PreserveLCSSA=*/true, VMap);
}
