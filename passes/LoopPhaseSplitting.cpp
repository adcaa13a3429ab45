//===- LoopPhaseSplitting.cpp - A loop's trips, by the path they take -----===//
//
// A scheduler loop over flattened coroutines that all finish on the same
// round still tests, on every round, each coroutine's done flag and the
// step its own loop has reached:
//     for (round = 1; round != 65; ++round) {
//       if (!done0) { if (++step0 == 64) { result0 = acc0; done0 = true; }
//                     else acc0 = mix(acc0, step0); }
//       ... the same for the other workers
//     }
// The hand-written loop for the same work has none of these branches: it
// knows that every worker steps on rounds 1 to 63 and finishes on round 64.
// Scalar evolution cannot prove it (a step that advances only while a flag
// is clear is not an induction variable), but the loop can be run: every
// value its branches depend on starts at a constant and is computed from
// such values alone, so evaluating the body trip by trip gives the exact
// path of every trip.
//
// The trips then fall into phases: runs of trips (or of groups of a few
// trips, for sleepers whose turns come in a period) that take the same
// path. Each phase becomes a copy of its path with the branches gone,
// repeated by a counter of its own, and the phases run one after the other:
//     for (i = 0; i != 63; ++i) { acc0 = mix(acc0, ...); ... }   // steps
//     result0 = acc0; ...                                         // finish
// SCCP, InstCombine and SimplifyCFG then fold the flags and tests that the
// paths no longer read.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/LoopPhaseSplitting.h"
#include "coroptx/Passes/DeviceModule.h"
#include "coroptx/Passes/LoopTransforms.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/LoopIterator.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

#define DEBUG_TYPE "coroptx-split-loop-phases"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumSplit, "Loops split into phases of trips that take one path");

namespace {

/// A loop body worth evaluating trip by trip.
constexpr unsigned MaxLoopInstructions = 1024;
/// Trips evaluated before giving up, and instructions evaluated in all.
constexpr unsigned MaxTrips = 4096;
constexpr unsigned MaxEvaluations = 1u << 20;
/// Distinct paths through the body before the trips count as irregular.
constexpr unsigned MaxPaths = 64;
/// The longest group of trips whose paths repeat together (sleepers whose
/// turn comes once every few rounds).
constexpr unsigned MaxPeriod = 16;
/// Phases after the split, and the instructions on their paths in all.
constexpr unsigned MaxPhases = 4;
constexpr unsigned MaxCopiedInstructions = 4096;

/// The path one trip takes through the body: its blocks from the header
/// to the latch, and whether it leaves the loop there.
struct TripPath {
  SmallVector<BasicBlock *, 16> Blocks;
  bool Exits = false;

  bool operator==(const TripPath &Other) const {
    return Exits == Other.Exits && Blocks == Other.Blocks;
  }
};

/// A run of \p Repeats groups of trips, each group taking the paths
/// \p Paths (indices into the loop's distinct paths) in order.
struct Phase {
  SmallVector<unsigned, 16> Paths;
  unsigned Repeats = 1;
};

/// Whether \p L has the one shape the split handles: one latch that is also
/// the only exit, no calls that copies could break, no user request to
/// keep it as it is, and a branch other than the latch's to fold.
bool hasSplittableShape(const Loop &L) {
  BasicBlock *Latch = L.getLoopLatch();
  if (!L.isInnermost() || !L.getLoopPreheader() || !Latch ||
      L.getExitingBlock() != Latch || !L.getUniqueExitBlock())
    return false;
  if (loopInstructionCount(L) > MaxLoopInstructions ||
      (hasUnrollTransformation(&L) & TM_Disable))
    return false;
  bool HasInnerBranch = false;
  for (BasicBlock *Block : L.blocks()) {
    Instruction *Terminator = Block->getTerminator();
    if (!isa<BranchInst, SwitchInst>(Terminator))
      return false;
    if (Block != Latch && Terminator->getNumSuccessors() > 1)
      HasInnerBranch = true;
    for (Instruction &I : *Block) {
      // A scope declared in the body would be shared by every copy, which
      // would then claim not to alias each other's accesses.
      if (I.getType()->isTokenTy() || isa<NoAliasScopeDeclInst>(I))
        return false;
      if (auto *Call = dyn_cast<CallBase>(&I);
          Call && (Call->isConvergent() || Call->cannotDuplicate()))
        return false;
    }
  }
  return HasInnerBranch;
}

/// The instructions of \p L whose value on every trip follows from constants
/// alone: the header phis that enter at a constant and whose back-edge value
/// is again such an instruction (the loop's control states), and the
/// arithmetic, compares and merges over them. Empty unless every branch of
/// the loop is decided by them.
///
/// A state may enter undefined: the step counter of a coroutine that a
/// later round starts is set only then. The evaluation carries such a value
/// as undef and gives up if a branch ever depends on it, so the paths it
/// finds hold whatever the value is.
SmallPtrSet<Instruction *, 32> controlSlice(Loop &L,
                                            const LoopBlocksRPO &Order) {
  BasicBlock *Header = L.getHeader();
  SmallPtrSet<PHINode *, 16> States;
  for (PHINode &Phi : Header->phis())
    if (Phi.getType()->isIntegerTy() &&
        isa<Constant>(Phi.getIncomingValueForBlock(L.getLoopPreheader())))
      States.insert(&Phi);

  for (;;) {
    SmallPtrSet<Instruction *, 32> Slice(States.begin(), States.end());
    auto InSlice = [&](Value *V) {
      auto *I = dyn_cast<Instruction>(V);
      return isa<Constant>(V) || (I && Slice.contains(I));
    };
    for (BasicBlock *Block : Order)
      for (Instruction &I : *Block) {
        if (I.isTerminator() || (Block == Header && isa<PHINode>(I)) ||
            !I.getType()->isIntegerTy())
          continue;
        if (auto *Merge = dyn_cast<PHINode>(&I)) {
          if (all_of(Merge->incoming_values(), InSlice))
            Slice.insert(Merge);
          continue;
        }
        if (isa<CallBase, AllocaInst>(I) || I.mayReadOrWriteMemory() ||
            I.mayHaveSideEffects())
          continue;
        if (all_of(I.operands(), InSlice))
          Slice.insert(&I);
      }

    bool Dropped = false;
    for (PHINode *State :
         SmallVector<PHINode *, 16>(States.begin(), States.end()))
      if (!InSlice(State->getIncomingValueForBlock(L.getLoopLatch()))) {
        States.erase(State);
        Dropped = true;
      }
    if (Dropped)
      continue;

    for (BasicBlock *Block : L.blocks())
      if (Value *Condition = decidingCondition(*Block->getTerminator());
          Condition && !InSlice(Condition))
        return {};
    return Slice;
  }
}

/// The loop run trip by trip on its control slice: the distinct paths its
/// trips take, and the path of each trip in order.
class TripEvaluation {
public:
  TripEvaluation(Loop &L, const SmallPtrSetImpl<Instruction *> &Slice)
      : L(L), Slice(Slice) {}

  /// Runs the loop to its exit. False when it does not exit within the
  /// limits, or a value on the way does not fold to a defined constant.
  bool run() {
    DenseMap<const PHINode *, Constant *> States;
    for (PHINode &Phi : L.getHeader()->phis())
      if (Slice.contains(&Phi))
        States[&Phi] =
            cast<Constant>(Phi.getIncomingValueForBlock(L.getLoopPreheader()));

    for (unsigned Trip = 0; Trip < MaxTrips; ++Trip) {
      Values.clear();
      for (auto [Phi, Value] : States)
        Values[Phi] = Value;
      TripPath Path;
      if (!runTrip(Path))
        return false;
      if (!recordPath(std::move(Path)))
        return false;
      if (Paths[Trips.back()].Exits)
        return true;
      DenseMap<const PHINode *, Constant *> Next;
      for (auto [Phi, Value] : States)
        Next[Phi] = valueOf(Phi->getIncomingValueForBlock(L.getLoopLatch()));
      States = std::move(Next);
    }
    return false;
  }

  ArrayRef<TripPath> paths() const { return Paths; }
  ArrayRef<unsigned> trips() const { return Trips; }

private:
  /// The value of \p V on this trip: a defined constant, undef where it
  /// depends on a state that entered undefined, or null where the trip
  /// has not computed it.
  Constant *valueOf(Value *V) const {
    if (auto *C = dyn_cast<Constant>(V))
      return C;
    return Values.lookup(V);
  }

  bool runTrip(TripPath &Path) {
    BasicBlock *Header = L.getHeader();
    BasicBlock *Block = Header, *From = nullptr;
    for (;;) {
      Path.Blocks.push_back(Block);
      BasicBlock *Next = nullptr;
      for (Instruction &I : *Block) {
        if (++Evaluations > MaxEvaluations)
          return false;
        if (I.isTerminator()) {
          Next = successorTaken(I);
          break;
        }
        if (!Slice.contains(&I) || (Block == Header && isa<PHINode>(I)))
          continue;
        Constant *Value = evaluate(I, From);
        if (!Value)
          return false;
        Values[&I] = Value;
      }
      if (!Next)
        return false;
      if (Next == Header)
        return true;
      if (!L.contains(Next)) {
        Path.Exits = true;
        return true;
      }
      From = Block;
      Block = Next;
    }
  }

  Constant *evaluate(Instruction &I, BasicBlock *From) const {
    if (auto *Merge = dyn_cast<PHINode>(&I))
      return valueOf(Merge->getIncomingValueForBlock(From));
    SmallVector<Constant *, 4> Operands;
    for (Value *Operand : I.operands()) {
      Constant *C = valueOf(Operand);
      if (!C)
        return nullptr;
      if (!definedConstant(C))
        return UndefValue::get(I.getType());
      Operands.push_back(C);
    }
    Constant *Folded = foldWithOperands(I, Operands);
    if (!Folded)
      return nullptr;
    // Poison (an overflow the flags rule out) decides no branch either.
    return definedConstant(Folded) ? Folded : UndefValue::get(I.getType());
  }

  BasicBlock *successorTaken(Instruction &Terminator) const {
    Value *Condition = decidingCondition(Terminator);
    return Condition ? successorFor(Terminator, valueOf(Condition))
                     : Terminator.getSuccessor(0);
  }

  bool recordPath(TripPath Path) {
    auto Known = find(Paths, Path);
    if (Known == Paths.end()) {
      if (Paths.size() == MaxPaths)
        return false;
      Paths.push_back(std::move(Path));
      Known = std::prev(Paths.end());
    }
    Trips.push_back(Known - Paths.begin());
    return true;
  }

  Loop &L;
  const SmallPtrSetImpl<Instruction *> &Slice;
  DenseMap<const Value *, Constant *> Values;
  SmallVector<TripPath, 8> Paths;
  SmallVector<unsigned, 128> Trips;
  unsigned Evaluations = 0;
};

/// The instructions of \p Path that a copy keeps: those outside the control
/// slice. The slice's compares and merges fold away with the branches.
unsigned pathSize(const TripPath &Path,
                  const SmallPtrSetImpl<Instruction *> &Slice) {
  unsigned Size = 0;
  for (const BasicBlock *Block : Path.Blocks)
    for (const Instruction &I : *Block)
      if (!Slice.contains(&I))
        ++Size;
  return Size;
}

/// The trips \p Trips grouped into at most MaxPhases phases, by the
/// shortest period that gets there with a phase that repeats (one that
/// does not is full unrolling, LLVM's business) and within the size budget;
/// \p PathSizes holds what a copy of each distinct path costs.
SmallVector<Phase, 4> planPhases(ArrayRef<unsigned> Trips,
                                 ArrayRef<unsigned> PathSizes) {
  for (size_t Period = 1; Period <= MaxPeriod && Period < Trips.size();
       ++Period) {
    SmallVector<Phase, 4> Phases;
    for (size_t Start = 0; Start < Trips.size() && Phases.size() <= MaxPhases;
         Start += Period) {
      ArrayRef<unsigned> Group =
          Trips.slice(Start, std::min(Period, Trips.size() - Start));
      if (!Phases.empty() && ArrayRef(Phases.back().Paths) == Group)
        ++Phases.back().Repeats;
      else
        Phases.push_back({SmallVector<unsigned, 16>(Group), 1});
    }
    if (Phases.size() > MaxPhases ||
        none_of(Phases, [](const Phase &P) { return P.Repeats > 1; }))
      continue;
    unsigned Copied = 0;
    for (const Phase &P : Phases)
      for (unsigned Path : P.Paths)
        Copied += PathSizes[Path];
    if (Copied <= MaxCopiedInstructions)
      return Phases;
  }
  return {};
}

/// A loop to split, with what its evaluation found.
struct SplitPlan {
  Loop *L;
  SmallVector<TripPath, 8> Paths;
  SmallVector<Phase, 4> Phases;
  unsigned Trips;
};

/// Builds the phases of a loop in place of the loop: each a chain of copies
/// of its paths (every branch taken as the evaluation found it), with a
/// counter and a back edge when it repeats, entered with the states the
/// previous phase leaves.
class PhaseBuilder {
public:
  explicit PhaseBuilder(const SplitPlan &Plan)
      : L(*Plan.L), Plan(Plan), F(*L.getHeader()->getParent()),
        Header(L.getHeader()), Latch(L.getLoopLatch()),
        Exit(L.getUniqueExitBlock()) {
    BasicBlock *Preheader = L.getLoopPreheader();
    for (PHINode &Phi : Header->phis())
      States[&Phi] = Phi.getIncomingValueForBlock(Preheader);
    Into = Preheader->getTerminator();
  }

  void build() {
    for (const Phase &P : Plan.Phases)
      P.Repeats > 1 ? buildRepeated(P) : buildOnce(P);
    deleteLoop();
  }

private:
  /// Sends the pending branch into the next phase to \p Entry.
  void enter(BasicBlock *Entry) {
    for (unsigned Index = 0; Index < Into->getNumSuccessors(); ++Index)
      if (Into->getSuccessor(Index) == Header)
        Into->setSuccessor(Index, Entry);
  }

  void buildOnce(const Phase &P) {
    BasicBlock *Last = nullptr;
    for (unsigned Path : P.Paths) {
      auto [First, End] = copyTrip(Plan.Paths[Path]);
      Last ? (void)BranchInst::Create(First, Last) : enter(First);
      Last = End;
    }
    if (!Plan.Paths[P.Paths.back()].Exits)
      Into = BranchInst::Create(Header, Last);
  }

  void buildRepeated(const Phase &P) {
    LLVMContext &Context = F.getContext();
    BasicBlock *Entry = Into->getParent();
    BasicBlock *Repeat = BasicBlock::Create(Context, "phase", &F, Exit);
    enter(Repeat);
    SmallVector<std::pair<PHINode *, PHINode *>, 32> Merges;
    for (auto &[Phi, State] : States) {
      PHINode *Merge =
          PHINode::Create(Phi->getType(), 2, Phi->getName() + ".phase", Repeat);
      Merge->addIncoming(State, Entry);
      Merges.push_back({Phi, Merge});
      State = Merge;
    }
    Type *CountType = Type::getInt32Ty(Context);
    PHINode *Count = PHINode::Create(CountType, 2, "phase.count", Repeat);
    Count->addIncoming(ConstantInt::get(CountType, 0), Entry);

    BasicBlock *Last = Repeat;
    for (unsigned Path : P.Paths) {
      auto [First, End] = copyTrip(Plan.Paths[Path]);
      BranchInst::Create(First, Last);
      Last = End;
    }
    Value *Next = BinaryOperator::CreateNUWAdd(
        Count, ConstantInt::get(CountType, 1), "phase.next", Last);
    Value *Over =
        new ICmpInst(Last->end(), ICmpInst::ICMP_EQ, Next,
                     ConstantInt::get(CountType, P.Repeats), "phase.over");
    Into = BranchInst::Create(Header, Repeat, Over, Last);
    for (auto [Phi, Merge] : Merges)
      Merge->addIncoming(States[Phi], Last);
    Count->addIncoming(Next, Last);
  }

  /// A copy of the blocks of \p Path, from the states at the start of its
  /// trip; the states become those at its end. Returns its first and last
  /// block; the last has no terminator unless the trip leaves the loop.
  std::pair<BasicBlock *, BasicBlock *> copyTrip(const TripPath &Path) {
    ValueToValueMapTy Map;
    for (auto [Phi, State] : States)
      Map[Phi] = State;
    auto Mapped = [&](Value *V) -> Value * {
      Value *Copy = Map.lookup(V);
      return Copy ? Copy : V;
    };

    BasicBlock *First = nullptr, *Last = nullptr, *From = nullptr;
    for (BasicBlock *Original : Path.Blocks) {
      BasicBlock *Copy = BasicBlock::Create(
          F.getContext(), Original->getName() + ".phase", &F, Exit);
      for (Instruction &I : *Original) {
        if (auto *Merge = dyn_cast<PHINode>(&I)) {
          if (Original != Header)
            Map[Merge] = Mapped(Merge->getIncomingValueForBlock(From));
          continue;
        }
        if (I.isTerminator())
          break;
        Instruction *Clone = I.clone();
        Clone->setName(I.getName());
        Clone->insertInto(Copy, Copy->end());
        Map[&I] = Clone;
        RemapInstruction(Clone, Map,
                         RF_NoModuleLevelChanges | RF_IgnoreMissingLocals);
      }
      Last ? (void)BranchInst::Create(Copy, Last) : (void)(First = Copy);
      Last = Copy;
      From = Original;
    }

    if (Path.Exits) {
      for (PHINode &Merge : Exit->phis())
        for (unsigned Index = 0; Index < Merge.getNumIncomingValues(); ++Index)
          if (Merge.getIncomingBlock(Index) == Latch) {
            Merge.setIncomingValue(Index,
                                   Mapped(Merge.getIncomingValue(Index)));
            Merge.setIncomingBlock(Index, Last);
          }
      BranchInst::Create(Exit, Last);
    } else {
      MapVector<PHINode *, Value *> Next;
      for (auto [Phi, State] : States)
        Next[Phi] = Mapped(Phi->getIncomingValueForBlock(Latch));
      States = std::move(Next);
    }
    return {First, Last};
  }

  void deleteLoop() {
    SmallVector<BasicBlock *, 32> Blocks(L.blocks());
    for (BasicBlock *Block : Blocks)
      Block->dropAllReferences();
    for (BasicBlock *Block : Blocks)
      Block->eraseFromParent();
  }

  Loop &L;
  const SplitPlan &Plan;
  Function &F;
  BasicBlock *Header, *Latch, *Exit;
  /// Each header phi's value at the start of the next trip to copy.
  MapVector<PHINode *, Value *> States;
  /// The branch that enters the next phase; it points at the old header
  /// until that phase is built.
  Instruction *Into;
};

/// The plan for \p L, if its trips split into phases.
std::optional<SplitPlan> planSplit(Loop &L, const LoopInfo &LI) {
  if (!hasSplittableShape(L))
    return std::nullopt;
  LoopBlocksRPO Order(&L);
  Order.perform(&LI);
  SmallPtrSet<Instruction *, 32> Slice = controlSlice(L, Order);
  if (Slice.empty())
    return std::nullopt;
  TripEvaluation Evaluation(L, Slice);
  if (!Evaluation.run())
    return std::nullopt;
  SmallVector<unsigned, 8> PathSizes;
  for (const TripPath &Path : Evaluation.paths())
    PathSizes.push_back(pathSize(Path, Slice));
  SmallVector<Phase, 4> Phases = planPhases(Evaluation.trips(), PathSizes);
  if (Phases.empty())
    return std::nullopt;
  return SplitPlan{&L, SmallVector<TripPath, 8>(Evaluation.paths()),
                   std::move(Phases),
                   static_cast<unsigned>(Evaluation.trips().size())};
}

} // namespace

PreservedAnalyses LoopPhaseSplittingPass::run(Function &F,
                                              FunctionAnalysisManager &FAM) {
  if (F.isDeclaration() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  auto &LI = FAM.getResult<LoopAnalysis>(F);
  SmallVector<SplitPlan, 2> Plans;
  for (Loop *L : LI.getLoopsInPreorder())
    if (std::optional<SplitPlan> Plan = planSplit(*L, LI))
      Plans.push_back(std::move(*Plan));
  if (Plans.empty())
    return PreservedAnalyses::all();

  // The phases take over the loop's values at its exit through the exit's
  // phis, so every value used outside the loop must go through one.
  auto &DT = FAM.getResult<DominatorTreeAnalysis>(F);
  auto *SE = FAM.getCachedResult<ScalarEvolutionAnalysis>(F);
  for (SplitPlan &Plan : Plans)
    formLCSSA(*Plan.L, DT, &LI, SE);

  OptimizationRemarkEmitter Remarks(&F);
  for (SplitPlan &Plan : Plans) {
    const DebugLoc Where = Plan.L->getStartLoc();
    BasicBlock *Header = Plan.L->getHeader();
    Remarks.emit([&] {
      unsigned Period = Plan.Phases.front().Paths.size();
      return OptimizationRemark(DEBUG_TYPE, "Split", Where, Header)
             << "the " << ore::NV("Trips", Plan.Trips)
             << " trips of this loop split into "
             << ore::NV("Phases", unsigned(Plan.Phases.size()))
             << " phases, each repeating one path through "
             << ore::NV("Period", Period) << (Period == 1 ? " trip" : " trips")
             << "; their branches fold";
    });
    PhaseBuilder(Plan).build();
    ++NumSplit;
  }
  return PreservedAnalyses::none();
}
