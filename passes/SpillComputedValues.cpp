//===- SpillComputedValues.cpp - Keep computed values in the frame --------===//
//
// CoroSplit rematerializes: a value used after a suspend point is recomputed
// after the resume from its operands when every instruction on the way is a
// cast, a GEP, a compare, a select or a binary operator, and the frame keeps
// the operands instead. For address arithmetic that is a good trade. For a
// generator's
//     x = mix(x, step);   // x ^= x >> 13; x * 1664525u + 1013904223u + step
//     co_yield x;
// it is not: the frame keeps the previous x, the resume computes mix again
// to get the x it had already computed and yielded, and then the next one,
// so every element costs two multiplies. Flattened into the kernel that
// drives it, the loop does twice the hand-written loop's work.
//
// SpillComputedValuesPass runs on a device coroutine just before CoroSplit
// (at the end of function simplification). For each value used both before
// a suspend point and after it, whose rematerialization would recompute a
// multiply, a division or floating-point arithmetic, its uses across the
// suspend point are given the value through a call to
// `coroptx.spill.<type>`, which CoroSplit cannot rematerialize: the frame
// keeps the value, one slot as before. A value used only after the suspend
// point is left to CoroSplit: rematerializing it moves the work past the
// resume without doing it twice, and keeps the loads of its operands early.
// The call reads no memory and does not unwind; it is not `willreturn`, so
// InstCombine neither sinks it past the suspend point nor drops it.
// ReleaseSpilledValuesPass replaces the calls by their operands once every
// coroutine is split.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/SpillComputedValues.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Coroutines/CoroInstr.h"
#include "llvm/Transforms/Coroutines/MaterializationUtils.h"
#include "llvm/Transforms/Coroutines/SuspendCrossingInfo.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

#define DEBUG_TYPE "coroptx-spill-computed-values"

using namespace llvm;
using namespace coroptx;

static constexpr StringLiteral SpillCallPrefix = "coroptx.spill.";

/// Work that costs more to redo after each resume than a frame slot costs to
/// keep: a multiply, a division, or floating-point arithmetic.
static bool isCostlyToRecompute(const Instruction &I) {
  switch (I.getOpcode()) {
  case Instruction::Mul:
  case Instruction::UDiv:
  case Instruction::SDiv:
  case Instruction::URem:
  case Instruction::SRem:
  case Instruction::FAdd:
  case Instruction::FSub:
  case Instruction::FMul:
  case Instruction::FDiv:
  case Instruction::FRem:
    return true;
  default:
    return false;
  }
}

namespace {

/// Which uses of a value a suspend point separates from its definition.
class SuspendCrossings {
public:
  SuspendCrossings(Function &F,
                   const SmallVectorImpl<AnyCoroSuspendInst *> &Suspends,
                   const SmallVectorImpl<AnyCoroEndInst *> &Ends)
      : Info(F, Suspends, Ends) {}

  /// True if a path from \p Def to \p Use passes a suspend point. A phi
  /// uses its incoming value at the end of the incoming block.
  bool crosses(Instruction &Def, const Use &U) const {
    auto *User = cast<Instruction>(U.getUser());
    BasicBlock *UseBlock = User->getParent();
    if (auto *Phi = dyn_cast<PHINode>(User))
      UseBlock = Phi->getIncomingBlock(U);
    return Info.hasPathCrossingSuspendPoint(Def.getParent(), UseBlock);
  }

  /// What CoroSplit would recompute after the resume for \p U: \p Def and,
  /// recursively, the operands that are rematerializable and also defined
  /// before the suspend point. True if any of them is costly.
  bool recomputesCostlyWork(Instruction &Def, const Use &U) const {
    SmallVector<Instruction *, 8> Worklist{&Def};
    SmallPtrSet<Instruction *, 8> Seen{&Def};
    while (!Worklist.empty()) {
      Instruction *I = Worklist.pop_back_val();
      if (isCostlyToRecompute(*I))
        return true;
      for (Value *Operand : I->operands()) {
        auto *OperandDef = dyn_cast<Instruction>(Operand);
        if (OperandDef && coro::isTriviallyMaterializable(*OperandDef) &&
            crosses(*OperandDef, U) && Seen.insert(OperandDef).second)
          Worklist.push_back(OperandDef);
      }
    }
    return false;
  }

private:
  SuspendCrossingInfo Info;
};

} // namespace

/// `T coroptx.spill.<T>(T)`: returns its operand; opaque to CoroSplit.
static FunctionCallee spillFunction(Module &M, Type *Ty) {
  std::string Name = SpillCallPrefix.str();
  raw_string_ostream(Name) << *Ty;
  FunctionCallee Spill =
      M.getOrInsertFunction(Name, FunctionType::get(Ty, {Ty}, false));
  auto *Declaration = cast<Function>(Spill.getCallee());
  Declaration->setDoesNotAccessMemory();
  Declaration->setDoesNotThrow();
  return Spill;
}

/// Gives \p I a block of its own, as CoroSplit does with the suspend points
/// and their saves before it computes what crosses them: the crossing
/// analysis works on blocks, and a value defined after a suspend point in
/// the block that holds it must not count as crossing it.
static void splitAround(Instruction *I) {
  if (I != &I->getParent()->front())
    SplitBlock(I->getParent(), I);
  Instruction *Next = I->getNextNode();
  if (Next && !Next->isTerminator())
    SplitBlock(Next->getParent(), Next);
}

PreservedAnalyses SpillComputedValuesPass::run(Function &F,
                                               FunctionAnalysisManager &) {
  if (!F.isPresplitCoroutine() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  SmallVector<AnyCoroSuspendInst *, 4> Suspends;
  SmallVector<AnyCoroEndInst *, 4> Ends;
  SmallVector<Instruction *, 8> SuspensionMarks; // Suspends, saves, ends.
  bool HasCostlyWork = false;
  for (Instruction &I : instructions(F)) {
    HasCostlyWork |= isCostlyToRecompute(I);
    if (auto *Suspend = dyn_cast<AnyCoroSuspendInst>(&I))
      Suspends.push_back(Suspend);
    else if (auto *End = dyn_cast<AnyCoroEndInst>(&I))
      Ends.push_back(End);
    else if (!isa<CoroSaveInst>(I))
      continue;
    SuspensionMarks.push_back(&I);
  }
  // Nothing costly to recompute: the crossing analysis has nothing to find.
  if (!HasCostlyWork || Suspends.empty())
    return PreservedAnalyses::all();
  for (Instruction *Mark : SuspensionMarks)
    splitAround(Mark);
  SuspendCrossings Crossings(F, Suspends, Ends);

  SmallVector<std::pair<Instruction *, SmallVector<Use *, 4>>, 8> ToSpill;
  for (Instruction &I : instructions(F)) {
    if (!coro::isTriviallyMaterializable(I))
      continue;
    // A value used only after the suspend point is computed once either
    // way: rematerializing it moves the work past the resume.
    SmallVector<Use *, 4> CrossingUses;
    bool UsedBefore = false;
    for (Use &U : I.uses()) {
      if (!Crossings.crosses(I, U))
        UsedBefore = true;
      else if (Crossings.recomputesCostlyWork(I, U))
        CrossingUses.push_back(&U);
    }
    if (UsedBefore && !CrossingUses.empty())
      ToSpill.emplace_back(&I, std::move(CrossingUses));
  }
  if (ToSpill.empty())
    return PreservedAnalyses::none(); // The blocks were split.

  for (auto &[Def, CrossingUses] : ToSpill) {
    FunctionCallee Spill = spillFunction(*F.getParent(), Def->getType());
    auto *Kept = CallInst::Create(Spill, {Def}, Def->getName() + ".spilled");
    Kept->insertAfter(Def->getIterator());
    for (Use *U : CrossingUses)
      U->set(Kept);
  }
  return PreservedAnalyses::none();
}

PreservedAnalyses ReleaseSpilledValuesPass::run(Module &M,
                                                ModuleAnalysisManager &) {
  SmallVector<Function *, 4> SpillFunctions;
  for (Function &F : M)
    if (F.isDeclaration() && F.getName().starts_with(SpillCallPrefix))
      SpillFunctions.push_back(&F);
  if (SpillFunctions.empty())
    return PreservedAnalyses::all();
  for (Function *Spill : SpillFunctions) {
    for (User *U : make_early_inc_range(Spill->users())) {
      auto *Call = cast<CallInst>(U);
      Call->replaceAllUsesWith(Call->getArgOperand(0));
      Call->eraseFromParent();
    }
    Spill->eraseFromParent();
  }
  return PreservedAnalyses::none();
}
