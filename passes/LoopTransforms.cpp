//===- LoopTransforms.cpp - What the loop passes of coroptx share ---------===//
#include "coroptx/Passes/LoopTransforms.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/Transforms/Utils/LoopPeel.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

using namespace llvm;

Constant *coroptx::definedConstant(Value *V) {
  auto *C = dyn_cast<Constant>(V);
  return C && !isa<UndefValue>(C) ? C : nullptr;
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
