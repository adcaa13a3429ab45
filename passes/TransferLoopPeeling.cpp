//===- TransferLoopPeeling.cpp - The first transfers of a resume, inline --===//
//
// Where frames stay in memory (an array of workers indexed by a counter, an
// executor's job slots), resuming a frame enters the transfer loop, which
// loads the next handle's resume slot and dispatches on it, trip after
// trip. An await of a child that completes at once is three trips: the
// parent's part writes the child's frame and names it, the child's part
// reads its arguments back, writes its result and names the parent, and the
// parent's part reads the result. Every one of those loads depends on the
// store before it, through memory, and each trip compares the slot again.
//
// Peeled, the first trips are straight-line code in which the handle of
// each trip is the SSA value the trip before computed: GVN forwards the
// resume slot the previous trip stored (the dispatch folds), the child's
// arguments, its result and the suspend index; what stays is the loads of
// the frame's state and the stores that keep it for the next resume. The
// loop proper still follows, for longer chains.
//
// A transfer loop is recognized by what it does: its header merges a handle
// whose resume slot it loads and compares with a coroutine part.
//
// Flattened frames (FrameFlattening) have no slots to forward, but the same
// loop can remain: the header tests the code of the frame it resumes, and
// every trip leaves a constant code for the next. dfa-jump-threading threads
// such a loop when its dispatch is a switch; where a worker awaits one child,
// the dispatch is a branch on one code, which it leaves, and every field of
// the worker and of the child lives on across the caller's loop as a merge
// of the trips. Peeled, each trip is entered with a known code; once
// MergedBranchThreading has sent the end of each trip straight to the next,
// a resume that is over after the peeled trips never enters the loop.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/TransferLoopPeeling.h"
#include "coroptx/Passes/DeviceModule.h"
#include "coroptx/Passes/LoopTransforms.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Utils/Local.h"

#define DEBUG_TYPE "coroptx-peel-transfer-loops"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumPeeled, "Transfer loops whose first trips were peeled");

/// The most resume parts a peeled dispatch may hold (a worker, the task it
/// awaits, and one more level).
static constexpr unsigned MaxDispatchedParts = 3;

/// How many resume parts \p L's dispatch compares resume slots with.
static unsigned countDispatchedResumeParts(const Loop &L) {
  SmallPtrSet<const Function *, 8> Parts;
  for (const BasicBlock *Block : L.blocks())
    for (const Instruction &I : *Block)
      if (auto *Compare = dyn_cast<ICmpInst>(&I))
        if (const Function *Part = comparedPart(*Compare);
            Part && coroutinePart(*Part) == CoroutinePart::Resume)
          Parts.insert(Part);
  return Parts.size();
}

/// True when the header of \p L merges a handle whose resume slot it loads
/// and compares with a coroutine part, and \p L starts that handle from a value
/// other than a parameter (then the function itself wrote the frames the
/// first trips read: the shared coroptx.transfer.loop has nothing to
/// forward).
static bool dispatchesOnOwnHandle(const Loop &L) {
  const BasicBlock &Header = *L.getHeader();
  for (const PHINode &Handle : Header.phis()) {
    if (!Handle.getType()->isPointerTy() ||
        any_of(Handle.blocks(), [&](const BasicBlock *From) {
          return !L.contains(From) &&
                 isa<Argument>(Handle.getIncomingValueForBlock(From));
        }))
      continue;
    for (const User *HandleUser : Handle.users()) {
      auto *Slot = dyn_cast<LoadInst>(HandleUser);
      if (!Slot || Slot->getParent() != &Header ||
          Slot->getPointerOperand() != &Handle)
        continue;
      for (const User *SlotUser : Slot->users())
        if (auto *Compare = dyn_cast<ICmpInst>(SlotUser);
            Compare && comparedPart(*Compare))
          return true;
    }
  }
  return false;
}

/// True for a transfer loop over the function's own frames whose dispatch
/// is down to a few parts (DispatchNarrowing), so that peeling copies a few
/// arms, not every coroutine of the module.
static bool isTransferLoopOverOwnFrames(const Loop &L) {
  return dispatchesOnOwnHandle(L) &&
         countDispatchedResumeParts(L) <= MaxDispatchedParts;
}

/// True when \p V is a code that \p L's trip leaves: a constant, or a merge
/// in \p L of constants (the end of a resume part).
static bool isConstantCode(const Value *V, const Loop &L) {
  if (isa<ConstantInt>(V))
    return true;
  auto *Merge = dyn_cast<PHINode>(V);
  return Merge && L.contains(Merge) &&
         all_of(Merge->incoming_values(),
                [](const Value *Code) { return isa<ConstantInt>(Code); });
}

/// The size of a flattened transfer loop that is worth its peeled copies.
static constexpr unsigned MaxFlattenedLoopInstructions = 256;

/// True for the transfer loop of flattened frames that dfa-jump-threading
/// left: its header tests the code of the frame it resumes (a compare with
/// one part's code, or a switch), and every trip leaves a constant code for
/// the next. Once the first trips are peeled, each is entered with a known
/// code: its dispatch folds, and the trips of a resume that ends after them
/// leave the loop for good.
static bool isFlattenedTransferLoop(const Loop &L) {
  // A loop nested in it (a destroy dispatch, in chains of nested awaits)
  // would be copied with every peeled trip; dfa-jump-threading has threaded
  // those chains.
  if (!L.isInnermost())
    return false;
  const BasicBlock &Header = *L.getHeader();
  const Value *Tested = nullptr;
  if (auto *Switch = dyn_cast<SwitchInst>(Header.getTerminator()))
    Tested = Switch->getCondition();
  else if (auto *Branch = dyn_cast<BranchInst>(Header.getTerminator());
           Branch && Branch->isConditional())
    if (auto *Compare = dyn_cast<ICmpInst>(Branch->getCondition());
        Compare && Compare->isEquality() &&
        isa<ConstantInt>(Compare->getOperand(1)))
      Tested = Compare->getOperand(0);
  auto *Code = dyn_cast_or_null<PHINode>(Tested);
  if (!Code || Code->getParent() != &Header || !Code->getType()->isIntegerTy())
    return false;
  for (auto [Incoming, From] : zip(Code->incoming_values(), Code->blocks()))
    if (L.contains(From) && !isConstantCode(Incoming, L))
      return false;
  return loopInstructionCount(L) <= MaxFlattenedLoopInstructions;
}

static bool isPeeledTransferLoop(const Loop &L) {
  return isTransferLoopOverOwnFrames(L) || isFlattenedTransferLoop(L);
}

/// The loops of \p LI that this pass peels, outermost first.
static SmallVector<Loop *, 4> peeledTransferLoops(const LoopInfo &LI) {
  SmallVector<Loop *, 4> Loops;
  for (Loop *L : LI.getLoopsInPreorder())
    if (isPeeledTransferLoop(*L))
      Loops.push_back(L);
  return Loops;
}

/// The block that tests the handle a transfer loop starts from: it merges
/// the handle from the arms of the first dispatch, some of which end the
/// resume (null), and leaves for the loop or for the exit. Sends the arms
/// that give null straight to the exit, so that the loop's first trip is
/// entered from the arms that name a frame alone, with that frame's SSA
/// value. Returns whether it changed anything.
static bool bypassNullEntries(BasicBlock &Test) {
  auto *Branch = dyn_cast<BranchInst>(Test.getTerminator());
  if (!Branch || !Branch->isConditional())
    return false;
  auto *IsNull = dyn_cast<ICmpInst>(Branch->getCondition());
  if (!IsNull || IsNull->getPredicate() != ICmpInst::ICMP_EQ ||
      !isa<ConstantPointerNull>(IsNull->getOperand(1)))
    return false;
  auto *Handle = dyn_cast<PHINode>(IsNull->getOperand(0));
  if (!Handle || Handle->getParent() != &Test || IsNull->getParent() != &Test ||
      !IsNull->hasOneUse())
    return false;
  // Only the merge, the test and the branch: nothing else to duplicate.
  if (&*Test.getFirstNonPHIIt() != IsNull || IsNull->getNextNode() != Branch ||
      !Handle->hasNUses(2) || &*Test.phis().begin() != Handle ||
      std::next(Test.phis().begin()) != Test.phis().end())
    return false;
  BasicBlock *Exit = Branch->getSuccessor(0);
  if (Exit == &Test)
    return false;
  SmallVector<BasicBlock *, 4> NullArms;
  for (auto [Incoming, Arm] : zip(Handle->incoming_values(), Handle->blocks()))
    if (isa<ConstantPointerNull>(Incoming) &&
        Arm->getSingleSuccessor() == &Test)
      NullArms.push_back(Arm);
  if (NullArms.empty() || NullArms.size() == Handle->getNumIncomingValues())
    return false;
  for (BasicBlock *Arm : NullArms) {
    for (PHINode &Merge : Exit->phis()) {
      Value *FromTest = Merge.getIncomingValueForBlock(&Test);
      Merge.addIncoming(FromTest == Handle
                            ? Constant::getNullValue(Handle->getType())
                            : FromTest,
                        Arm);
    }
    Arm->getTerminator()->replaceSuccessorWith(&Test, Exit);
    Handle->removeIncomingValue(Arm, /*DeletePHIIfEmpty=*/false);
  }
  return true;
}

/// Code is not data on NVPTX (ptxas rejects a load from a function's
/// symbol), so a load or store through a function's address is undefined.
/// Forwarding across peeled trips can leave one on a path that no frame
/// takes (a slot that holds a handle in one coroutine's frame and a part in
/// another's); those paths end there. Returns whether any was found.
static bool endPathsAccessingCode(Function &F) {
  SmallVector<Instruction *, 4> Accesses;
  for (BasicBlock &Block : F)
    for (Instruction &I : Block)
      if (Value *Address = getLoadStorePointerOperand(&I);
          Address && isa<Function>(getUnderlyingObject(Address)))
        Accesses.push_back(&I);
  for (Instruction *Access : Accesses)
    if (Access->getParent()) // an earlier one may have cut this block
      changeToUnreachable(Access);
  return !Accesses.empty();
}

PreservedAnalyses TransferLoopPeelingPass::run(Function &F,
                                               FunctionAnalysisManager &FAM) {
  if (!isDeviceModule(*F.getParent()) || F.isDeclaration())
    return PreservedAnalyses::all();
  SmallVector<Loop *, 4> TransferLoops =
      peeledTransferLoops(FAM.getResult<LoopAnalysis>(F));
  if (TransferLoops.empty())
    return PreservedAnalyses::all();

  bool Changed = false;
  for (Loop *L : TransferLoops)
    if (BasicBlock *Entry = L->getLoopPredecessor())
      Changed |= bypassNullEntries(*Entry);
  if (Changed) {
    // The CFG changed under the loops: start again from fresh analyses.
    FAM.invalidate(F, PreservedAnalyses::none());
    TransferLoops = peeledTransferLoops(FAM.getResult<LoopAnalysis>(F));
  }
  auto &LoopsNow = FAM.getResult<LoopAnalysis>(F);
  auto &DT = FAM.getResult<DominatorTreeAnalysis>(F);
  auto &SE = FAM.getResult<ScalarEvolutionAnalysis>(F);
  auto &AC = FAM.getResult<AssumptionAnalysis>(F);
  OptimizationRemarkEmitter Remarks(&F);
  for (Loop *L : TransferLoops) {
    const DebugLoc Where = L->getStartLoc();
    BasicBlock *Header = L->getHeader();
    if (!peelFirstTrips(*L, TripsPeeled, LoopsNow, DT, SE, AC, Changed))
      continue;
    Remarks.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "Peeled", Where, Header)
             << "the first " << ore::NV("Trips", TripsPeeled)
             << " transfers after a resume are peeled out of the transfer "
                "loop: frames in memory pass their values on in registers";
    });
    ++NumPeeled;
    Changed = true;
  }
  if (!Changed)
    return PreservedAnalyses::all();
  FAM.invalidate(F, PreservedAnalyses::none());
  Simplify.run(F, FAM);
  if (endPathsAccessingCode(F)) {
    removeUnreachableBlocks(F);
    FAM.invalidate(F, PreservedAnalyses::none());
    SimplifyCFGPass().run(F, FAM);
  }
  return PreservedAnalyses::none();
}
