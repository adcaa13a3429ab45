//===- MergedBranchThreading.cpp - Branches on a merged constant ----------===//
//
// An inlined resume part ends in one block that merges what every path of
// the part leaves: the frame's fields, the next handle's code, and a flag
// that says whether the resume is over,
//     %field = phi i32 [ %a, %suspend ], [ %b, %await ], [ %c, %done ]
//     %over  = phi i1  [ true, %suspend ], [ false, %await ], [ true, %done ]
//     br i1 %over, label %exit, label %next.trip
// Once a transfer loop's first trips are peeled, the next trip is entered
// from that block, and every field it reads is the merge of the paths that
// leave and the one that goes on: the merge lives on across the caller's
// loop, and so does every field of every frame.
//
// Each predecessor whose flag is a constant goes straight to the successor
// that the constant picks. The merged values along that edge are its own
// incoming values; SSAUpdater places the phis their other users then need.
// This is jump threading of a block with no code of its own. LLVM's
// JumpThreading leaves these blocks (measured on the round-robin K = 4
// kernel, at any -jump-threading-threshold), and SimplifyCFG threads a block
// only when nothing outside it uses its phis.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/MergedBranchThreading.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/SSAUpdater.h"

#define DEBUG_TYPE "coroptx-merged-branch-threading"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumThreadedEdges, "Edges sent past a block that merges their flag");

namespace {

/// Rounds over the function: a threaded edge can make the next merge block
/// down the path a candidate (the trips of a peeled transfer loop).
constexpr unsigned MaxRounds = 4;

/// The branch of \p Merge when the block is nothing but phis and a
/// conditional branch on one of them.
BranchInst *branchOnMergedFlag(BasicBlock &Merge) {
  auto *Branch = dyn_cast<BranchInst>(Merge.getTerminator());
  if (!Branch || !Branch->isConditional() ||
      &*Merge.getFirstNonPHIIt() != Branch)
    return nullptr;
  auto *Flag = dyn_cast<PHINode>(Branch->getCondition());
  if (!Flag || Flag->getParent() != &Merge)
    return nullptr;
  return Branch;
}

/// True when \p Pred can be sent from \p Merge to \p Target: it reaches
/// \p Merge by one edge of a plain branch or switch, and does not reach
/// \p Target already (whose phis would then need two values from it).
bool canThread(BasicBlock &Pred, BasicBlock &Merge, BasicBlock &Target) {
  const Instruction *Term = Pred.getTerminator();
  if (!isa<BranchInst, SwitchInst>(Term) || &Pred == &Merge)
    return false;
  if (count(successors(&Pred), &Merge) != 1)
    return false;
  return !is_contained(successors(&Pred), &Target);
}

/// Sends \p Pred past \p Merge to \p Target.
void threadEdge(BasicBlock &Pred, BasicBlock &Merge, BasicBlock &Target) {
  SmallVector<std::pair<PHINode *, Value *>, 16> Merged;
  for (PHINode &Phi : Merge.phis())
    Merged.emplace_back(&Phi, Phi.getIncomingValueForBlock(&Pred));
  auto AlongEdge = [&](Value *V) {
    auto *Phi = dyn_cast<PHINode>(V);
    return Phi && Phi->getParent() == &Merge
               ? Phi->getIncomingValueForBlock(&Pred)
               : V;
  };
  for (PHINode &Phi : Target.phis())
    Phi.addIncoming(AlongEdge(Phi.getIncomingValueForBlock(&Merge)), &Pred);
  Pred.getTerminator()->replaceSuccessorWith(&Merge, &Target);
  for (auto [Phi, Value] : Merged)
    Phi->removeIncomingValue(&Pred, /*DeletePHIIfEmpty=*/false);

  // Past Merge, a merged value now arrives by two ways: from Merge, and
  // straight from Pred. That includes the phis of Merge itself, whose use
  // is at the end of their incoming block: a loop's header merging the
  // value of the trip before.
  for (auto [Phi, Value] : Merged) {
    SmallVector<Use *, 8> Beyond;
    for (Use &U : Phi->uses()) {
      auto *UserInst = cast<Instruction>(U.getUser());
      if (UserInst == Merge.getTerminator())
        continue;
      if (auto *UserPhi = dyn_cast<PHINode>(UserInst);
          UserPhi && UserPhi->getParent() == &Target &&
          UserPhi->getIncomingBlock(U) == &Merge)
        continue;
      Beyond.push_back(&U);
    }
    if (Beyond.empty())
      continue;
    SSAUpdater Updater;
    Updater.Initialize(Phi->getType(), Phi->getName());
    Updater.AddAvailableValue(&Merge, Phi);
    Updater.AddAvailableValue(&Pred, Value);
    for (Use *U : Beyond)
      Updater.RewriteUse(*U);
  }
  ++NumThreadedEdges;
}

/// Threads the predecessors of \p Merge whose flag is a constant. Returns
/// whether it threaded any.
bool threadMergedFlag(BasicBlock &Merge, BranchInst &Branch,
                      const LoopInfo &Loops) {
  auto *Flag = cast<PHINode>(Branch.getCondition());
  bool Changed = false;
  for (unsigned Index = Flag->getNumIncomingValues(); Index-- > 0;) {
    auto *Known = dyn_cast<ConstantInt>(Flag->getIncomingValue(Index));
    if (!Known)
      continue;
    BasicBlock &Pred = *Flag->getIncomingBlock(Index);
    BasicBlock &Target = *Branch.getSuccessor(Known->isZero() ? 1 : 0);
    // An edge into a loop's header from outside the loop would give the
    // loop a second entry (from inside, it is one more back edge); an edge
    // past a loop's header into its body, a second header.
    if (&Target == &Merge ||
        (Loops.isLoopHeader(&Target) &&
         !Loops.getLoopFor(&Target)->contains(&Pred)) ||
        (Loops.isLoopHeader(&Merge) &&
         Loops.getLoopFor(&Merge)->contains(&Target)) ||
        !canThread(Pred, Merge, Target))
      continue;
    threadEdge(Pred, Merge, Target);
    Changed = true;
  }
  return Changed;
}

} // namespace

PreservedAnalyses MergedBranchThreadingPass::run(Function &F,
                                                 FunctionAnalysisManager &FAM) {
  if (!isDeviceModule(*F.getParent()) || F.isDeclaration())
    return PreservedAnalyses::all();
  bool Changed = false;
  for (unsigned Round = 0; Round < MaxRounds; ++Round) {
    // Threading never makes a loop header; it unmakes one when it sends a
    // loop's last back edge out of the loop (a transfer loop whose second
    // trip always leaves). A header that is stale within the round only
    // keeps more edges where they are.
    const LoopInfo &Loops = FAM.getResult<LoopAnalysis>(F);
    bool ChangedThisRound = false;
    for (BasicBlock &Merge : F)
      if (BranchInst *Branch = branchOnMergedFlag(Merge))
        ChangedThisRound |= threadMergedFlag(Merge, *Branch, Loops);
    if (!ChangedThisRound)
      break;
    Changed = true;
    FAM.invalidate(F, PreservedAnalyses::none());
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
