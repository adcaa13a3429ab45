//===- FirstTripPeeling.cpp - A loop's first trip, apart ------------------===//
//
// A kernel that resumes flattened coroutines in a loop (round-robin workers,
// each a lazy task) starts every coroutine on the loop's first trip and
// resumes it on the later ones. Each frame's suspend index is a header phi
// that enters at 0 ("not started") and leaves every trip either unchanged
// (the coroutine was done and not resumed) or at the index of the one await
// the coroutine suspends at:
//     %index = phi i2 [ 0, %entry ], [ %index.next, %latch ]
//     %started = icmp eq i2 %index, 0          ; start, or resume?
//     ...
//     %index.next = phi i2 [ %index, %done ], [ -2, %suspended ], ...
// Every trip then tests the index and carries it in a register, although
// from the second trip on it can only be -2. LLVM's loop peeling makes a phi
// invariant only when its back edge brings a loop-invariant value, and here
// it brings a merge with the phi itself.
//
// Peeled once, the loop is entered with the value the first trip leaves. If
// every path of the first trip leaves the same constant, and every later
// trip can only keep the index or set it to that constant, the index in the
// loop is that constant (SCCP proves it), and its tests fold.
//
// Which value the first trip leaves is found by evaluating the loop body
// once with the header phis at their entry values: branches on values that
// fold take one side (the done() test of a coroutine that was just created
// is false, so the path that keeps the index is not taken), and the merges
// on the paths taken give the value at the back edge.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/FirstTripPeeling.h"
#include "coroptx/Passes/DeviceModule.h"
#include "coroptx/Passes/LoopTransforms.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/LoopIterator.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#define DEBUG_TYPE "coroptx-peel-first-trip"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumPeeled, "Loops whose first trip was peeled");

namespace {

/// A loop body worth one more copy of itself.
constexpr unsigned MaxLoopInstructions = 512;

/// Merges beyond this many on the way back to the header are not a state's.
constexpr unsigned MaxStateMerges = 32;

/// The constant that the header phi \p State of \p L holds from the second
/// trip on, if the back edge brings a web of merges in \p L whose sources
/// are \p State itself and that one constant, other than the entry value.
Constant *settledValue(PHINode &State, const Loop &L) {
  BasicBlock *Preheader = L.getLoopPreheader();
  BasicBlock *Latch = L.getLoopLatch();
  Constant *Entry = definedConstant(State.getIncomingValueForBlock(Preheader));
  if (!Entry)
    return nullptr;
  Constant *Settled = nullptr;
  SmallPtrSet<Value *, 16> Visited;
  SmallVector<Value *, 16> Worklist{State.getIncomingValueForBlock(Latch)};
  while (!Worklist.empty()) {
    Value *V = Worklist.pop_back_val();
    if (V == &State || !Visited.insert(V).second)
      continue;
    if (Constant *C = definedConstant(V)) {
      if (Settled && Settled != C)
        return nullptr;
      Settled = C;
      continue;
    }
    auto *Merge = dyn_cast<Instruction>(V);
    if (!Merge || !isa<PHINode, SelectInst>(Merge) || !L.contains(Merge) ||
        Visited.size() > MaxStateMerges)
      return nullptr;
    append_range(Worklist, mergedValues(*Merge));
  }
  return Settled != Entry ? Settled : nullptr;
}

/// True when \p L decides something on \p State: an equality compare with a
/// constant or a switch. Those fold once the state is a constant.
bool isTestedInLoop(const PHINode &State, const Loop &L) {
  return any_of(State.users(), [&](const User *U) {
    auto *I = cast<Instruction>(U);
    if (!L.contains(I))
      return false;
    if (auto *Compare = dyn_cast<ICmpInst>(I))
      return Compare->isEquality() && (isa<Constant>(Compare->getOperand(0)) ||
                                       isa<Constant>(Compare->getOperand(1)));
    auto *Switch = dyn_cast<SwitchInst>(I);
    return Switch && Switch->getCondition() == &State;
  });
}

/// The loop body evaluated once, from the header phis' entry values: which
/// blocks and edges the first trip can take, and the values that fold on
/// them.
class FirstTrip {
public:
  FirstTrip(Loop &L, const LoopInfo &LI) : L(L) {
    for (PHINode &Phi : L.getHeader()->phis())
      if (Constant *Entry = definedConstant(
              Phi.getIncomingValueForBlock(L.getLoopPreheader())))
        Known[&Phi] = Entry;
    Reached.insert(L.getHeader());
    LoopBlocksRPO Order(&L);
    Order.perform(&LI);
    for (BasicBlock *Block : Order)
      if (Reached.contains(Block))
        evaluate(*Block);
  }

  /// What the first trip leaves in \p State at the back edge, if known.
  Constant *leaves(const PHINode &State) const {
    BasicBlock *Latch = L.getLoopLatch();
    if (!Taken.contains({Latch, L.getHeader()}))
      return nullptr;
    return valueOf(State.getIncomingValueForBlock(Latch));
  }

private:
  Constant *valueOf(Value *V) const {
    if (Constant *C = definedConstant(V))
      return C;
    return Known.lookup(V);
  }

  void evaluate(BasicBlock &Block) {
    for (Instruction &I : Block) {
      if (auto *Phi = dyn_cast<PHINode>(&I)) {
        if (&Block != L.getHeader())
          evaluateMerge(*Phi);
        continue;
      }
      if (I.isTerminator()) {
        takeSuccessors(I);
        return;
      }
      if (I.mayHaveSideEffects())
        continue;
      SmallVector<Constant *, 4> Operands;
      for (Value *Operand : I.operands())
        if (Constant *C = valueOf(Operand))
          Operands.push_back(C);
      if (Operands.size() != I.getNumOperands())
        continue;
      if (Constant *Folded = foldWithOperands(I, Operands))
        Known[&I] = Folded;
    }
  }

  /// A merge whose edges taken all bring the same constant.
  void evaluateMerge(PHINode &Phi) {
    Constant *Common = nullptr;
    for (auto [Incoming, From] : zip(Phi.incoming_values(), Phi.blocks())) {
      if (!Taken.contains({From, Phi.getParent()}))
        continue;
      Constant *C = valueOf(Incoming);
      if (!C || (Common && Common != C))
        return;
      Common = C;
    }
    if (Common)
      Known[&Phi] = Common;
  }

  void takeSuccessors(Instruction &Terminator) {
    Value *Condition = decidingCondition(Terminator);
    BasicBlock *Only =
        Condition ? successorFor(Terminator, valueOf(Condition)) : nullptr;
    for (BasicBlock *Successor : successors(&Terminator)) {
      if (Only && Successor != Only)
        continue;
      Taken.insert({Terminator.getParent(), Successor});
      if (L.contains(Successor))
        Reached.insert(Successor);
    }
  }

  Loop &L;
  DenseMap<const Value *, Constant *> Known;
  SmallPtrSet<const BasicBlock *, 32> Reached;
  DenseSet<std::pair<const BasicBlock *, const BasicBlock *>> Taken;
};

/// A header phi whose tests fold once its loop's first trip is peeled, and
/// the one value it holds from the second trip on.
struct SettledState {
  PHINode *Phi;
  Constant *Value;
};

/// The state of \p L whose tests fold once its first trip is peeled, if
/// any: a tested state that settles, to the value the first trip leaves.
std::optional<SettledState> stateSettledByFirstTrip(Loop &L,
                                                    const LoopInfo &LI) {
  if (!L.isInnermost() || !L.getLoopPreheader() || !L.getLoopLatch())
    return std::nullopt;
  if (loopInstructionCount(L) > MaxLoopInstructions)
    return std::nullopt;
  std::optional<FirstTrip> Trip;
  for (PHINode &State : L.getHeader()->phis()) {
    Constant *Settled = settledValue(State, L);
    if (!Settled || !isTestedInLoop(State, L))
      continue;
    if (!Trip)
      Trip.emplace(L, LI);
    if (Trip->leaves(State) == Settled)
      return SettledState{&State, Settled};
  }
  return std::nullopt;
}

/// \p Value as the remark shows it: an integer in decimal, anything else as
/// an IR operand.
std::string describe(const Constant &Value) {
  if (auto *Integer = dyn_cast<ConstantInt>(&Value))
    return std::to_string(Integer->getSExtValue());
  std::string Text;
  raw_string_ostream Out(Text);
  Value.printAsOperand(Out, /*PrintType=*/false);
  return Text;
}

} // namespace

PreservedAnalyses FirstTripPeelingPass::run(Function &F,
                                            FunctionAnalysisManager &FAM) {
  if (F.isDeclaration() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  auto &LI = FAM.getResult<LoopAnalysis>(F);
  SmallVector<std::pair<Loop *, SettledState>, 4> Peeled;
  for (Loop *L : LI.getLoopsInPreorder())
    if (std::optional<SettledState> State = stateSettledByFirstTrip(*L, LI))
      Peeled.push_back({L, *State});
  if (Peeled.empty())
    return PreservedAnalyses::all();

  auto &DT = FAM.getResult<DominatorTreeAnalysis>(F);
  auto &SE = FAM.getResult<ScalarEvolutionAnalysis>(F);
  auto &AC = FAM.getResult<AssumptionAnalysis>(F);
  OptimizationRemarkEmitter Remarks(&F);
  bool Changed = false;
  for (auto [L, State] : Peeled) {
    const DebugLoc Where = L->getStartLoc();
    BasicBlock *Header = L->getHeader();
    const std::string Settled = describe(*State.Value);
    if (!peelFirstTrips(*L, /*Trips=*/1, LI, DT, SE, AC, Changed))
      continue;
    Remarks.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "Peeled", Where, Header)
             << "the first trip of this loop is peeled: from the second on, "
                "a state it tests is always "
             << ore::NV("Settled", Settled) << ", and its tests fold";
    });
    ++NumPeeled;
    Changed = true;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
