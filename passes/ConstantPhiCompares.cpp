//===- ConstantPhiCompares.cpp - Compares of phis of constants ------------===//
//
// Once FrameFlattening has made a frame SSA values, its resume slot is a web
// of pointer phis: the resume part while the coroutine runs, null once it is
// done. done() compares that web with null. For a generator driven to its
// end,
//     %part = phi ptr [ @values.resume, %entry ], [ %part.next, %latch ]
//     %part.next = phi ptr [ %part, %body ], [ null, %last ]
//     %done = icmp eq ptr %part.next, null
//     br i1 %done, label %exit, label %loop
// the loop ends on a compare that no LLVM pass sees as its counter: the
// trip count is unknown, so the loop is neither unrolled nor simplified, and
// the kernel carries a 64-bit register for a flag.
//
// Every source of the web is a constant, so the compare's outcome is known
// at each source: the compare is the same web over i1, with the outcomes
// in place of the constants,
//     %done.part = phi i1 [ false, %entry ], [ %done.next, %latch ]
//     %done.next = phi i1 [ %done.part, %body ], [ true, %last ]
// which CVP and InstCombine then fold into the loop's own exit test.
//
// The pass rewrites only webs whose uses from outside are all equality
// compares with constants it can fold, so the pointer web always dies.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/ConstantPhiCompares.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Analysis/ConstantFolding.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Local.h"

#define DEBUG_TYPE "coroptx-constant-phi-compares"

using namespace llvm;
using namespace coroptx;

namespace {

/// Phis and selects beyond this many are not a frame slot's web.
constexpr unsigned MaxWebSize = 64;

/// A web of phis and selects (select conditions aside) whose sources are
/// all constants.
struct ConstantWeb {
  SetVector<Instruction *> Members;
  SmallSetVector<Constant *, 4> Sources;
};

bool isMerge(const Value *V) { return isa<PHINode, SelectInst>(V); }

/// The web \p Start belongs to, following merges both ways: through their
/// operands and through the merges that use them (a pointer is never a
/// select's condition, so a merge that uses a member merges it). None if a
/// source is not a constant or the web is too large.
std::optional<ConstantWeb> webOf(Instruction &Start) {
  ConstantWeb Web;
  SmallVector<Instruction *, 16> Worklist{&Start};
  Web.Members.insert(&Start);
  while (!Worklist.empty()) {
    Instruction *Member = Worklist.pop_back_val();
    auto Visit = [&](Value *V) {
      auto *Merge = dyn_cast<Instruction>(V);
      if (!Merge || !isMerge(Merge))
        return;
      if (Web.Members.insert(Merge))
        Worklist.push_back(Merge);
    };
    for (Value *Merged : mergedValues(*Member)) {
      if (auto *C = dyn_cast<Constant>(Merged)) {
        Web.Sources.insert(C);
        continue;
      }
      if (!isMerge(Merged))
        return std::nullopt;
      Visit(Merged);
    }
    for (User *U : Member->users())
      Visit(U);
    if (Web.Members.size() > MaxWebSize)
      return std::nullopt;
  }
  return Web;
}

/// An equality compare of a web member with a constant: the compares this
/// pass folds.
struct WebCompare {
  ICmpInst *Compare;
  Instruction *Member;
  Constant *Against;
};

std::optional<WebCompare> asWebCompare(User *U, const ConstantWeb &Web) {
  auto *Compare = dyn_cast<ICmpInst>(U);
  if (!Compare || !Compare->isEquality())
    return std::nullopt;
  for (unsigned Side : {0u, 1u}) {
    auto *Member = dyn_cast<Instruction>(Compare->getOperand(Side));
    auto *Against = dyn_cast<Constant>(Compare->getOperand(1 - Side));
    if (Member && Against && Web.Members.contains(Member))
      return WebCompare{Compare, Member, Against};
  }
  return std::nullopt;
}

/// The outcome of \p Compare where the web holds \p Source, if it folds.
Constant *outcomeAt(const WebCompare &Compare, Constant *Source,
                    const DataLayout &DL) {
  Constant *Outcome = ConstantFoldCompareInstOperands(
      Compare.Compare->getPredicate(), Source, Compare.Against, DL);
  return isa_and_nonnull<ConstantInt>(Outcome) ? Outcome : nullptr;
}

/// Rewrites \p Compare as a web of i1 merges shaped like \p Web.
void rewriteAsOutcomeWeb(const WebCompare &Compare, const ConstantWeb &Web,
                         const DataLayout &DL) {
  Type *Flag = Compare.Compare->getType();
  DenseMap<Instruction *, Instruction *> Outcome;
  for (Instruction *Member : Web.Members) {
    Instruction *Mirror;
    if (auto *Phi = dyn_cast<PHINode>(Member))
      Mirror = PHINode::Create(Flag, Phi->getNumIncomingValues(),
                               Phi->getName() + ".outcome", Phi->getIterator());
    else
      Mirror = SelectInst::Create(
          cast<SelectInst>(Member)->getCondition(), PoisonValue::get(Flag),
          PoisonValue::get(Flag), Member->getName() + ".outcome",
          Member->getIterator());
    Outcome[Member] = Mirror;
  }
  auto OutcomeOf = [&](Value *V) -> Value * {
    if (auto *Source = dyn_cast<Constant>(V))
      return outcomeAt(Compare, Source, DL);
    return Outcome.lookup(cast<Instruction>(V));
  };
  for (Instruction *Member : Web.Members) {
    if (auto *Phi = dyn_cast<PHINode>(Member)) {
      auto *Mirror = cast<PHINode>(Outcome[Phi]);
      for (auto [Incoming, Block] : zip(Phi->incoming_values(), Phi->blocks()))
        Mirror->addIncoming(OutcomeOf(Incoming), Block);
      continue;
    }
    auto *Select = cast<SelectInst>(Member);
    auto *Mirror = cast<SelectInst>(Outcome[Select]);
    Mirror->setTrueValue(OutcomeOf(Select->getTrueValue()));
    Mirror->setFalseValue(OutcomeOf(Select->getFalseValue()));
  }
  Compare.Compare->replaceAllUsesWith(Outcome[Compare.Member]);
  Compare.Compare->eraseFromParent();
}

/// Folds the compares of the web \p Start belongs to, if they are all the
/// web's outside uses and all fold at every source.
bool foldWebCompares(Instruction &Start, SmallPtrSetImpl<Instruction *> &Seen) {
  std::optional<ConstantWeb> Web = webOf(Start);
  if (!Web)
    return false;
  Seen.insert(Web->Members.begin(), Web->Members.end());
  const DataLayout &DL = Start.getDataLayout();
  SmallVector<WebCompare, 4> Compares;
  for (Instruction *Member : Web->Members)
    for (User *U : Member->users()) {
      // webOf made every merge that uses a member a member.
      if (isMerge(U))
        continue;
      std::optional<WebCompare> Compare = asWebCompare(U, *Web);
      if (!Compare || !all_of(Web->Sources, [&](Constant *Source) {
            return outcomeAt(*Compare, Source, DL);
          }))
        return false;
      if (none_of(Compares, [&](const WebCompare &Known) {
            return Known.Compare == Compare->Compare;
          }))
        Compares.push_back(*Compare);
    }
  if (Compares.empty())
    return false;
  for (const WebCompare &Compare : Compares)
    rewriteAsOutcomeWeb(Compare, *Web, DL);
  // The members are used by each other only: a dead cycle.
  for (Instruction *Member : Web->Members)
    Member->dropAllReferences();
  for (Instruction *Member : Web->Members)
    Member->eraseFromParent();
  return true;
}

} // namespace

PreservedAnalyses ConstantPhiComparesPass::run(Function &F,
                                               FunctionAnalysisManager &) {
  if (F.isDeclaration() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  // Webs of pointers: the frame slots that hold coroutine parts (and never
  // a select's condition, which webOf relies on).
  SmallVector<WeakVH, 16> Candidates;
  for (Instruction &I : instructions(F))
    if (isa<PHINode>(I) && I.getType()->isPointerTy())
      Candidates.push_back(&I);
  SmallPtrSet<Instruction *, 16> Seen;
  bool Changed = false;
  for (WeakVH &Candidate : Candidates)
    if (auto *Phi = dyn_cast_or_null<PHINode>(Candidate);
        Phi && !Seen.contains(Phi))
      Changed |= foldWebCompares(*Phi, Seen);
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
