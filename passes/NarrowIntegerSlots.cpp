//===- NarrowIntegerSlots.cpp - Sub-byte slots SROA leaves ----------------===//
//
// A placed frame is an alloca that SROA splits into one alloca per field. A
// lazy coroutine's suspend index is an i2 in a byte of the frame, so its
// slice becomes `alloca i8` read and written as i2, and there it stays:
// mem2reg promotes only accesses of the alloca's own type, and SROA does not
// widen an integer whose width is not a whole number of bytes. Where a
// scheduler starts such a coroutine on a later trip of its loop (a sleeper
// whose first turn is not the first tick), the index is then loaded and
// stored in local memory on every trip, and the loop's branches on it stay.
//
// When every use of the alloca is a simple load or store of the same
// integer type, at the alloca's address, no other bits of the byte are ever
// read: the alloca can have that type, and SROA promotes it.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/NarrowIntegerSlots.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#define DEBUG_TYPE "coroptx-narrow-integer-slots"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumNarrowed, "Allocas retyped to the one integer type they hold");

namespace {

/// The one integer type narrower than \p Slot's that every use of \p Slot
/// loads or stores, if there is one.
IntegerType *onlyAccessType(const AllocaInst &Slot) {
  auto *SlotType = dyn_cast<IntegerType>(Slot.getAllocatedType());
  if (!SlotType || Slot.isArrayAllocation())
    return nullptr;
  IntegerType *Access = nullptr;
  for (const User *U : Slot.users()) {
    Type *Accessed = nullptr;
    if (auto *Load = dyn_cast<LoadInst>(U); Load && Load->isSimple())
      Accessed = Load->getType();
    else if (auto *Store = dyn_cast<StoreInst>(U);
             Store && Store->isSimple() && Store->getPointerOperand() == &Slot)
      Accessed = Store->getValueOperand()->getType();
    auto *Integer = dyn_cast_or_null<IntegerType>(Accessed);
    if (!Integer || (Access && Access != Integer))
      return nullptr;
    Access = Integer;
  }
  return Access && Access->getBitWidth() < SlotType->getBitWidth() ? Access
                                                                   : nullptr;
}

} // namespace

PreservedAnalyses NarrowIntegerSlotsPass::run(Function &F,
                                              FunctionAnalysisManager &) {
  if (F.isDeclaration() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  bool Changed = false;
  for (Instruction &I : F.getEntryBlock()) {
    auto *Slot = dyn_cast<AllocaInst>(&I);
    if (!Slot)
      continue;
    if (IntegerType *Access = onlyAccessType(*Slot)) {
      Slot->setAllocatedType(Access);
      ++NumNarrowed;
      Changed = true;
    }
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
