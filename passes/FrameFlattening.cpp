//===- FrameFlattening.cpp - Frames whose handles never leave -------------===//
//
// Once LocalFramePlacement has put a kernel's coroutine frames into one stack
// object and the resume parts are inlined into the transfer loop, the frames
// are still memory: the loop's current handle is a phi of pointers into the
// object, and a child's frame holds its parent's address. SROA gives up on an
// object whose address is stored or merged, so ptxas sees local-memory loads
// and stores where the hand-written state machine has registers.
//
// This pass gives every such pointer (a "handle") a small integer code: 0 for
// null, 1 + k for byte k of the object, and one code per pointer constant
// (the no-op frame) past the end. Handles stored in the object are stored as
// codes; merges of handles become merges of codes; a load or store through a
// handle becomes one access per byte offset the handle can hold, at constant
// offsets, picked by compares of the code. What is left is an object accessed
// only at constant offsets, which SROA splits into SSA values.
//
// The analysis is a flow-insensitive fixpoint over the function: which codes
// each handle may hold, and which pointer slots of the object hold handles.
// Anything it cannot see through (a handle passed to a call, stored outside
// the object, compared by order, indexed by a variable that may take any
// value) leaves the object as it is; the pass never guesses. An index that is
// a phi or select of constants is a small set of steps: SimplifyCFG makes
// one when it sinks two loads of different fields into their common
// successor.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/FrameFlattening.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/ConstantFolding.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/ConstantRange.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Local.h"

#include <map>

#define DEBUG_TYPE "coroptx-flatten-frames"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumFlattenedObjects, "Stack objects whose handles became codes");
STATISTIC(NumRewrittenAccesses, "Accesses through handles at fixed offsets");
STATISTIC(NumFoldedDispatchCompares,
          "Dispatch compares on frame slots turned into tests of codes");

namespace {

/// The codes one handle may hold.
using CodeSet = SmallSetVector<int64_t, 8>;

/// Beyond this many targets an access costs more as compares than as memory.
constexpr unsigned MaxTargetsPerHandle = 32;

/// A pointer slot of the object: 8 bytes at one offset.
struct PointerSlot {
  bool HoldsHandles = false; ///< Some store puts a handle here.
  bool HoldsOther = false;   ///< Some store puts a pointer from elsewhere here.
  CodeSet Contents;          ///< What the stores put here, as codes.
};

class HandleWeb {
public:
  HandleWeb(AllocaInst &Object, uint64_t Size, const DominatorTree &DT)
      : Object(Object), F(*Object.getFunction()), Size(Size), DT(DT),
        DL(F.getDataLayout()) {}

  /// Finds every handle into the object; false where one escapes the
  /// analysis or nothing is there to flatten.
  bool analyze();
  void rewrite();
  /// Why analyze() gave up, and where.
  StringRef reason() const { return Reason; }
  const Instruction *culprit() const { return Culprit; }

private:
  int64_t objectCode(int64_t Offset) const { return Offset + 1; }
  bool isObjectCode(int64_t Code) const {
    return Code >= 1 && Code <= static_cast<int64_t>(Size) + 1;
  }
  int64_t offsetOf(int64_t Code) const { return Code - 1; }
  int64_t constantCode(Constant *C) { return constantCode({C, 0}); }
  /// A pointer constant as the analysis sees it: a root constant as the
  /// code found it, and a byte offset from there.
  using ConstantTarget = std::pair<Constant *, int64_t>;
  int64_t constantCode(ConstantTarget Target);
  const ConstantTarget &constantTarget(int64_t Code) const {
    return Constants[Code - static_cast<int64_t>(Size) - 2];
  }
  Constant *constantOf(int64_t Code) const;
  /// The bytes of the global a constant root points to the start of.
  std::optional<uint64_t> rootBytes(Constant *Root) const;
  std::optional<int64_t> moveCode(int64_t Code, int64_t Delta);
  /// How far \p GEP may move its pointer: its constant offset, or one
  /// offset per value of an index that is a phi or select of constants.
  struct Steps {
    SmallVector<int64_t, 4> Deltas;
    Value *Index = nullptr; ///< The variable index, if any.
    int64_t Scale = 0;      ///< Bytes per unit of \p Index.
    int64_t Constant = 0;   ///< The offset apart from \p Index.
  };
  std::optional<Steps> stepsOf(GetElementPtrInst &GEP) const;

  /// The targets of an access of \p Accessed through a handle with \p Codes:
  /// null and the offsets where it would not fit are never accessed.
  CodeSet accessedTargets(const CodeSet &Codes, Type *Accessed) const;
  bool explain(StringRef Why, const Instruction *At = nullptr) {
    if (Reason.empty()) {
      Reason = Why;
      Culprit = At;
    }
    return false;
  }
  /// The codes \p Pointer may hold at \p At: the slot tests that dominate
  /// \p At rule out frames whose slot never held the constant tested equal,
  /// or held nothing but constants tested unequal. A test on a frame also
  /// constrains the addresses of its fields.
  CodeSet targetsAt(Value *Pointer, const Instruction &At,
                    unsigned Depth = 0);
  /// How many meeting points targetsAt looks back through.
  static constexpr unsigned MaxMergeDepth = 2;
  /// Whether the 8 bytes at \p Frame ever hold something other than
  /// constants: stores of other pointers, of integers, or in part.
  bool mayHoldUnknown(int64_t Frame) const;
  /// The contents of the slot at \p Frame, as codes; none if never written.
  std::optional<CodeSet> slotContents(int64_t Frame);
  /// Whether the slot at \p Frame may hold a code \p IsWanted accepts (or
  /// anything unknown).
  bool mayHoldSome(int64_t Frame, function_ref<bool(int64_t)> IsWanted);
  bool mayHold(int64_t Frame, Constant *Tested);
  bool mayHoldOtherThan(int64_t Frame, ArrayRef<Constant *> Excluded);
  void findSlotTests();
  /// The pointer slots that share a byte with [\p Begin, \p End).
  auto slotsOverlapping(int64_t Begin, int64_t End) const {
    return make_range(Slots.lower_bound(Begin - 7), Slots.lower_bound(End));
  }
  bool isHandle(const Value *V) const {
    return Handles.contains(const_cast<Value *>(V));
  }
  /// A handle or a constant: what the rewrite gives an integer code.
  bool hasCode(const Value *V) const { return isHandle(V) || isa<Constant>(V); }
  /// The handle \p V stores: itself, or the handle behind a ptrtoint.
  Value *storedHandle(Value *V) const;
  bool mergeInto(Value *V, const CodeSet &Codes, bool &Changed);
  /// Marks the pointer slot at \p Offset as one that holds handles.
  PointerSlot &handleSlot(int64_t Offset, bool &Changed);
  bool transfer(Instruction &I, bool &Changed);
  bool transferLoad(LoadInst &Load, bool &Changed);
  bool transferStore(StoreInst &Store, bool &Changed);
  bool transferMemSet(MemSetInst &Set, bool &Changed);
  /// Whether a zero fill covers all 8 bytes at \p Offset.
  bool zeroFilled(int64_t Offset) const;
  bool transferMerge(Instruction &Merge, ArrayRef<Value *> Incoming,
                     bool &Changed);
  bool usesAreUnderstood();
  bool slotsAreConsistent();

  Value *codeOf(Value *V);
  /// The code of \p V where \p At uses it: a constant where the tests
  /// that hold there leave one target. A constant next code on every edge
  /// of a transfer loop is what lets DFA jump threading remove the loop's
  /// dispatch.
  Value *codeAt(Value *V, const Instruction &At);
  /// The code of \p V given \p Targets, the codes it may hold at its use.
  Value *codeAmong(Value *V, const CodeSet &Targets);
  /// \p IfTarget where \p Code is \p Target, else \p Otherwise; just
  /// \p IfTarget when there is no other value yet (the first target of a
  /// chain needs no compare).
  Value *pickByCode(IRBuilder<> &B, Value *Code, int64_t Target,
                    Value *IfTarget, Value *Otherwise);
  Value *objectByte(IRBuilder<> &B, int64_t Offset);
  Align alignAt(int64_t Offset, Align Claimed) const;
  /// \p Accessed, or the integer of its store size where it has bits to
  /// spare (the i2 of a suspend index): SROA only promotes whole bytes.
  Type *wholeBytes(Type *Accessed) const;
  void rewriteLoad(LoadInst &Load);
  void rewriteStore(StoreInst &Store);
  /// How a dispatch compare of the slot \p Slot with \p Tested comes out,
  /// where every value the slot may hold gives the same answer.
  std::optional<bool> dispatchOutcome(int64_t Slot, Constant *Tested);
  /// Rewrites the dispatch compares of \p Load's value as tests of
  /// \p AddressCode, given what the load reads at each target.
  void rewriteDispatchCompares(LoadInst &Load, Value *AddressCode,
                               ArrayRef<std::pair<int64_t, Value *>> Loaded);

  AllocaInst &Object;
  Function &F;
  uint64_t Size;
  const DominatorTree &DT;
  const DataLayout &DL;
  MapVector<Value *, CodeSet> Handles;
  std::map<int64_t, PointerSlot> Slots;
  DenseMap<ConstantTarget, int64_t> ConstantCodes;
  SmallVector<ConstantTarget, 4> Constants;
  DenseMap<Value *, Value *> Codes;
  SmallVector<Instruction *, 32> Replaced;
  /// Where a branch compared the pointer at \p Frame with a constant: a
  /// dispatch on a resume or destroy slot, a done() test on a resume slot.
  struct SlotTest {
    Value *Frame;
    int64_t Offset;     ///< Where the slot is, from \p Frame.
    Constant *Tested;
    bool Equal;         ///< Which way \p Region has the compare come out.
    BasicBlock *Region; ///< Every block it dominates has that outcome.
    /// For an assumption instead: every instruction it dominates.
    const Instruction *Assumption = nullptr;

    bool holdsAt(const DominatorTree &DT, const Instruction &At) const {
      return Assumption ? DT.dominates(Assumption, &At)
                        : DT.dominates(Region, At.getParent());
    }
  };
  /// The frames, with the offset of the slot, a compared value was loaded
  /// from.
  SmallVector<std::pair<Value *, int64_t>, 2> slotsRead(Value *Compared) const;
  /// \p Address as a base and the constant inbounds offset from it.
  std::pair<Value *, int64_t> baseAndOffset(Value *Address) const;
  /// The slot tests of each frame pointer. targetsAt asks for one pointer's
  /// tests at every access, and a kernel with many inlined dispatches has
  /// thousands of tests.
  DenseMap<Value *, SmallVector<SlotTest, 2>> SlotTests;
  ArrayRef<SlotTest> slotTestsOf(const Value *Frame) const {
    auto It = SlotTests.find(Frame);
    return It == SlotTests.end() ? ArrayRef<SlotTest>() : It->second;
  }
  /// Bytes of the object written by stores that are not pointers.
  SmallVector<std::pair<int64_t, int64_t>, 16> OtherStores;
  /// Bytes of the object a memset clears: a pointer slot inside holds null.
  SmallVector<std::pair<int64_t, int64_t>, 4> ZeroFills;
  /// The memsets of the object, with the bytes each one writes.
  SmallVector<std::pair<MemSetInst *, std::pair<int64_t, int64_t>>, 4> MemSets;
  /// Whether a slot test ever ruled out a frame for an access.
  bool TestsRuledOutFrames = false;
  /// Whether the iteration has reached its fixed point once: no set of
  /// targets grows any more.
  bool TargetsAreFinal = false;
  /// The pointer loads found, with final targets, to never run.
  SmallPtrSet<LoadInst *, 8> NeverRunningLoads;
  StringRef Reason;
  const Instruction *Culprit = nullptr;
};

} // namespace

int64_t HandleWeb::constantCode(ConstantTarget Target) {
  if (Target.second == 0 &&
      (Target.first->isNullValue() || isa<UndefValue>(Target.first)))
    return 0;
  auto [It, Inserted] = ConstantCodes.try_emplace(
      Target, static_cast<int64_t>(Size) + 2 + Constants.size());
  if (Inserted)
    Constants.push_back(Target);
  return It->second;
}

Constant *HandleWeb::constantOf(int64_t Code) const {
  auto [Root, Offset] = constantTarget(Code);
  if (Offset == 0)
    return Root;
  Type *Index = DL.getIndexType(Root->getType());
  return ConstantExpr::getGetElementPtr(Type::getInt8Ty(F.getContext()), Root,
                                        ConstantInt::get(Index, Offset));
}

std::optional<uint64_t> HandleWeb::rootBytes(Constant *Root) const {
  if (auto *Global = dyn_cast<GlobalVariable>(Root->stripPointerCasts()))
    return DL.getTypeAllocSize(Global->getValueType());
  return std::nullopt;
}

std::optional<int64_t> HandleWeb::moveCode(int64_t Code, int64_t Delta) {
  if (isObjectCode(Code)) {
    int64_t Offset = offsetOf(Code) + Delta;
    if (Offset < 0 || Offset > static_cast<int64_t>(Size))
      return std::nullopt;
    return objectCode(Offset);
  }
  if (Code == 0)
    return Delta == 0 ? std::optional<int64_t>(0) : std::nullopt;
  auto [Root, Offset] = constantTarget(Code);
  int64_t Moved = Offset + Delta;
  std::optional<uint64_t> Bytes = rootBytes(Root);
  if (Bytes && (Moved < 0 || Moved > static_cast<int64_t>(*Bytes)))
    return std::nullopt;
  return constantCode({Root, Moved});
}

/// The constants a phi or select web ending in \p Index may yield, at most
/// \p Limit of them; none if anything else can flow in.
static std::optional<SmallVector<int64_t, 4>> constantValues(Value *Index,
                                                             unsigned Limit) {
  SmallVector<int64_t, 4> Values;
  SmallVector<Value *, 8> Worklist{Index};
  SmallPtrSet<Value *, 8> Seen{Index};
  while (!Worklist.empty()) {
    Value *V = Worklist.pop_back_val();
    if (auto *C = dyn_cast<ConstantInt>(V)) {
      if (!is_contained(Values, C->getSExtValue()))
        Values.push_back(C->getSExtValue());
      if (Values.size() > Limit)
        return std::nullopt;
      continue;
    }
    if (!isa<PHINode, SelectInst>(V))
      return std::nullopt;
    for (Value *Source : mergedValues(*cast<Instruction>(V)))
      if (Seen.insert(Source).second)
        Worklist.push_back(Source);
  }
  return Values;
}

/// The values \p Index may take at \p At, at most \p Limit of them, as the
/// branches that dominate \p At bound it: LLVM folds a chain of compares
/// that each access one element of an array (`if (i == 0) a[0] = x; else
/// if (i == 1) ...`) into one access at a variable index, behind a branch
/// that bounds it. None if no such bound is found.
static std::optional<SmallVector<int64_t, 4>>
boundedValues(Value *Index, const Instruction &At, const DominatorTree &DT,
              unsigned Limit) {
  Value *Source = Index;
  if (auto *Extend = dyn_cast<CastInst>(Index);
      Extend && isa<ZExtInst, SExtInst>(Extend))
    Source = Extend->getOperand(0);
  if (!Source->getType()->isIntegerTy())
    return std::nullopt;
  ConstantRange Range = computeConstantRange(Source, /*ForSigned=*/false);
  const DomTreeNode *Node = DT.getNode(At.getParent());
  for (; Node && Node->getIDom(); Node = Node->getIDom()) {
    BasicBlock *Dominator = Node->getIDom()->getBlock();
    auto *Branch = dyn_cast<BranchInst>(Dominator->getTerminator());
    auto *Compare = Branch && Branch->isConditional()
                        ? dyn_cast<ICmpInst>(Branch->getCondition())
                        : nullptr;
    auto *Bound =
        Compare ? dyn_cast<ConstantInt>(Compare->getOperand(1)) : nullptr;
    if (!Bound || Compare->getOperand(0) != Source)
      continue;
    for (unsigned Taken : {0u, 1u}) {
      BasicBlockEdge Edge(Dominator, Branch->getSuccessor(Taken));
      if (!DT.dominates(Edge, At.getParent()))
        continue;
      CmpInst::Predicate Holds =
          Taken == 0 ? Compare->getPredicate() : Compare->getInversePredicate();
      Range = Range.intersectWith(
          ConstantRange::makeExactICmpRegion(Holds, Bound->getValue()));
    }
  }
  if (Range.isFullSet() || Range.isWrappedSet() ||
      (Range.getUpper() - Range.getLower()).ugt(Limit))
    return std::nullopt;
  SmallVector<int64_t, 4> Values;
  bool Signed = isa<SExtInst>(Index);
  for (APInt V = Range.getLower(); V != Range.getUpper(); ++V)
    Values.push_back(Signed ? V.getSExtValue() : V.getZExtValue());
  return Values;
}

std::optional<HandleWeb::Steps>
HandleWeb::stepsOf(GetElementPtrInst &GEP) const {
  unsigned Bits = DL.getIndexTypeSizeInBits(GEP.getType());
  SmallMapVector<Value *, APInt, 4> VariableOffsets;
  APInt ConstantOffset(Bits, 0);
  if (!GEP.collectOffset(DL, Bits, VariableOffsets, ConstantOffset) ||
      VariableOffsets.size() > 1)
    return std::nullopt;
  Steps Moves;
  Moves.Constant = ConstantOffset.getSExtValue();
  if (VariableOffsets.empty()) {
    Moves.Deltas.push_back(Moves.Constant);
    return Moves;
  }
  auto &[Index, Scale] = VariableOffsets.front();
  std::optional<SmallVector<int64_t, 4>> Values =
      constantValues(Index, /*Limit=*/16);
  if (!Values)
    Values = boundedValues(Index, GEP, DT, /*Limit=*/16);
  if (!Values)
    return std::nullopt;
  Moves.Index = Index;
  Moves.Scale = Scale.getSExtValue();
  for (int64_t Value : *Values)
    Moves.Deltas.push_back(Moves.Constant + Moves.Scale * Value);
  return Moves;
}

CodeSet HandleWeb::accessedTargets(const CodeSet &Codes, Type *Accessed) const {
  uint64_t Bytes = DL.getTypeStoreSize(Accessed);
  CodeSet Targets;
  for (int64_t Code : Codes) {
    if (Code == 0)
      continue;
    if (isObjectCode(Code)) {
      if (offsetOf(Code) + Bytes <= Size)
        Targets.insert(Code);
      continue;
    }
    // A constant frame: an access past its end never runs either.
    auto [Root, Offset] = constantTarget(Code);
    std::optional<uint64_t> RootBytes = rootBytes(Root);
    if (RootBytes && (Offset < 0 || Offset + Bytes > *RootBytes))
      continue;
    Targets.insert(Code);
  }
  return Targets;
}

Value *HandleWeb::storedHandle(Value *V) const {
  if (isHandle(V))
    return V;
  if (auto *Cast = dyn_cast<PtrToIntInst>(V); Cast && isHandle(Cast->getOperand(0)))
    return Cast->getOperand(0);
  return nullptr;
}

bool HandleWeb::mergeInto(Value *V, const CodeSet &Codes, bool &Changed) {
  auto [Entry, Inserted] = Handles.try_emplace(V);
  CodeSet &Into = Entry->second;
  size_t Before = Into.size();
  Into.insert_range(Codes);
  if (Inserted || Into.size() != Before)
    Changed = true;
  if (Into.size() > MaxTargetsPerHandle)
    return explain("a handle has too many targets");
  return true;
}

PointerSlot &HandleWeb::handleSlot(int64_t Offset, bool &Changed) {
  PointerSlot &Slot = Slots[Offset];
  Changed |= !Slot.HoldsHandles;
  Slot.HoldsHandles = true;
  return Slot;
}

bool HandleWeb::transferMerge(Instruction &Merge, ArrayRef<Value *> Incoming,
                              bool &Changed) {
  if (!Merge.getType()->isPointerTy())
    return true;
  if (!isHandle(&Merge) && none_of(Incoming, [&](Value *V) { return isHandle(V); }))
    return true;
  if (!isHandle(&Merge))
    Changed = true;
  CodeSet Codes;
  for (Value *V : Incoming) {
    if (auto It = Handles.find(V); It != Handles.end()) {
      Codes.insert_range(It->second);
    } else if (auto *C = dyn_cast<Constant>(V)) {
      Codes.insert(constantCode(C));
    } else if (auto *Load = dyn_cast<LoadInst>(V);
               Load && isHandle(Load->getPointerOperand())) {
      // A pointer loaded from the object meets a handle: it is one, and
      // its slots hold handles. (A load under a dispatch arm that no frame
      // can take has no slot at all: it never runs.)
      if (!mergeInto(Load, {}, Changed))
        return false;
      for (int64_t Target : targetsAt(Load->getPointerOperand(), *Load))
        if (isObjectCode(Target))
          handleSlot(offsetOf(Target), Changed);
    } else if (!isa<GetElementPtrInst, PHINode, SelectInst, LoadInst>(V)) {
      // Those may still turn out to be handles at a later round; the
      // final check sees whether they did.
      return explain("a pointer from elsewhere meets a handle", &Merge);
    }
  }
  return mergeInto(&Merge, Codes, Changed);
}

bool HandleWeb::transferLoad(LoadInst &Load, bool &Changed) {
  auto Address = Handles.find(Load.getPointerOperand());
  if (Address == Handles.end())
    return true;
  // Through a pointer that never holds an address (loaded where no frame
  // can be), the load never runs, whatever kind it is.
  if (Address->second.empty() && !Load.getType()->isPointerTy())
    return true;
  if (!Load.isSimple() && !Address->second.empty())
    return explain("a load of a handle is not simple");
  CodeSet Targets =
      accessedTargets(targetsAt(Address->first, Load), Load.getType());
  // No frame can be there (a dispatch arm of another coroutine's part): the
  // load never runs, and neither does what uses the pointer it would give.
  // Only final targets tell: a set that is empty now may still grow, and a
  // data load taken for a handle would make the slot it reads a handle slot.
  if (Targets.empty() && Load.getType()->isPointerTy() && TargetsAreFinal) {
    NeverRunningLoads.insert(&Load);
    return mergeInto(&Load, {}, Changed);
  }
  if (NeverRunningLoads.contains(&Load))
    return explain("a load's frames are found after it was taken to never "
                   "run",
                   &Load);
  bool ReadsHandleSlot = any_of(Targets, [&](int64_t Target) {
    auto Slot = Slots.find(offsetOf(Target));
    return isObjectCode(Target) && Slot != Slots.end() &&
           Slot->second.HoldsHandles;
  });
  if (!Load.getType()->isPointerTy() || (!ReadsHandleSlot && !isHandle(&Load))) {
    // A data load. Picking its value by compares loads every target first,
    // so a constant target must fold or be the only one.
    bool Speculable =
        Targets.size() == 1 || none_of(Targets, [&](int64_t Target) {
          return !isObjectCode(Target) &&
                 !ConstantFoldLoadFromConstPtr(constantOf(Target),
                                               Load.getType(), DL);
        });
    return Speculable || explain("a load may read global memory", &Load);
  }
  CodeSet Codes;
  for (int64_t Target : Targets) {
    if (isObjectCode(Target)) {
      Codes.insert_range(handleSlot(offsetOf(Target), Changed).Contents);
      continue;
    }
    // A constant frame (the no-op coroutine's) has a known initializer.
    Constant *Folded =
        ConstantFoldLoadFromConstPtr(constantOf(Target), Load.getType(), DL);
    if (!Folded)
      return explain("a constant frame field does not fold");
    Codes.insert(constantCode(Folded));
  }
  return mergeInto(&Load, Codes, Changed);
}

bool HandleWeb::transferStore(StoreInst &Store, bool &Changed) {
  Value *Stored = Store.getValueOperand();
  Value *Handle = storedHandle(Stored);
  auto Address = Handles.find(Store.getPointerOperand());
  if (Address == Handles.end())
    return true; // A handle stored elsewhere escapes: usesAreUnderstood().
  if (Address->second.empty())
    return true; // Never runs.
  if (!Store.isSimple())
    return explain("a store through a handle is not simple");
  CodeSet Targets =
      accessedTargets(targetsAt(Address->first, Store), Stored->getType());
  for (int64_t Target : Targets) {
    if (!isObjectCode(Target)) {
      // Only a constant frame can be a target here, and a store to
      // constant memory never runs either; anything else is not ours.
      auto *Global = dyn_cast<GlobalVariable>(
          getUnderlyingObject(constantOf(Target)));
      if (!Global || !Global->isConstant())
        return explain("a store through a handle may write global memory",
                       &Store);
      continue;
    }
    int64_t Offset = offsetOf(Target);
    if (Handle) {
      PointerSlot &Slot = handleSlot(Offset, Changed);
      size_t Before = Slot.Contents.size();
      Slot.Contents.insert_range(Handles.lookup(Handle));
      Changed |= Slot.Contents.size() != Before;
    } else if (!Stored->getType()->isPointerTy()) {
      std::pair<int64_t, int64_t> Bytes(
          Offset, Offset + DL.getTypeStoreSize(Stored->getType()));
      if (!is_contained(OtherStores, Bytes)) {
        OtherStores.push_back(Bytes);
        Changed = true;
      }
    } else {
      PointerSlot &Slot = Slots[Offset];
      if (auto *C = dyn_cast<Constant>(Stored)) {
        Changed |= Slot.Contents.insert(constantCode(C));
      } else {
        Changed |= !Slot.HoldsOther;
        Slot.HoldsOther = true;
      }
    }
  }
  return true;
}

bool HandleWeb::transferMemSet(MemSetInst &Set, bool &Changed) {
  auto Address = Handles.find(Set.getDest());
  if (Address == Handles.end())
    return true;
  auto *Length = dyn_cast<ConstantInt>(Set.getLength());
  if (Set.isVolatile() || !Length)
    return explain("a handle is passed on", &Set);
  // One target, so that the rewrite can clear it in place.
  CodeSet Targets = targetsAt(Address->first, Set);
  if (Targets.size() != 1 || !isObjectCode(Targets.front()) ||
      offsetOf(Targets.front()) + Length->getZExtValue() > Size)
    return explain("a handle is passed on", &Set);
  std::pair<int64_t, int64_t> Bytes(offsetOf(Targets.front()),
                                    offsetOf(Targets.front()) +
                                        Length->getZExtValue());
  if (none_of(MemSets, [&](const auto &Seen) { return Seen.first == &Set; }))
    MemSets.push_back({&Set, Bytes});
  auto *Value = dyn_cast<ConstantInt>(Set.getValue());
  if (!Value || !Value->isZero()) {
    if (!is_contained(OtherStores, Bytes)) {
      OtherStores.push_back(Bytes);
      Changed = true;
    }
    return true;
  }
  if (!is_contained(ZeroFills, Bytes)) {
    ZeroFills.push_back(Bytes);
    Changed = true;
  }
  // Slots found after this round get their null at the next one.
  for (auto &[SlotOffset, Slot] : Slots)
    if (Bytes.first <= SlotOffset && SlotOffset + 8 <= Bytes.second)
      Changed |= Slot.Contents.insert(0);
  return true;
}

bool HandleWeb::zeroFilled(int64_t Offset) const {
  return any_of(ZeroFills, [&](std::pair<int64_t, int64_t> Bytes) {
    return Bytes.first <= Offset && Offset + 8 <= Bytes.second;
  });
}

bool HandleWeb::transfer(Instruction &I, bool &Changed) {
  if (auto *GEP = dyn_cast<GetElementPtrInst>(&I)) {
    if (!isHandle(GEP->getPointerOperand()))
      return true;
    std::optional<Steps> Moves = stepsOf(*GEP);
    if (!Moves)
      return explain("a handle is moved by a variable offset", GEP);
    CodeSet Moved;
    for (int64_t Code : targetsAt(GEP->getPointerOperand(), *GEP)) {
      for (int64_t Delta : Moves->Deltas) {
        // The analysis does not know which frame a path holds, so some codes
        // land outside the object (or step away from null): an inbounds step
        // there is poison, and a path that takes it never runs.
        std::optional<int64_t> To = moveCode(Code, Delta);
        if (To)
          Moved.insert(*To);
        else if (!GEP->isInBounds())
          return explain("a handle leaves the object", GEP);
      }
    }
    return mergeInto(GEP, Moved, Changed);
  }
  if (isa<PHINode, SelectInst>(I))
    return transferMerge(I, mergedValues(I), Changed);
  if (auto *Load = dyn_cast<LoadInst>(&I))
    return transferLoad(*Load, Changed);
  if (auto *Store = dyn_cast<StoreInst>(&I))
    return transferStore(*Store, Changed);
  if (auto *Set = dyn_cast<MemSetInst>(&I))
    return transferMemSet(*Set, Changed);
  return true;
}

bool HandleWeb::usesAreUnderstood() {
  for (const auto &[Handle, Targets] : Handles) {
    if (Targets.empty())
      continue; // Never holds an address: its uses never run.
    for (const Use &U : Handle->uses()) {
      auto *User = cast<Instruction>(U.getUser());
      if (isa<GetElementPtrInst>(User) && U.getOperandNo() == 0)
        continue;
      if (isa<PHINode, SelectInst>(User) && isHandle(User)) {
        auto HasCode = [&](Value *V) { return hasCode(V); };
        bool AllCoded =
            isa<PHINode>(User)
                ? all_of(cast<PHINode>(User)->incoming_values(), HasCode)
                : hasCode(cast<SelectInst>(User)->getTrueValue()) &&
                      hasCode(cast<SelectInst>(User)->getFalseValue());
        if (AllCoded)
          continue;
        return explain("a pointer from elsewhere meets a handle", User);
      }
      if (isa<LoadInst>(User))
        continue;
      if (auto *Store = dyn_cast<StoreInst>(User)) {
        if (U.getOperandNo() == Store->getPointerOperandIndex() ||
            isHandle(Store->getPointerOperand()))
          continue;
        return explain("a handle is stored outside the object", User);
      }
      if (auto *Compare = dyn_cast<ICmpInst>(User)) {
        Value *Other = Compare->getOperand(1 - U.getOperandNo());
        if (Compare->isEquality() && hasCode(Other))
          continue;
        return explain("a handle is compared by order", User);
      }
      if (auto *Cast = dyn_cast<PtrToIntInst>(User)) {
        bool OnlyStoredInObject = all_of(Cast->uses(), [&](const Use &CastUse) {
          auto *Store = dyn_cast<StoreInst>(CastUse.getUser());
          return Store && CastUse.getOperandNo() == 0 &&
                 isHandle(Store->getPointerOperand());
        });
        if (OnlyStoredInObject &&
            DL.getTypeStoreSize(Cast->getType()) == 8)
          continue;
        return explain("a handle address is used as an integer", User);
      }
      if (auto *Intrinsic = dyn_cast<IntrinsicInst>(User);
          Intrinsic && Intrinsic->isLifetimeStartOrEnd())
        continue;
      if (isa<MemSetInst>(User) && U.getOperandNo() == 0)
        continue; // transferMemSet() took it.
      return explain("a handle is passed on", User);
    }
  }
  return true;
}

bool HandleWeb::slotsAreConsistent() {
  // A slot that holds handles holds codes after the rewrite: every access
  // that touches its bytes must be a whole pointer-sized load or store.
  for (const auto &[Handle, Targets] : Handles) {
    for (const User *U : Handle->users()) {
      Type *Accessed = nullptr;
      const Value *Stored = nullptr;
      if (auto *Load = dyn_cast<LoadInst>(U); Load && Load->getPointerOperand() == Handle)
        Accessed = Load->getType();
      else if (auto *Store = dyn_cast<StoreInst>(U);
               Store && Store->getPointerOperand() == Handle) {
        Accessed = Store->getValueOperand()->getType();
        Stored = Store->getValueOperand();
      }
      if (!Accessed)
        continue;
      int64_t Bytes = DL.getTypeStoreSize(Accessed);
      for (int64_t Target :
           accessedTargets(targetsAt(Handle, *cast<Instruction>(U)), Accessed)) {
        if (!isObjectCode(Target))
          continue;
        int64_t Begin = offsetOf(Target), End = Begin + Bytes;
        for (const auto &[SlotOffset, Slot] : slotsOverlapping(Begin, End)) {
          if (!Slot.HoldsHandles)
            continue;
          if (Slot.HoldsOther || Begin != SlotOffset || Bytes != 8)
            return explain("a handle slot is accessed in part",
                           cast<Instruction>(U));
          if (Accessed->isPointerTy())
            continue;
          // An integer store of a handle's address, or of zero (null).
          auto *Constant = dyn_cast_or_null<llvm::Constant>(Stored);
          bool StoresNull = Constant && Constant->isNullValue();
          if (!Stored || !(StoresNull ||
                           storedHandle(const_cast<Value *>(Stored))))
            return explain("a handle slot holds an integer",
                           cast<Instruction>(U));
        }
      }
    }
  }
  // A memset over a slot that holds codes after the rewrite must leave null
  // there: zero, and all of its 8 bytes.
  for (auto [Set, Bytes] : MemSets) {
    auto *Value = dyn_cast<ConstantInt>(Set->getValue());
    for (const auto &[SlotOffset, Slot] :
         slotsOverlapping(Bytes.first, Bytes.second)) {
      if (!Slot.HoldsHandles)
        continue;
      if (!Value || !Value->isZero() || SlotOffset < Bytes.first ||
          SlotOffset + 8 > Bytes.second)
        return explain("a handle slot is accessed in part", Set);
    }
  }
  return true;
}

std::pair<Value *, int64_t> HandleWeb::baseAndOffset(Value *Address) const {
  APInt Offset(DL.getIndexTypeSizeInBits(Address->getType()), 0);
  Value *Base = Address->stripAndAccumulateConstantOffsets(
      DL, Offset, /*AllowNonInbounds=*/false);
  return {Base, Offset.getSExtValue()};
}

SmallVector<std::pair<Value *, int64_t>, 2>
HandleWeb::slotsRead(Value *Compared) const {
  SmallVector<std::pair<Value *, int64_t>, 2> Slots;
  if (auto *Load = dyn_cast<LoadInst>(Compared)) {
    // The frame the slot is a field of; targetsAt carries the test over to
    // the slot's own address, as to every field of the frame.
    Slots.push_back(baseAndOffset(Load->getPointerOperand()));
    return Slots;
  }
  // A loop walking a chain of frames (a destroy that goes on to the child)
  // loads the next frame's slot before the back edge: the value compared is
  // a phi of loads, the frame a phi of addresses at a fixed distance.
  auto *Phi = dyn_cast<PHINode>(Compared);
  if (!Phi || !all_of(Phi->incoming_values(), [](Value *V) {
        return isa<LoadInst>(V) && V->getType()->isPointerTy();
      }))
    return Slots;
  for (PHINode &Frame : Phi->getParent()->phis()) {
    if (&Frame == Phi || !Frame.getType()->isPointerTy())
      continue;
    std::optional<int64_t> Distance;
    bool Fixed = true;
    for (unsigned I = 0, E = Phi->getNumIncomingValues(); I != E && Fixed; ++I) {
      auto [SlotBase, SlotOffset] = baseAndOffset(
          cast<LoadInst>(Phi->getIncomingValue(I))->getPointerOperand());
      auto [FrameBase, FrameOffset] = baseAndOffset(
          Frame.getIncomingValueForBlock(Phi->getIncomingBlock(I)));
      Fixed = SlotBase == FrameBase &&
              (!Distance || *Distance == SlotOffset - FrameOffset);
      Distance = SlotOffset - FrameOffset;
    }
    if (Fixed && Distance)
      Slots.push_back({&Frame, *Distance});
  }
  return Slots;
}

void HandleWeb::findSlotTests() {
  auto Compared = [](Value *Condition) -> std::pair<Value *, Constant *> {
    auto *Compare = dyn_cast<ICmpInst>(Condition);
    if (!Compare || !Compare->isEquality() ||
        !Compare->getOperand(0)->getType()->isPointerTy())
      return {};
    return {Compare->getOperand(0), dyn_cast<Constant>(Compare->getOperand(1))};
  };
  // Devirtualize's last dispatch arm states its callee as an assumption.
  for (Instruction &I : instructions(F)) {
    auto *Assume = dyn_cast<AssumeInst>(&I);
    if (!Assume)
      continue;
    auto [Value, Tested] = Compared(Assume->getArgOperand(0));
    if (!Tested || cast<ICmpInst>(Assume->getArgOperand(0))->getPredicate() !=
                       ICmpInst::ICMP_EQ)
      continue;
    for (auto [Frame, Offset] : slotsRead(Value))
      SlotTests[Frame].push_back(
          {Frame, Offset, Tested, /*Equal=*/true, /*Region=*/nullptr, Assume});
  }
  for (BasicBlock &Block : F) {
    auto *Branch = dyn_cast<BranchInst>(Block.getTerminator());
    if (!Branch || !Branch->isConditional())
      continue;
    auto [Value, Tested] = Compared(Branch->getCondition());
    if (!Tested)
      continue;
    auto *Compare = cast<ICmpInst>(Branch->getCondition());
    for (unsigned Successor : {0u, 1u}) {
      BasicBlock *Region = Branch->getSuccessor(Successor);
      if (Region->getSinglePredecessor() != &Block)
        continue;
      bool Equal = (Compare->getPredicate() == ICmpInst::ICMP_EQ) ==
                   (Successor == 0);
      for (auto [Frame, Offset] : slotsRead(Value))
        SlotTests[Frame].push_back({Frame, Offset, Tested, Equal, Region});
    }
  }
}

bool HandleWeb::mayHoldUnknown(int64_t Frame) const {
  int64_t Offset = offsetOf(Frame);
  for (auto [Begin, End] : OtherStores)
    if (Begin < Offset + 8 && Offset < End)
      return true;
  for (auto [Begin, End] : ZeroFills)
    if (Begin < Offset + 8 && Offset < End && !zeroFilled(Offset))
      return true;
  for (const auto &[SlotOffset, Slot] : slotsOverlapping(Offset, Offset + 8))
    if (SlotOffset != Offset || Slot.HoldsOther)
      return true;
  return false;
}

std::optional<CodeSet> HandleWeb::slotContents(int64_t Frame) {
  if (!isObjectCode(Frame)) {
    Constant *Folded = ConstantFoldLoadFromConstPtr(
        constantOf(Frame), PointerType::getUnqual(F.getContext()), DL);
    if (!Folded)
      return std::nullopt;
    CodeSet Contents;
    Contents.insert(constantCode(Folded));
    return Contents;
  }
  auto Slot = Slots.find(offsetOf(Frame));
  if (Slot == Slots.end()) {
    CodeSet Contents; // Never written: a test reads an undefined value.
    if (zeroFilled(offsetOf(Frame)))
      Contents.insert(0);
    return Contents;
  }
  return Slot->second.Contents;
}

bool HandleWeb::mayHoldSome(int64_t Frame,
                            function_ref<bool(int64_t)> IsWanted) {
  if (Frame == 0)
    return false; // A load through null never runs.
  if (isObjectCode(Frame) && mayHoldUnknown(Frame))
    return true;
  std::optional<CodeSet> Contents = slotContents(Frame);
  return !Contents || any_of(*Contents, IsWanted);
}

bool HandleWeb::mayHold(int64_t Frame, Constant *Tested) {
  int64_t TestedCode = constantCode(Tested);
  return mayHoldSome(Frame, [&](int64_t Code) { return Code == TestedCode; });
}

bool HandleWeb::mayHoldOtherThan(int64_t Frame, ArrayRef<Constant *> Excluded) {
  return mayHoldSome(Frame, [&](int64_t Code) {
    return none_of(Excluded,
                   [&](Constant *C) { return constantCode(C) == Code; });
  });
}

CodeSet HandleWeb::targetsAt(Value *Pointer, const Instruction &At,
                             unsigned Depth) {
  CodeSet Codes = Handles.lookup(Pointer);
  // Where arms of a dispatch meet again, no test dominates, but each arm's
  // own test still holds at its end: the codes are what the arms let
  // through. (A pointer defined in the meeting block has no value there.)
  const BasicBlock *Block = At.getParent();
  auto *Defined = dyn_cast<Instruction>(Pointer);
  if (Depth < MaxMergeDepth && !Codes.empty() && !pred_empty(Block) &&
      !Block->getSinglePredecessor() &&
      (!Defined || Defined->getParent() != Block) &&
      none_of(slotTestsOf(Pointer), [&](const SlotTest &Test) {
        return Test.holdsAt(DT, At);
      })) {
    CodeSet Merged;
    for (const BasicBlock *Pred : predecessors(Block))
      Merged.insert_range(targetsAt(Pointer, *Pred->getTerminator(), Depth + 1));
    return Merged;
  }
  // A field's address sits at a fixed distance from its frame, which the
  // tests name: it points only into the frames that pass them.
  if (auto [Base, Distance] = baseAndOffset(Pointer);
      Base != Pointer && Handles.contains(Base)) {
    CodeSet Fields;
    for (int64_t Frame : targetsAt(Base, At, Depth))
      if (std::optional<int64_t> Field = moveCode(Frame, Distance))
        Fields.insert(*Field);
    Codes.remove_if([&](int64_t Code) { return !Fields.contains(Code); });
  }
  // A frame passes the unequal tests of a slot if the slot may hold
  // something none of them ruled out: the arm a dispatch chain ends in sees
  // only the frames no earlier arm took.
  SmallMapVector<int64_t, SmallVector<Constant *, 8>, 2> Excluded;
  for (const SlotTest &Test : slotTestsOf(Pointer)) {
    if (!Test.holdsAt(DT, At))
      continue;
    if (!Test.Equal) {
      Excluded[Test.Offset].push_back(Test.Tested);
      continue;
    }
    Codes.remove_if([&](int64_t Frame) {
      std::optional<int64_t> Slot = moveCode(Frame, Test.Offset);
      return !Slot || !mayHold(*Slot, Test.Tested);
    });
  }
  for (const auto &[Offset, Constants] : Excluded)
    Codes.remove_if([&](int64_t Frame) {
      std::optional<int64_t> Slot = moveCode(Frame, Offset);
      return !Slot || !mayHoldOtherThan(*Slot, Constants);
    });
  TestsRuledOutFrames |= Codes.size() != Handles.lookup(Pointer).size();
  return Codes;
}

bool HandleWeb::analyze() {
  findSlotTests();
  Handles[&Object].insert(objectCode(0));
  // The second round marks the pointer loads that never run. Each becomes
  // a handle with no target; should that make a slot a handle slot and
  // another load's targets grow, transferLoad() gives up.
  for (bool Final : {false, true}) {
    TargetsAreFinal = Final;
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (Instruction &I : instructions(F))
        if (!transfer(I, Changed)) {
          if (!Culprit)
            Culprit = &I;
          return false;
        }
    }
  }
  if (!usesAreUnderstood() || !slotsAreConsistent())
    return false;
  // SROA already handles an object whose handles are never merged or
  // stored, unless a dispatch arm that never runs for it (as the slot tests
  // found) still takes its address.
  bool HandlesMerge = any_of(Handles, [](const auto &Entry) {
    return isa<PHINode, SelectInst>(Entry.first);
  });
  bool HandlesStored = any_of(
      Slots, [](const auto &Entry) { return Entry.second.HoldsHandles; });
  return HandlesMerge || HandlesStored || TestsRuledOutFrames;
}

Value *HandleWeb::codeOf(Value *V) {
  if (auto *C = dyn_cast<Constant>(V))
    return ConstantInt::get(Type::getInt32Ty(F.getContext()), constantCode(C));
  Value *Code = Codes.lookup(V);
  assert(Code && "a handle is used before its code is made");
  return Code;
}

Value *HandleWeb::codeAt(Value *V, const Instruction &At) {
  if (isa<Constant>(V))
    return codeOf(V);
  return codeAmong(V, targetsAt(V, At));
}

Value *HandleWeb::codeAmong(Value *V, const CodeSet &Targets) {
  if (!isa<Constant>(V) && Targets.size() == 1)
    return ConstantInt::get(Type::getInt32Ty(F.getContext()), Targets.front());
  return codeOf(V);
}

Value *HandleWeb::pickByCode(IRBuilder<> &B, Value *Code, int64_t Target,
                             Value *IfTarget, Value *Otherwise) {
  if (!Otherwise)
    return IfTarget;
  return B.CreateSelect(B.CreateICmpEQ(Code, B.getInt32(Target)), IfTarget,
                        Otherwise);
}

Value *HandleWeb::objectByte(IRBuilder<> &B, int64_t Offset) {
  return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), &Object, Offset);
}

Align HandleWeb::alignAt(int64_t Offset, Align Claimed) const {
  // The claim held for the addresses that ran; a target picked by compares
  // is only known to be as aligned as its offset in the object.
  return std::min(Claimed, commonAlignment(Object.getAlign(), Offset));
}

Type *HandleWeb::wholeBytes(Type *Accessed) const {
  auto *Integer = dyn_cast<IntegerType>(Accessed);
  if (!Integer || Integer->getBitWidth() % 8 == 0)
    return Accessed;
  return IntegerType::get(Accessed->getContext(),
                          DL.getTypeStoreSizeInBits(Integer));
}

void HandleWeb::rewriteLoad(LoadInst &Load) {
  IRBuilder<> B(&Load);
  Type *CodeTy = B.getInt32Ty();
  CodeSet AddressTargets = targetsAt(Load.getPointerOperand(), Load);
  Value *AddressCode = codeAmong(Load.getPointerOperand(), AddressTargets);
  bool LoadsHandle = isHandle(&Load);
  Value *Result = nullptr;
  SmallVector<std::pair<int64_t, Value *>, 8> LoadedAt;
  for (int64_t Target : accessedTargets(AddressTargets, Load.getType())) {
    Value *Loaded;
    if (isObjectCode(Target)) {
      int64_t Offset = offsetOf(Target);
      Align Alignment = alignAt(Offset, Load.getAlign());
      if (LoadsHandle)
        Loaded = B.CreateTrunc(B.CreateAlignedLoad(B.getInt64Ty(),
                                                   objectByte(B, Offset),
                                                   Alignment),
                               CodeTy);
      else
        Loaded = B.CreateTrunc(
            B.CreateAlignedLoad(wholeBytes(Load.getType()),
                                objectByte(B, Offset), Alignment),
            Load.getType());
    } else {
      Constant *Folded = ConstantFoldLoadFromConstPtr(constantOf(Target),
                                                      Load.getType(), DL);
      if (LoadsHandle)
        Loaded = ConstantInt::get(CodeTy, constantCode(Folded));
      else if (Folded)
        Loaded = Folded;
      else
        Loaded = B.CreateAlignedLoad(Load.getType(), constantOf(Target),
                                     Load.getAlign());
    }
    Result = pickByCode(B, AddressCode, Target, Loaded, Result);
    LoadedAt.push_back({Target, Loaded});
  }
  if (!Result) // No target can be read: the load never runs.
    Result = PoisonValue::get(LoadsHandle ? CodeTy : Load.getType());
  if (LoadsHandle) {
    Codes[&Load] = Result;
  } else {
    rewriteDispatchCompares(Load, AddressCode, LoadedAt);
    Load.replaceAllUsesWith(Result);
  }
  Replaced.push_back(&Load);
  ++NumRewrittenAccesses;
}

std::optional<bool> HandleWeb::dispatchOutcome(int64_t Slot, Constant *Tested) {
  if (isObjectCode(Slot) && mayHoldUnknown(Slot))
    return std::nullopt;
  std::optional<CodeSet> Contents = slotContents(Slot);
  if (!Contents)
    return std::nullopt;
  int64_t TestedCode = constantCode(Tested);
  if (!Contents->contains(TestedCode))
    return false;
  // A null resume slot marks a finished coroutine, and resuming one is
  // undefined: every compare of the chain fails, and the last arm assumes
  // its callee. So where the slot holds the tested part or null, the
  // compare may as well pick the part.
  if (all_of(*Contents,
             [&](int64_t Code) { return Code == TestedCode || Code == 0; }))
    return true;
  return std::nullopt;
}

void HandleWeb::rewriteDispatchCompares(
    LoadInst &Load, Value *AddressCode,
    ArrayRef<std::pair<int64_t, Value *>> Loaded) {
  if (Loaded.empty())
    return;
  for (User *U : make_early_inc_range(Load.users())) {
    // Devirtualize's compares: the loaded slot against a coroutine part.
    auto *Compare = dyn_cast<ICmpInst>(U);
    Function *Tested = Compare ? comparedPart(*Compare) : nullptr;
    if (!Tested)
      continue;
    bool IsEqual = Compare->getPredicate() == ICmpInst::ICMP_EQ;
    IRBuilder<> B(Compare);
    Value *Outcome = nullptr;
    for (auto [Target, Read] : Loaded) {
      std::optional<bool> Decided = dispatchOutcome(Target, Tested);
      Value *Here = Decided
                        ? B.getInt1(*Decided == IsEqual)
                        : B.CreateICmp(Compare->getPredicate(), Read, Tested);
      Outcome = pickByCode(B, AddressCode, Target, Here, Outcome);
    }
    Compare->replaceAllUsesWith(Outcome);
    Replaced.push_back(Compare);
    ++NumFoldedDispatchCompares;
  }
}

void HandleWeb::rewriteStore(StoreInst &Store) {
  IRBuilder<> B(&Store);
  Value *Stored = Store.getValueOperand();
  Value *Handle = storedHandle(Stored);
  Value *StoredCode = Handle ? codeAt(Handle, Store) : nullptr;
  CodeSet AddressTargets = targetsAt(Store.getPointerOperand(), Store);
  Value *AddressCode = codeAmong(Store.getPointerOperand(), AddressTargets);
  SmallVector<int64_t, 8> Targets;
  for (int64_t Target : accessedTargets(AddressTargets, Stored->getType()))
    if (isObjectCode(Target)) // Stores to constant memory never run.
      Targets.push_back(Target);
  for (int64_t Target : Targets) {
    int64_t Offset = offsetOf(Target);
    auto Slot = Slots.find(Offset);
    Value *Written = B.CreateZExt(Stored, wholeBytes(Stored->getType()));
    if (Slot != Slots.end() && Slot->second.HoldsHandles)
      Written = B.CreateZExt(
          StoredCode ? StoredCode : codeOf(cast<Constant>(Stored)),
          B.getInt64Ty());
    Align Alignment = alignAt(Offset, Store.getAlign());
    Value *Address = objectByte(B, Offset);
    if (Targets.size() > 1) {
      // Written back unchanged unless this is the target: the object is
      // private to the thread, so the extra store is invisible.
      Value *Old = B.CreateAlignedLoad(Written->getType(), Address, Alignment);
      Written = pickByCode(B, AddressCode, Target, Written, Old);
    }
    B.CreateAlignedStore(Written, Address, Alignment);
  }
  Replaced.push_back(&Store);
  ++NumRewrittenAccesses;
}

void HandleWeb::rewrite() {
  Type *CodeTy = Type::getInt32Ty(F.getContext());
  Codes[&Object] = ConstantInt::get(CodeTy, objectCode(0));
  SmallVector<PHINode *, 8> Phis;
  for (auto &[Handle, Targets] : Handles)
    if (auto *Phi = dyn_cast<PHINode>(Handle)) {
      Codes[Phi] = PHINode::Create(CodeTy, Phi->getNumIncomingValues(),
                                   Phi->getName() + ".code", Phi->getIterator());
      Phis.push_back(Phi);
    }

  ReversePostOrderTraversal<Function *> Order(&F);
  for (BasicBlock *Block : Order) {
    for (Instruction &I : *Block) {
      IRBuilder<> B(&I);
      if (auto *GEP = dyn_cast<GetElementPtrInst>(&I); GEP && isHandle(GEP)) {
        Value *Base = GEP->getPointerOperand();
        Steps Moves = *stepsOf(*GEP);
        Value *Delta = ConstantInt::get(CodeTy, Moves.Constant);
        if (Moves.Index)
          Delta = B.CreateAdd(
              B.CreateMul(B.CreateSExtOrTrunc(Moves.Index, CodeTy),
                          ConstantInt::get(CodeTy, Moves.Scale)),
              Delta);
        Value *BaseCode = codeAt(Base, *GEP);
        Value *Moved = B.CreateAdd(BaseCode, Delta);
        // Constants do not move by adding; a step the analysis found to
        // be poison keeps whatever the add gives.
        for (int64_t Code : Handles.lookup(Base)) {
          if (isObjectCode(Code) || Code == 0)
            continue;
          for (int64_t Step : Moves.Deltas) {
            std::optional<int64_t> To = moveCode(Code, Step);
            if (!To)
              continue;
            if (Moves.Index)
              Moved = B.CreateSelect(
                  B.CreateICmpEQ(Delta, ConstantInt::get(CodeTy, Step)),
                  pickByCode(B, BaseCode, Code, B.getInt32(*To), Moved),
                  Moved);
            else
              Moved = pickByCode(B, BaseCode, Code, B.getInt32(*To), Moved);
          }
        }
        Codes[GEP] = Moved;
        Replaced.push_back(GEP);
      } else if (auto *Select = dyn_cast<SelectInst>(&I);
                 Select && isHandle(Select)) {
        Codes[Select] =
            B.CreateSelect(Select->getCondition(),
                           codeAt(Select->getTrueValue(), *Select),
                           codeAt(Select->getFalseValue(), *Select));
        Replaced.push_back(Select);
      } else if (auto *Load = dyn_cast<LoadInst>(&I);
                 Load && isHandle(Load->getPointerOperand())) {
        rewriteLoad(*Load);
      } else if (auto *Store = dyn_cast<StoreInst>(&I);
                 Store && isHandle(Store->getPointerOperand())) {
        rewriteStore(*Store);
      } else if (auto *Compare = dyn_cast<ICmpInst>(&I);
                 Compare && (isHandle(Compare->getOperand(0)) ||
                             isHandle(Compare->getOperand(1)))) {
        // A handle compared with a pointer from elsewhere is one that never
        // holds an address (usesAreUnderstood): the compare never runs.
        Compare->replaceAllUsesWith(
            hasCode(Compare->getOperand(0)) && hasCode(Compare->getOperand(1))
                ? B.CreateICmp(Compare->getPredicate(),
                               codeAt(Compare->getOperand(0), *Compare),
                               codeAt(Compare->getOperand(1), *Compare))
                : PoisonValue::get(Compare->getType()));
        Replaced.push_back(Compare);
      } else if (isa<PtrToIntInst>(I) && isHandle(I.getOperand(0))) {
        Replaced.push_back(&I);
      } else if (auto *Set = dyn_cast<MemSetInst>(&I);
                 Set && isHandle(Set->getDest()) && Set->getDest() != &Object) {
        // transferMemSet() allowed one target only.
        Set->setDest(
            objectByte(B, offsetOf(targetsAt(Set->getDest(), *Set).front())));
      } else if (auto *Intrinsic = dyn_cast<IntrinsicInst>(&I);
                 Intrinsic && Intrinsic->isLifetimeStartOrEnd() &&
                 isHandle(Intrinsic->getArgOperand(0)) &&
                 Intrinsic->getArgOperand(0) != &Object) {
        Replaced.push_back(Intrinsic);
      }
    }
  }
  for (PHINode *Phi : Phis) {
    auto *CodePhi = cast<PHINode>(Codes[Phi]);
    for (auto [Incoming, Block] : zip(Phi->incoming_values(), Phi->blocks()))
      CodePhi->addIncoming(codeAt(Incoming, *Block->getTerminator()), Block);
    Replaced.push_back(Phi);
  }

  for (Instruction *I : Replaced)
    I->dropAllReferences();
  for (Instruction *I : Replaced) {
    assert(all_of(I->users(), [&](User *U) {
             return is_contained(Replaced, cast<Instruction>(U));
           }) && "a rewritten handle is still in use");
    I->replaceAllUsesWith(PoisonValue::get(I->getType()));
    I->eraseFromParent();
  }
}

/// The bytes of \p Object, if they are known at compile time.
static std::optional<uint64_t> fixedSize(const AllocaInst &Object) {
  std::optional<TypeSize> Size =
      Object.getAllocationSize(Object.getDataLayout());
  if (!Size || Size->isScalable())
    return std::nullopt;
  return Size->getFixedValue();
}

FlatteningObstacle coroptx::findFlatteningObstacle(AllocaInst &Object,
                                                   const DominatorTree &DT) {
  std::optional<uint64_t> Size = fixedSize(Object);
  if (!Size)
    return {"the object has no fixed size", &Object};
  HandleWeb Web(Object, *Size, DT);
  if (Web.analyze())
    return {};
  return {Web.reason(), Web.culprit()};
}

bool coroptx::holdsCoroutineFrame(AllocaInst &Object) {
  SmallVector<Value *, 16> Worklist{&Object};
  SmallPtrSet<Value *, 16> Seen{&Object};
  while (!Worklist.empty()) {
    Value *Address = Worklist.pop_back_val();
    for (User *U : Address->users()) {
      if (auto *Store = dyn_cast<StoreInst>(U);
          Store && Store->getPointerOperand() == Address &&
          isa<Function>(Store->getValueOperand()))
        return true;
      if (isa<GetElementPtrInst, PHINode, SelectInst>(U) && Seen.insert(U).second)
        Worklist.push_back(U);
    }
  }
  return false;
}

/// The pointer behind \p V, a pointer-sized integer: the operand of a
/// ptrtoint, null for zero, or nothing.
static Value *addressBehind(Value *V, const DataLayout &DL) {
  if (auto *Cast = dyn_cast<PtrToIntInst>(V))
    return Cast->getPointerOperand()->getType()->getPointerAddressSpace() == 0
               ? Cast->getPointerOperand()
               : nullptr;
  if (auto *Zero = dyn_cast<ConstantInt>(V); Zero && Zero->isZero())
    return ConstantPointerNull::get(PointerType::getUnqual(V->getContext()));
  return nullptr;
}

bool coroptx::mergeAddressesAsPointers(Function &F) {
  const DataLayout &DL = F.getDataLayout();
  Type *AddressInt = DL.getIntPtrType(F.getContext());
  Type *Pointer = PointerType::getUnqual(F.getContext());
  bool Changed = false;
  // A merge of merges becomes pointers from the inside out: walk again
  // until no merge changes.
  SmallVector<Instruction *, 8> CastsBack;
  for (bool Again = true; Again;) {
    Again = false;
    for (Instruction &I : make_early_inc_range(instructions(F))) {
      if (I.getType() != AddressInt)
        continue;
      // A copy of 8 bytes that InstCombine made an integer (a handle
      // assigned from one object to another) copies a pointer.
      if (auto *Load = dyn_cast<LoadInst>(&I)) {
        bool OnlyCopied =
            !Load->use_empty() && all_of(Load->uses(), [&](const Use &U) {
              if (isa<StoreInst>(U.getUser()))
                return U.getOperandNo() == 0;
              return isa<IntToPtrInst>(U.getUser()) &&
                     U.getUser()->getType() == Pointer;
            });
        if (!OnlyCopied || !Load->isSimple())
          continue;
        auto *Address = new LoadInst(Pointer, Load->getPointerOperand(),
                                     Load->getName() + ".address", false,
                                     Load->getAlign(), Load->getIterator());
        Address->setAAMetadata(Load->getAAMetadata());
        auto *Cast = new PtrToIntInst(Address, AddressInt, Load->getName(),
                                      Load->getIterator());
        // The casts back go after the walk, which may be at one.
        for (User *U : Load->users())
          if (isa<IntToPtrInst>(U)) {
            U->replaceAllUsesWith(Address);
            CastsBack.push_back(cast<Instruction>(U));
          }
        Load->replaceAllUsesWith(Cast);
        Load->eraseFromParent();
        Changed = Again = true;
        continue;
      }
      if (!isa<PHINode, SelectInst>(I))
        continue;
      auto *Phi = dyn_cast<PHINode>(&I);
      auto *Select = dyn_cast<SelectInst>(&I);
      SmallVector<Value *, 4> Addresses;
      for (Value *Merged : mergedValues(I))
        Addresses.push_back(addressBehind(Merged, DL));
      if (is_contained(Addresses, nullptr) ||
          all_of(Addresses, [](Value *A) { return isa<Constant>(A); }))
        continue;
      Instruction *Merge;
      if (Phi) {
        auto *Pointers =
            PHINode::Create(Pointer, Phi->getNumIncomingValues(),
                            Phi->getName() + ".address", Phi->getIterator());
        for (auto [Address, Block] : zip(Addresses, Phi->blocks()))
          Pointers->addIncoming(Address, Block);
        Merge = Pointers;
      } else {
        Merge = SelectInst::Create(Select->getCondition(), Addresses[0],
                                   Addresses[1], Select->getName() + ".address",
                                   Select->getIterator());
      }
      auto *Cast = new PtrToIntInst(Merge, AddressInt, I.getName(),
                                    Merge->getParent()->getFirstInsertionPt());
      I.replaceAllUsesWith(Cast);
      I.eraseFromParent();
      Changed = Again = true;
    }
  }
  for (Instruction *Dead : CastsBack)
    Dead->eraseFromParent();
  return Changed;
}

PreservedAnalyses FrameFlatteningPass::run(Function &F,
                                           FunctionAnalysisManager &FAM) {
  if (F.isDeclaration() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  SmallVector<AllocaInst *, 4> Objects;
  for (Instruction &I : F.getEntryBlock())
    if (auto *Alloca = dyn_cast<AllocaInst>(&I); Alloca && Alloca->isStaticAlloca())
      Objects.push_back(Alloca);
  if (Objects.empty())
    return PreservedAnalyses::all();

  // The rewrite walks blocks in reverse post-order: unreachable ones would
  // keep uses of the handles it replaces.
  bool Changed = removeUnreachableBlocks(F);
  Changed |= mergeAddressesAsPointers(F);
  if (Changed)
    FAM.invalidate(F, PreservedAnalyses::none());
  for (AllocaInst *Object : Objects) {
    std::optional<uint64_t> Size = fixedSize(*Object);
    if (!Size)
      continue;
    HandleWeb Web(*Object, *Size, FAM.getResult<DominatorTreeAnalysis>(F));
    auto &Remarks = FAM.getResult<OptimizationRemarkEmitterAnalysis>(F);
    if (!Web.analyze()) {
      if (!Web.reason().empty() && holdsCoroutineFrame(*Object))
        Remarks.emit([&] {
          const Instruction *At = Web.culprit() ? Web.culprit() : Object;
          return OptimizationRemarkMissed(DEBUG_TYPE, "KeptInMemory", At)
                 << "coroutine frames stay in local memory: "
                 << Web.reason();
        });
      continue;
    }
    Web.rewrite();
    Remarks.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "Flattened", Object)
             << "coroutine frames in this function became SSA values: "
             << "handles into them are codes, accesses at fixed offsets";
    });
    ++NumFlattenedObjects;
    Changed = true;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
