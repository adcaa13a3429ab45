//===- InlineForFlattening.cpp - Dispatch inlined where frames flatten ----===//
//
// FrameFlattening makes a function's coroutine frames SSA values when no
// handle into them leaves the function. In a module with many coroutines the
// shared resume dispatcher and the transfer loop hold an arm for every one
// of them, which is far above the inliner's threshold: a kernel that runs
// block_on passes its frame's address to a call, and its frames stay in
// local memory, where the same kernel alone in its module had none.
//
// Inlined, the dispatcher still holds every arm, but FrameFlattening's
// analysis knows which parts each slot of the object can ever hold, so every
// arm but those of the kernel's own coroutines reads a frame that is not
// there, and folds away once the object is flattened.
//
// This pass tries exactly that, and judges by the result: where a call that
// receives a handle is what keeps an object in memory, it inlines that call,
// then the next one the analysis stops at, until the object flattens. Then it
// flattens and simplifies the function. If the analysis stops at something
// inlining cannot remove, or the function ends much larger than it began,
// the function gets its old body back.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/InlineForFlattening.h"
#include "coroptx/Passes/DeviceModule.h"
#include "coroptx/Passes/FrameFlattening.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/Local.h"

#define DEBUG_TYPE "coroptx-inline-for-flattening"

STATISTIC(NumFlattenedByInlining, "Functions whose frames flattened once "
                                  "the calls given their handles were inlined");
STATISTIC(NumTrialsUndone, "Inlining trials undone");

using namespace llvm;
using namespace coroptx;

namespace {

/// Calls inlined for one object before the trial gives up: the static
/// nesting of a kernel's coroutines is far shallower.
constexpr unsigned MaxInlinedCalls = 64;
/// Instructions the function may reach during a trial.
constexpr unsigned MaxTrialInstructions = 250000;
/// The function may end at most this many times its old size, plus
/// GrowthAllowance instructions (the coroutine bodies that run in it now).
constexpr unsigned MaxGrowthFactor = 4;
constexpr unsigned GrowthAllowance = 2000;

/// A call the trial may inline: a direct call of a body in this module that
/// nobody asked to keep out of line.
bool isInlinable(const Instruction *At) {
  auto *Call = dyn_cast_or_null<CallBase>(At);
  if (!Call || Call->isNoInline() || Call->isInlineAsm())
    return false;
  Function *Callee = Call->getCalledFunction();
  return Callee && !Callee->isDeclaration() &&
         !Callee->hasFnAttribute(Attribute::NoInline) &&
         Callee != Call->getFunction();
}

/// Gives \p F the body of \p Saved (a clone of \p F) back, and deletes
/// \p Saved.
void restoreBody(Function &F, Function &Saved, FunctionAnalysisManager &FAM) {
  for (BasicBlock &Block : F)
    Block.dropAllReferences();
  while (!F.empty())
    F.begin()->eraseFromParent();
  F.splice(F.end(), &Saved);
  for (auto [SavedArg, Arg] : zip(Saved.args(), F.args()))
    SavedArg.replaceAllUsesWith(&Arg);
  FAM.clear(Saved, Saved.getName());
  Saved.eraseFromParent();
  FAM.invalidate(F, PreservedAnalyses::none());
}

/// Inlines the calls that keep \p Object in memory until it would flatten.
/// Returns the number of calls inlined, or nothing if it never would.
std::optional<unsigned> inlineUntilFlattenable(Function &F, AllocaInst &Object) {
  for (unsigned Inlined = 0;; ++Inlined) {
    removeUnreachableBlocks(F);
    mergeAddressesAsPointers(F);
    DominatorTree DT(F);
    FlatteningObstacle Obstacle = findFlatteningObstacle(Object, DT);
    if (!Obstacle)
      return Inlined;
    if (Inlined == MaxInlinedCalls || !isInlinable(Obstacle.At) ||
        F.getInstructionCount() > MaxTrialInstructions)
      return std::nullopt;
    auto *Call = cast<CallBase>(const_cast<Instruction *>(Obstacle.At));
    InlineFunctionInfo Info;
    if (!InlineFunction(*Call, Info).isSuccess())
      return std::nullopt;
  }
}

/// The objects of \p F that hold coroutine frames and that a call keeps in
/// memory.
SmallVector<AllocaInst *, 2> objectsKeptByCalls(Function &F,
                                                FunctionAnalysisManager &FAM) {
  SmallVector<AllocaInst *, 2> Objects;
  for (Instruction &I : F.getEntryBlock()) {
    auto *Alloca = dyn_cast<AllocaInst>(&I);
    if (!Alloca || !Alloca->isStaticAlloca() || !holdsCoroutineFrame(*Alloca))
      continue;
    FlatteningObstacle Obstacle = findFlatteningObstacle(
        *Alloca, FAM.getResult<DominatorTreeAnalysis>(F));
    if (Obstacle && isInlinable(Obstacle.At))
      Objects.push_back(Alloca);
  }
  return Objects;
}

} // namespace

bool InlineForFlatteningPass::tryFunction(Function &F,
                                          FunctionAnalysisManager &FAM) {
  SmallVector<AllocaInst *, 2> Objects = objectsKeptByCalls(F, FAM);
  if (Objects.empty())
    return false;
  unsigned SizeBefore = F.getInstructionCount();
  ValueToValueMapTy Map;
  Function *Saved = CloneFunction(&F, Map);

  std::optional<unsigned> Inlined = 0;
  for (AllocaInst *Object : Objects) {
    std::optional<unsigned> More = inlineUntilFlattenable(F, *Object);
    if (!More) {
      Inlined.reset();
      break;
    }
    *Inlined += *More;
  }
  if (Inlined) {
    FAM.invalidate(F, PreservedAnalyses::none());
    FlattenAndSimplify.run(F, FAM);
  }
  unsigned SizeAfter = F.getInstructionCount();
  if (!Inlined || SizeAfter > MaxGrowthFactor * SizeBefore + GrowthAllowance) {
    restoreBody(F, *Saved, FAM);
    ++NumTrialsUndone;
    return false;
  }
  FAM.clear(*Saved, Saved->getName());
  Saved->eraseFromParent();
  ++NumFlattenedByInlining;
  OptimizationRemarkEmitter Remarks(&F);
  Remarks.emit([&] {
    return OptimizationRemark(DEBUG_TYPE, "InlinedForFlattening",
                              DiagnosticLocation(F.getSubprogram()),
                              &F.getEntryBlock())
           << "inlined " << ore::NV("Calls", *Inlined)
           << " calls given coroutine handles, so the frames became SSA values ("
           << ore::NV("Before", SizeBefore) << " instructions before, "
           << ore::NV("After", SizeAfter) << " after)";
  });
  return true;
}

PreservedAnalyses InlineForFlatteningPass::run(Module &M,
                                               ModuleAnalysisManager &MAM) {
  if (!isDeviceModule(M))
    return PreservedAnalyses::all();
  auto &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  // The trial adds a clone to the module and may delete it: walk a list.
  SmallVector<Function *, 16> Functions;
  for (Function &F : M)
    if (!F.isDeclaration())
      Functions.push_back(&F);
  bool Changed = false;
  for (Function *F : Functions)
    Changed |= tryFunction(*F, FAM);
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
