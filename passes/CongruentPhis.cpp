//===- CongruentPhis.cpp - Phis of one block that always agree ------------===//
//
// Once a spawn loop is unrolled and the job handles became flags
// (ConstantPhiCompares), each executor slot carries two flags around the
// scheduler loop that are always equal: "the slot is free" and "its job is
// done". Both start false at the spawn and both turn true on the one path
// where the job ends and its slot is freed:
//     %free = phi i1 [ false, %spawn ], [ %free.next, %latch ]
//     %done = phi i1 [ false, %spawn ], [ %done.next, %latch ]
//     ...
//     %free.next = phi i1 [ %free, %skip ], [ false, %resumed ], [ true, %end ]
//     %done.next = phi i1 [ %done, %skip ], [ false, %resumed ], [ true, %end ]
// The slot's code tests both: after every resume it asks the old "done"
// again, on a path where "free" was just found false, and the kernel keeps
// a register and a branch per slot for it. GVN numbers a phi by its incoming
// values, and %free.next and %done.next differ by %free and %done: each pair
// is equal only if the other one is, which only an optimistic search finds.
//
// The pass finds them as a partition refinement: the phis of one block and
// type start in one class; a class splits where its members differ on an
// incoming edge, by value, or by the class of a phi that comes in. At the
// fixpoint, phis of one class are equal whenever their block is entered (by
// induction over the entries: on each edge they receive one value, or phis
// whose last values were equal), so one of them serves for all.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/CongruentPhis.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#include <map>

#define DEBUG_TYPE "coroptx-congruent-phis"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumPhisMerged, "Phis replaced by a congruent phi of their block");

namespace {

/// What a phi receives on each incoming edge, in the order of its block's
/// predecessors: a phi's class, or any other value itself.
using Signature = SmallVector<std::pair<unsigned, const Value *>, 8>;

class PhiPartition {
public:
  explicit PhiPartition(Function &F) {
    for (BasicBlock &BB : F) {
      if (BB.phis().empty())
        continue;
      // Each edge once: a switch may reach the block on several.
      SmallSetVector<BasicBlock *, 8> Preds(pred_begin(&BB), pred_end(&BB));
      std::map<Type *, unsigned> ClassOfType;
      for (PHINode &Phi : BB.phis()) {
        auto [It, New] = ClassOfType.try_emplace(Phi.getType(), Classes.size());
        if (New)
          Classes.emplace_back();
        Classes[It->second].push_back(&Phi);
        ClassOf[&Phi] = It->second;
      }
      PredsOf[&BB] = Preds.takeVector();
    }
  }

  /// Splits classes until every member of one has the same signature.
  void refine() {
    bool Split = true;
    while (Split) {
      Split = false;
      // Classes appended by a split are visited in the same sweep.
      for (unsigned Class = 0; Class < Classes.size(); ++Class)
        Split |= splitClass(Class);
    }
  }

  /// Replaces every phi by the first of its class; whether any was.
  bool mergeClasses() {
    bool Changed = false;
    for (SmallVector<PHINode *, 4> &Members : Classes) {
      if (Members.size() < 2)
        continue;
      PHINode *Kept = Members.front();
      for (PHINode *Phi : drop_begin(Members)) {
        Phi->replaceAllUsesWith(Kept);
        Phi->eraseFromParent();
        ++NumPhisMerged;
      }
      Changed = true;
    }
    return Changed;
  }

private:
  Signature signatureOf(PHINode &Phi) const {
    Signature Result;
    for (BasicBlock *Pred : PredsOf.find(Phi.getParent())->second) {
      Value *Incoming = Phi.getIncomingValueForBlock(Pred);
      if (auto *IncomingPhi = dyn_cast<PHINode>(Incoming))
        Result.push_back({ClassOf.lookup(IncomingPhi), nullptr});
      else
        Result.push_back({0, Incoming});
    }
    return Result;
  }

  /// Moves the members of \p Class whose signature differs from its first
  /// member's into new classes; whether it did.
  bool splitClass(unsigned Class) {
    if (Classes[Class].size() < 2)
      return false;
    // Signatures are taken before any member moves, so that a split does
    // not change what its own members are compared by.
    std::map<Signature, SmallVector<PHINode *, 4>> BySignature;
    SmallVector<const Signature *, 4> Order;
    for (PHINode *Phi : Classes[Class]) {
      auto [It, New] = BySignature.try_emplace(signatureOf(*Phi));
      if (New)
        Order.push_back(&It->first);
      It->second.push_back(Phi);
    }
    if (Order.size() == 1)
      return false;
    Classes[Class] = std::move(BySignature[*Order.front()]);
    for (const Signature *Sig : drop_begin(Order)) {
      const unsigned NewClass = Classes.size();
      Classes.push_back(std::move(BySignature[*Sig]));
      for (PHINode *Phi : Classes.back())
        ClassOf[Phi] = NewClass;
    }
    return true;
  }

  SmallVector<SmallVector<PHINode *, 4>, 0> Classes;
  DenseMap<const PHINode *, unsigned> ClassOf;
  DenseMap<const BasicBlock *, SmallVector<BasicBlock *, 8>> PredsOf;
};

} // namespace

PreservedAnalyses CongruentPhisPass::run(Function &F,
                                         FunctionAnalysisManager &) {
  if (F.isDeclaration() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  PhiPartition Partition(F);
  Partition.refine();
  if (!Partition.mergeClasses())
    return PreservedAnalyses::all();
  PreservedAnalyses PA;
  PA.preserveSet<CFGAnalyses>();
  return PA;
}
