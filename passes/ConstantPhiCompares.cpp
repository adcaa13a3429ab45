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
// compares with constants it can fold, so the web always dies.
//
// The same holds for a web of integers: a handle of a flattened frame is an
// integer code (FrameFlattening), and once LoopUnroll has copied a spawn
// loop, each executor slot's handle is a web over its own frame's code and
// 0. Every slot's code compares it with every frame's code, to find the
// job it names; all those compares are one flag, "the slot holds its job",
// or its negation, or a constant. Compares that agree at every source share
// one web of outcomes, so the slot costs one register, not a 64-bit handle
// and a flag per compare.
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

#include <map>

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

/// The outcome of \p Compare at each source of \p Web, in the order of
/// Web.Sources; none if one does not fold.
std::optional<SmallVector<bool, 4>> outcomesAtSources(const WebCompare &Compare,
                                                      const ConstantWeb &Web,
                                                      const DataLayout &DL) {
  SmallVector<bool, 4> Outcomes;
  for (Constant *Source : Web.Sources) {
    auto *Outcome =
        dyn_cast_or_null<ConstantInt>(ConstantFoldCompareInstOperands(
            Compare.Compare->getPredicate(), Source, Compare.Against, DL));
    if (!Outcome)
      return std::nullopt;
    Outcomes.push_back(Outcome->isOne());
  }
  return Outcomes;
}

/// A web of i1 merges shaped like \p Web, holding Outcomes[i] wherever
/// \p Web holds its i-th source: the mirror of each member.
DenseMap<Instruction *, Instruction *>
buildOutcomeWeb(const ConstantWeb &Web, ArrayRef<bool> Outcomes) {
  Type *Flag = Type::getInt1Ty(Web.Members.front()->getContext());
  DenseMap<Instruction *, Instruction *> Mirror;
  for (Instruction *Member : Web.Members) {
    if (auto *Phi = dyn_cast<PHINode>(Member))
      Mirror[Member] =
          PHINode::Create(Flag, Phi->getNumIncomingValues(),
                          Phi->getName() + ".outcome", Phi->getIterator());
    else
      Mirror[Member] = SelectInst::Create(
          cast<SelectInst>(Member)->getCondition(), PoisonValue::get(Flag),
          PoisonValue::get(Flag), Member->getName() + ".outcome",
          Member->getIterator());
  }
  auto MirrorOf = [&](Value *V) -> Value * {
    if (auto *Source = dyn_cast<Constant>(V))
      return ConstantInt::getBool(
          Flag, Outcomes[std::distance(Web.Sources.begin(),
                                       find(Web.Sources, Source))]);
    return Mirror.lookup(cast<Instruction>(V));
  };
  for (Instruction *Member : Web.Members) {
    if (auto *Phi = dyn_cast<PHINode>(Member)) {
      auto *MirrorPhi = cast<PHINode>(Mirror[Phi]);
      for (auto [Incoming, Block] : zip(Phi->incoming_values(), Phi->blocks()))
        MirrorPhi->addIncoming(MirrorOf(Incoming), Block);
      continue;
    }
    auto *Select = cast<SelectInst>(Member);
    auto *MirrorSelect = cast<SelectInst>(Mirror[Select]);
    MirrorSelect->setTrueValue(MirrorOf(Select->getTrueValue()));
    MirrorSelect->setFalseValue(MirrorOf(Select->getFalseValue()));
  }
  return Mirror;
}

/// Folds the compares of the web \p Start belongs to, if they are all the
/// web's outside uses and all fold at every source.
///
/// Compares that agree at every source share one outcome web, and those
/// that disagree at every source share it too, negated: after unrolling, a
/// slot's job handle is tested against every frame's code, and one flag
/// ("this slot holds its job") answers them all. A compare with the same
/// outcome everywhere is that constant.
bool foldWebCompares(Instruction &Start, SmallPtrSetImpl<Instruction *> &Seen) {
  std::optional<ConstantWeb> Web = webOf(Start);
  if (!Web)
    return false;
  Seen.insert(Web->Members.begin(), Web->Members.end());
  const DataLayout &DL = Start.getDataLayout();
  SmallVector<std::pair<WebCompare, SmallVector<bool, 4>>, 4> Compares;
  for (Instruction *Member : Web->Members)
    for (User *U : Member->users()) {
      // webOf made every merge that uses a member a member.
      if (isMerge(U))
        continue;
      std::optional<WebCompare> Compare = asWebCompare(U, *Web);
      if (!Compare)
        return false;
      std::optional<SmallVector<bool, 4>> Outcomes =
          outcomesAtSources(*Compare, *Web, DL);
      if (!Outcomes)
        return false;
      if (none_of(Compares, [&](const auto &Known) {
            return Known.first.Compare == Compare->Compare;
          }))
        Compares.emplace_back(*Compare, std::move(*Outcomes));
    }
  if (Compares.empty())
    return false;
  // Outcome webs by their outcomes at the sources, each built for the first
  // compare that needs it, whose sense it keeps; a compare with the opposite
  // outcomes reads it negated.
  struct OutcomeWeb {
    SmallVector<bool, 4> Outcomes;
    DenseMap<Instruction *, Instruction *> Mirror;
  };
  std::map<SmallVector<bool, 4>, OutcomeWeb> OutcomeWebs;
  for (auto &[Compare, Outcomes] : Compares) {
    Value *Outcome;
    if (all_equal(Outcomes)) {
      Outcome = ConstantInt::getBool(Compare.Compare->getType(), Outcomes[0]);
    } else {
      SmallVector<bool, 4> Key = Outcomes;
      if (!Key[0])
        for (auto &&KeyOutcome : Key)
          KeyOutcome = !KeyOutcome;
      auto [It, New] = OutcomeWebs.try_emplace(Key);
      if (New)
        It->second = {Outcomes, buildOutcomeWeb(*Web, Outcomes)};
      Outcome = It->second.Mirror[Compare.Member];
      if (It->second.Outcomes != Outcomes) {
        Instruction *Not = BinaryOperator::CreateNot(
            Outcome, "", Compare.Compare->getIterator());
        Not->takeName(Compare.Compare);
        Outcome = Not;
      }
    }
    Compare.Compare->replaceAllUsesWith(Outcome);
    Compare.Compare->eraseFromParent();
  }
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
  // Webs of pointers (the frame slots that hold coroutine parts) and, when
  // asked, of integers wider than a flag (the codes that handles of
  // flattened frames became): never a select's condition, which webOf
  // relies on.
  SmallVector<WeakVH, 16> Candidates;
  for (Instruction &I : instructions(F))
    if (isa<PHINode>(I) && (I.getType()->isPointerTy() ||
                            (IntegerWebs && I.getType()->isIntegerTy() &&
                             !I.getType()->isIntegerTy(1))))
      Candidates.push_back(&I);
  SmallPtrSet<Instruction *, 16> Seen;
  bool Changed = false;
  for (WeakVH &Candidate : Candidates)
    if (auto *Phi = dyn_cast_or_null<PHINode>(Candidate);
        Phi && !Seen.contains(Phi))
      Changed |= foldWebCompares(*Phi, Seen);
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
