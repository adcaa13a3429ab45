//===- PeeledTripRerolling.cpp - A peeled trip, back in its loop ----------===//
//
// A kernel that sums a generator's values resumes the coroutine in a loop.
// The first resume differs from the others (it starts the body), so the
// lowering peels it, and once the frame is flattened and folded the
// preheader computes the first value with the very operations of a trip:
//     %x0  = mix(%seed, 0)                     ; the peeled first trip
//   loop:
//     %i   = phi i32 [ 1, %pre ], [ %i.next, %loop ]
//     %sum = phi i32 [ %x0, %pre ], [ %sum.next, %loop ]
//     %x   = phi i32 [ %x0, %pre ], [ %x.next, %loop ]
//     %x.next = mix(%x, %i)  %sum.next = add %sum, %x.next  ...
// The loop runs 63 trips where the hand-written one runs 64: LLVM unrolls it
// by 3 rather than 4, and its exit values need one more register.
//
// The pass asks whether the preheader holds one trip of the loop: it unifies
// each header phi's back-edge value, an expression over the phis, with the
// value the phi enters with. An operation of the loop matches the same
// operation outside it, operand by operand (both orders for a commutative
// one); a phi matches anything, which becomes its start value. Two foldings
// InstCombine did on the peeled copy are undone on the way: `add %sum, %x`
// matches a lone %x when %sum starts at 0 (an identity), and `add %i, C`
// matches the constant K when %i starts at K - C. Above, %i starts at 0,
// %sum at 0 and %x at %seed.
//
// The loop then enters with the start values, and its first trip computes
// what the preheader computed: every matched operation had its copy in the
// preheader, run on the same operands (so the trip adds no undefined
// behaviour; flags the copy lacked, or that a solved constant breaks, are
// dropped). The trip must stay in the loop, which the exit branch shows when
// evaluated on the start values, and may hold nothing else but operations
// safe to speculate. It is worth it only when the values the loop entered
// with were computed for it alone (they die), and when LLVM's LoopUnroll,
// which runs next, copies the body: a solved start value (a counter that
// starts at -1) drops the wrap flags that LSR and ptxas count on, and a
// loop that stays rolled gains nothing for them. Only functions that run
// coroutines (RunsCoroutinesAttr) are looked at. A rerolled loop is then
// unrolled by LLVM only, not by ptxas again (UnrollOnce).
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/PeeledTripRerolling.h"
#include "coroptx/Passes/DeviceModule.h"
#include "coroptx/Passes/UnrollOnce.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/ConstantFolding.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Local.h"
#include "llvm/Transforms/Utils/UnrollLoop.h"

#define DEBUG_TYPE "coroptx-reroll-peeled-trip"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumTripsRerolled, "Peeled loop trips moved back into their loop");

namespace {

/// A body worth matching; larger ones are not a generator's consumer.
constexpr unsigned MaxLoopInstructions = 256;

/// Operand pairs tried per match: both orders of a commutative operation
/// could otherwise take exponential time on a long sum.
constexpr unsigned MatchBudget = 4096;

/// Peeled trips moved back into one loop, one at a time.
constexpr unsigned MaxRerolledTrips = 8;

/// Depth of the expression evaluated for the exit branch.
constexpr unsigned MaxEvaluationDepth = 16;

/// The unification of a loop's trip with its preheader, for a loop whose
/// blocks run in a line, every one on every trip, and only the last may
/// leave.
class PeeledTrip {
public:
  explicit PeeledTrip(Loop &L)
      : L(L), Header(L.getHeader()), Latch(L.getLoopLatch()),
        Preheader(L.getLoopPreheader()), DL(Header->getDataLayout()) {}

  /// True when the loop's phis have start values from which one trip
  /// computes the values the loop enters with, and that trip stays in the
  /// loop and computes nothing else that matters.
  bool match();

  /// Enters the loop at the start values; the preheader's trip dies.
  void reroll();

private:
  /// Where the undo log stood, to take back a failed alternative.
  struct Mark {
    size_t Bound, FlagSources, Solved;
  };

  Mark mark() const {
    return {Bound.size(), FlagSources.size(), Solved.size()};
  }
  void undoTo(Mark M);

  /// Records that \p InLoop takes the value \p Outside on the extra trip (a
  /// phi: its start value).
  bool bind(Value *InLoop, Value *Outside);

  bool matchValue(Value *InLoop, Value *Outside);
  bool matchSameOperation(Instruction &I, Value *Outside);
  bool matchAsIdentity(Instruction &I, Value *Outside);
  bool matchSolvedConstant(Instruction &I, ConstantInt *Outside);

  /// The value of \p V on the extra trip, when it folds to a constant.
  Constant *evaluate(Value *V, unsigned Depth);

  bool isHeaderPhi(const Value *V) const {
    return isa<PHINode>(V) && cast<PHINode>(V)->getParent() == Header;
  }

  /// True when the loop's blocks run in a line from the header to the
  /// latch, the latch alone branches out, and only the header merges.
  bool isStraightLine() const;

  Loop &L;
  BasicBlock *Header;
  BasicBlock *Latch;
  BasicBlock *Preheader;
  const DataLayout &DL;
  DenseMap<Value *, Value *> ValueOnExtraTrip;
  SmallVector<Value *, 32> Bound;
  /// Loop operations and their preheader copies: a flag only one has goes.
  SmallVector<std::pair<Instruction *, Instruction *>, 32> FlagSources;
  /// Operations whose operand was solved from a constant, and the wrap
  /// flags that the solved operand would break on the extra trip.
  struct SolvedOperation {
    BinaryOperator *Operation;
    bool BreaksNoUnsignedWrap, BreaksNoSignedWrap;
  };
  SmallVector<SolvedOperation, 8> Solved;
  unsigned Budget = MatchBudget;
};

} // namespace

void PeeledTrip::undoTo(Mark M) {
  while (Bound.size() > M.Bound)
    ValueOnExtraTrip.erase(Bound.pop_back_val());
  FlagSources.truncate(M.FlagSources);
  Solved.truncate(M.Solved);
}

bool PeeledTrip::bind(Value *InLoop, Value *Outside) {
  auto [It, New] = ValueOnExtraTrip.try_emplace(InLoop, Outside);
  if (!New)
    return It->second == Outside;
  Bound.push_back(InLoop);
  return true;
}

bool PeeledTrip::matchValue(Value *InLoop, Value *Outside) {
  if (Budget == 0)
    return false;
  --Budget;
  auto *I = dyn_cast<Instruction>(InLoop);
  if (!I || !L.contains(I))
    return InLoop == Outside;
  if (auto It = ValueOnExtraTrip.find(I); It != ValueOnExtraTrip.end())
    return It->second == Outside;
  if (isa<PHINode>(I))
    return isHeaderPhi(I) && bind(I, Outside);
  if (I->mayHaveSideEffects() || I->mayReadFromMemory())
    return false;
  const Mark Start = mark();
  if (matchSameOperation(*I, Outside))
    return true;
  undoTo(Start);
  if (auto *Constant = dyn_cast<ConstantInt>(Outside)) {
    if (matchSolvedConstant(*I, Constant))
      return true;
    undoTo(Start);
  }
  if (matchAsIdentity(*I, Outside))
    return true;
  undoTo(Start);
  return false;
}

bool PeeledTrip::matchSameOperation(Instruction &I, Value *Outside) {
  auto *Copy = dyn_cast<Instruction>(Outside);
  if (!Copy || L.contains(Copy) || !I.isSameOperationAs(Copy))
    return false;
  auto MatchOperands = [&](bool Swapped) {
    for (unsigned Index = 0, End = I.getNumOperands(); Index != End; ++Index) {
      unsigned CopyIndex = Swapped ? 1 - Index : Index;
      if (!matchValue(I.getOperand(Index), Copy->getOperand(CopyIndex)))
        return false;
    }
    return true;
  };
  const Mark Start = mark();
  bool Matched = MatchOperands(/*Swapped=*/false);
  if (!Matched && I.isCommutative() && I.getNumOperands() == 2) {
    undoTo(Start);
    Matched = MatchOperands(/*Swapped=*/true);
  }
  if (!Matched || !bind(&I, Copy))
    return false;
  FlagSources.push_back({&I, Copy});
  return true;
}

bool PeeledTrip::matchAsIdentity(Instruction &I, Value *Outside) {
  auto *Operation = dyn_cast<BinaryOperator>(&I);
  if (!Operation || !I.getType()->isIntegerTy())
    return false;
  for (unsigned PhiIndex : {0u, 1u}) {
    Value *Phi = I.getOperand(PhiIndex);
    if (!isHeaderPhi(Phi))
      continue;
    Constant *Identity =
        ConstantExpr::getBinOpIdentity(Operation->getOpcode(), I.getType(),
                                       /*AllowRHSConstant=*/PhiIndex == 1);
    if (!Identity)
      continue;
    const Mark Start = mark();
    if (bind(Phi, Identity) &&
        matchValue(I.getOperand(1 - PhiIndex), Outside) && bind(&I, Outside))
      return true;
    undoTo(Start);
  }
  return false;
}

bool PeeledTrip::matchSolvedConstant(Instruction &I, ConstantInt *Outside) {
  auto *Operation = dyn_cast<BinaryOperator>(&I);
  if (!Operation)
    return false;
  const APInt &Result = Outside->getValue();
  auto *RHS = dyn_cast<ConstantInt>(I.getOperand(1));
  auto *LHS = dyn_cast<ConstantInt>(I.getOperand(0));
  Value *Unknown = nullptr;
  APInt Needed;
  bool UnsignedWrap = false, SignedWrap = false;
  switch (Operation->getOpcode()) {
  case Instruction::Add:
    if (!RHS)
      return false;
    Unknown = I.getOperand(0), Needed = Result - RHS->getValue();
    Needed.uadd_ov(RHS->getValue(), UnsignedWrap);
    Needed.sadd_ov(RHS->getValue(), SignedWrap);
    break;
  case Instruction::Xor:
    if (!RHS)
      return false;
    Unknown = I.getOperand(0), Needed = Result ^ RHS->getValue();
    break;
  case Instruction::Sub:
    if (RHS) {
      Unknown = I.getOperand(0), Needed = Result + RHS->getValue();
      Needed.usub_ov(RHS->getValue(), UnsignedWrap);
      Needed.ssub_ov(RHS->getValue(), SignedWrap);
    } else if (LHS) {
      Unknown = I.getOperand(1), Needed = LHS->getValue() - Result;
      LHS->getValue().usub_ov(Needed, UnsignedWrap);
      LHS->getValue().ssub_ov(Needed, SignedWrap);
    } else {
      return false;
    }
    break;
  default:
    return false;
  }
  if (!matchValue(Unknown, ConstantInt::get(I.getType(), Needed)) ||
      !bind(&I, Outside))
    return false;
  Solved.push_back({Operation, UnsignedWrap, SignedWrap});
  return true;
}

Constant *PeeledTrip::evaluate(Value *V, unsigned Depth) {
  if (auto It = ValueOnExtraTrip.find(V); It != ValueOnExtraTrip.end())
    return dyn_cast<Constant>(It->second);
  auto *I = dyn_cast<Instruction>(V);
  if (!I || !L.contains(I))
    return dyn_cast<Constant>(V);
  if (Depth == MaxEvaluationDepth || isa<PHINode>(I))
    return nullptr;
  SmallVector<Constant *, 4> Operands;
  for (Value *Operand : I->operands()) {
    Constant *Folded = evaluate(Operand, Depth + 1);
    if (!Folded)
      return nullptr;
    Operands.push_back(Folded);
  }
  return ConstantFoldInstOperands(I, Operands, DL);
}

bool PeeledTrip::isStraightLine() const {
  unsigned Size = 0;
  for (BasicBlock *Block = Header;; Block = Block->getSingleSuccessor()) {
    if (!Block || !L.contains(Block) ||
        (Block != Header && !Block->phis().empty()))
      return false;
    Size += Block->size();
    if (Block == Latch)
      return Size <= MaxLoopInstructions;
  }
}

bool PeeledTrip::match() {
  if (!Preheader || !Latch || !isStraightLine())
    return false;
  auto *Exit = dyn_cast<BranchInst>(Latch->getTerminator());
  if (!Exit || !Exit->isConditional())
    return false;

  for (PHINode &Phi : Header->phis()) {
    Value *Entry = Phi.getIncomingValueForBlock(Preheader);
    // Worth it only when the preheader's trip dies with the reroll.
    if (auto *EntryInstruction = dyn_cast<Instruction>(Entry))
      for (User *U : EntryInstruction->users())
        if (!isHeaderPhi(U))
          return false;
    if (!matchValue(Phi.getIncomingValueForBlock(Latch), Entry))
      return false;
  }
  for (PHINode &Phi : Header->phis())
    if (!ValueOnExtraTrip.count(&Phi))
      return false;

  // What the trip computes beyond the phis' next values is thrown away by
  // the next trip; it must not have effects or undefined behaviour.
  for (BasicBlock *Block : L.blocks())
    for (Instruction &I : Block->instructionsWithoutDebug()) {
      if (isa<PHINode>(I) || I.isTerminator() || ValueOnExtraTrip.count(&I))
        continue;
      if (!isSafeToSpeculativelyExecute(&I))
        return false;
    }
  auto *StaysIfTrue = dyn_cast_or_null<ConstantInt>(
      evaluate(Exit->getCondition(), /*Depth=*/0));
  if (!StaysIfTrue)
    return false;
  return Exit->getSuccessor(StaysIfTrue->isOne() ? 0 : 1) == Header;
}

void PeeledTrip::reroll() {
  SmallVector<WeakTrackingVH, 8> EntryValues;
  for (PHINode &Phi : Header->phis()) {
    EntryValues.push_back(Phi.getIncomingValueForBlock(Preheader));
    Phi.setIncomingValueForBlock(Preheader, ValueOnExtraTrip.lookup(&Phi));
  }
  for (auto [Operation, Copy] : FlagSources)
    Operation->andIRFlags(Copy);
  for (auto [Operation, BreaksNoUnsignedWrap, BreaksNoSignedWrap] : Solved) {
    if (BreaksNoUnsignedWrap)
      Operation->setHasNoUnsignedWrap(false);
    if (BreaksNoSignedWrap)
      Operation->setHasNoSignedWrap(false);
  }
  // One value may enter several phis; a handle is null once it is deleted.
  for (WeakTrackingVH &Entry : EntryValues)
    if (Entry)
      RecursivelyDeleteTriviallyDeadInstructions(Entry);
}

/// True when LLVM's LoopUnroll will copy \p L's body at least twice: its
/// size for two copies fits the target's threshold for partial unrolling.
static bool isUnrolledPartially(Loop &L, LoopStandardAnalysisResults &AR,
                                OptimizationRemarkEmitter &Remarks) {
  const TargetTransformInfo::UnrollingPreferences Preferences =
      gatherUnrollingPreferences(&L, AR.SE, AR.TTI, /*BFI=*/nullptr,
                                 /*PSI=*/nullptr, Remarks, /*OptLevel=*/2,
                                 std::nullopt, std::nullopt, std::nullopt,
                                 std::nullopt, std::nullopt, std::nullopt);
  if (!Preferences.Partial)
    return false;
  SmallPtrSet<const Value *, 4> NoEphemeralValues;
  const UnrollCostEstimator Cost(&L, AR.TTI, NoEphemeralValues,
                                 Preferences.BEInsns);
  return Cost.getUnrolledLoopSize(Preferences, /*CountOverwrite=*/2) <=
         Preferences.PartialThreshold;
}

PreservedAnalyses PeeledTripRerollingPass::run(Loop &L, LoopAnalysisManager &,
                                               LoopStandardAnalysisResults &AR,
                                               LPMUpdater &) {
  Function &F = *L.getHeader()->getParent();
  if (!isDeviceModule(*F.getParent()) || !F.hasFnAttribute(RunsCoroutinesAttr))
    return PreservedAnalyses::all();
  OptimizationRemarkEmitter Remarks(&F);
  unsigned Rerolled = 0;
  while (Rerolled < MaxRerolledTrips) {
    PeeledTrip Trip(L);
    if (!Trip.match())
      break;
    // LLVM's cost estimate only for a loop that matched: most do not.
    if (Rerolled == 0 && !isUnrolledPartially(L, AR, Remarks))
      break;
    AR.SE.forgetLoop(&L);
    Trip.reroll();
    ++Rerolled;
  }
  if (Rerolled == 0)
    return PreservedAnalyses::all();
  NumTripsRerolled += Rerolled;
  // The loop is now the one a programmer writes; LLVM unrolls it by its
  // trip count, and ptxas must not unroll the copies again.
  noteTripCountForUnrollOnce(L, AR.SE);
  Remarks.emit([&] {
    return OptimizationRemark(DEBUG_TYPE, "Rerolled", L.getStartLoc(),
                              L.getHeader())
           << "moved " << ore::NV("Trips", Rerolled)
           << " peeled trip(s) back into the loop";
  });
  return getLoopPassPreservedAnalyses();
}
