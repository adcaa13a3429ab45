//===- LocalFramePlacement.cpp - Frames that die with their caller --------===//
//
// LLVM's CoroElide gives a frame the caller's storage only when it can see
// the coroutine's handle from creation to destruction in SSA values. A
// kernel that keeps its workers' handles in a local array and resumes them
// from loops defeats it, although every copy of every handle stays in that
// kernel. Once the coroutines are split, devirtualized and inlined, the
// remaining heap frames of a function are easy to follow, and this pass
// proves the simpler fact that matters:
//
//   Every copy of a frame's address lives in the function's SSA values, in
//   its own locals, or inside the frames themselves, and any call it is
//   passed to keeps no copy. So no frame is reachable after the function
//   returns, and the function's stack can hold the frames.
//
// The proof tracks the frame addresses of all tagged allocations of a
// function together (a frame may hold another's address: a child's
// continuation is its parent). Memory that receives an address becomes a
// holder, and every load that may read a held byte range yields a tracked
// value again; the analysis repeats until the holders stop growing.
//
// A call the proof cannot see into (a shared resume dispatcher, a coroutine
// part the inliner found too big) is inlined when its callee is local to the
// module, within a budget; if the proof still fails, the compile stops at
// the verifier anyway, so the inlining never costs a working program.
//
// An allocation outside every loop runs at most once per call: it gets one
// stack slot. One inside loops with constant trip counts runs at most their
// product of times: it gets that many slots and a counter, so frames that
// live at the same time never share storage (nothing is reused, which is
// what makes it sound without knowing when each frame dies). The frees of
// the placed frames are erased, as are the frees in the coroutine's own
// destroy part once none of its frames is left on the heap.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/LocalFramePlacement.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Analysis/CFG.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <optional>
#include <string>

#define DEBUG_TYPE "coroptx-place-local-frames"

using namespace llvm;
using namespace coroptx;

/// Bounds on the inlining the proof may do in one function.
static constexpr unsigned MaxInlinedCalls = 256;
static constexpr unsigned MaxInstructionsAfterInlining = 60000;

static cl::opt<unsigned> MaxLocalFrameBytes(
    "coroptx-max-local-frame-bytes", cl::init(16384), cl::Hidden,
    cl::desc("Most bytes of coroutine frames one function may place in its "
             "own stack (local memory on the GPU)"));

namespace {

/// How far into its frame an address may point: a few known offsets (a
/// transfer loop's handle is a parent or the child inside it), or unknown.
class FrameOffsets {
public:
  static FrameOffsets unknown() {
    FrameOffsets Unknown;
    Unknown.IsUnknown = true;
    return Unknown;
  }
  static FrameOffsets exactly(int64_t Offset) {
    FrameOffsets One;
    One.Values.push_back(Offset);
    return One;
  }

  bool isUnknown() const { return IsUnknown; }
  ArrayRef<int64_t> values() const { return Values; }

  /// Adds the offsets of \p Other; true when this changed.
  bool merge(const FrameOffsets &Other) {
    if (IsUnknown)
      return false;
    if (Other.IsUnknown) {
      *this = unknown();
      return true;
    }
    bool Changed = false;
    for (int64_t Offset : Other.Values)
      if (!is_contained(Values, Offset)) {
        Values.push_back(Offset);
        Changed = true;
      }
    if (Values.size() > MaxValues)
      *this = unknown();
    return Changed;
  }

  /// These offsets moved by \p Delta bytes.
  FrameOffsets shifted(int64_t Delta) const {
    FrameOffsets Moved = *this;
    for (int64_t &Offset : Moved.Values)
      Offset += Delta;
    return Moved;
  }

  bool operator==(const FrameOffsets &Other) const {
    return IsUnknown == Other.IsUnknown && Values == Other.Values;
  }

private:
  static constexpr size_t MaxValues = 8;
  bool IsUnknown = false;
  SmallVector<int64_t, 2> Values;
};

/// A copy of a frame address stored in memory: where, and which address.
struct HeldAddress {
  /// The bytes of the holder it occupies, from each possible start; unknown
  /// when the position is not a constant (an array indexed in a loop).
  FrameOffsets Begins;
  int64_t Size;
  /// Where in its frame the stored address points.
  FrameOffsets Points;

  bool operator==(const HeldAddress &Other) const {
    return Begins == Other.Begins && Size == Other.Size &&
           Points == Other.Points;
  }
};

/// True when some start of [A, A + ASize) and some start of [B, B + BSize)
/// overlap.
bool mayOverlap(const FrameOffsets &A, int64_t ASize, const FrameOffsets &B,
                int64_t BSize) {
  if (A.isUnknown() || B.isUnknown())
    return true;
  for (int64_t ABegin : A.values())
    for (int64_t BBegin : B.values())
      if (ABegin < BBegin + BSize && BBegin < ABegin + ASize)
        return true;
  return false;
}

/// The frame addresses stored in one memory object. Each local is a holder
/// of its own; all frames of the function share one, with positions counted
/// from a frame's start, because a loaded frame address may be any of them.
class Holder {
public:
  bool empty() const { return Stored.empty(); }

  /// Records \p Address; true when it is news.
  bool add(const HeldAddress &Address) {
    if (is_contained(Stored, Address))
      return false;
    Stored.push_back(Address);
    return true;
  }

  /// The addresses a load of \p Size bytes at \p Begins may read; empty
  /// (and not unknown) when it reads none.
  std::optional<FrameOffsets> read(const FrameOffsets &Begins,
                                   int64_t Size) const {
    std::optional<FrameOffsets> Read;
    for (const HeldAddress &Address : Stored) {
      if (!mayOverlap(Begins, Size, Address.Begins, Address.Size))
        continue;
      if (!Read)
        Read = Address.Points;
      else
        Read->merge(Address.Points);
    }
    return Read;
  }

private:
  SmallVector<HeldAddress, 2> Stored;
};

/// True when every pointer into \p Local is a GEP or cast of it that is only
/// loaded from, stored to or memset: no pointer to it is stored, merged or passed
/// anywhere, so every access to it names it as its underlying object.
bool isAccessedOnlyDirectly(const AllocaInst &Local) {
  SmallVector<const Value *, 8> Pointers{&Local};
  while (!Pointers.empty()) {
    const Value *P = Pointers.pop_back_val();
    for (const Use &U : P->uses()) {
      const auto *User = cast<Instruction>(U.getUser());
      if (isa<GetElementPtrInst, BitCastInst, AddrSpaceCastInst>(User) &&
          U.getOperandNo() == 0)
        Pointers.push_back(User);
      else if (isa<LoadInst, ICmpInst>(User) || User->isLifetimeStartOrEnd())
        continue;
      else if (isa<MemSetInst>(User) && U.getOperandNo() == 0)
        continue; // writes bytes, copies no pointer
      else if (auto *Store = dyn_cast<StoreInst>(User);
               Store && U.getOperandNo() == StoreInst::getPointerOperandIndex())
        continue;
      else
        return false;
    }
  }
  return true;
}

/// Follows every copy of the frame addresses that \p Allocs return within
/// \p F. See the file comment for what is proven.
class FrameAddressTracker {
public:
  FrameAddressTracker(Function &F, ArrayRef<CallBase *> Allocs)
      : F(F), DL(F.getDataLayout()), Allocs(Allocs.begin(), Allocs.end()) {}

  /// Empty when no frame address outlives \p F; otherwise the reason.
  std::string prove() {
    // Each round starts over with what is known about held memory; a round
    // that learns nothing new about it has checked every use against the
    // final facts.
    for (;;) {
      LearnedHeldMemory = false;
      Blocking = nullptr;
      Offsets.clear();
      Frees.clear();
      Worklist.clear();
      for (CallBase *Alloc : Allocs)
        track(*Alloc, FrameOffsets::exactly(0));
      for (;;) {
        while (!Worklist.empty()) {
          Value *V = Worklist.pop_back_val();
          if (std::string Why = followUses(*V); !Why.empty())
            return Why;
        }
        if (!trackLoadsOfHeldMemory())
          break;
      }
      if (!LearnedHeldMemory)
        return {};
    }
  }

  /// The frees of tracked frames, to erase once the frames are placed.
  ArrayRef<CallBase *> frees() const { return Frees.getArrayRef(); }

  /// When the proof failed at a call: that call.
  CallBase *blockingCall() const { return Blocking; }

private:
  /// Records that \p V may be a frame address at \p Points, and queues its
  /// uses when that is news.
  void track(Value &V, const FrameOffsets &Points) {
    auto [It, Inserted] = Offsets.try_emplace(&V, Points);
    if (Inserted || It->second.merge(Points))
      Worklist.push_back(&V);
  }

  /// Where in its frame tracked \p V may point; unknown for untracked values.
  FrameOffsets offsetsOf(const Value &V) const {
    auto It = Offsets.find(&V);
    return It == Offsets.end() ? FrameOffsets::unknown() : It->second;
  }

  bool isFrameAllocation(const Value &V) const {
    return is_contained(Allocs, &V);
  }

  std::string followUses(Value &V) {
    const FrameOffsets Offset = offsetsOf(V);
    for (Use &U : V.uses()) {
      auto *User = cast<Instruction>(U.getUser());
      if (auto *GEP = dyn_cast<GetElementPtrInst>(User)) {
        if (U.getOperandNo() != 0)
          return "its address is used as an index";
        APInt Delta(DL.getIndexTypeSizeInBits(GEP->getType()), 0);
        track(*GEP, GEP->accumulateConstantOffset(DL, Delta)
                        ? Offset.shifted(Delta.getSExtValue())
                        : FrameOffsets::unknown());
      } else if (isa<BitCastInst, AddrSpaceCastInst, PHINode, PtrToIntInst,
                     IntToPtrInst>(User)) {
        // InstCombine stores a pointer field of a union as an integer: the
        // integer carries the address as well, and is followed the same way.
        track(*User, Offset);
      } else if (isa<SelectInst>(User) && U.getOperandNo() != 0) {
        track(*User, Offset);
      } else if (isa<ICmpInst>(User) ||
                 (isa<LoadInst>(User) &&
                  U.getOperandNo() == LoadInst::getPointerOperandIndex())) {
        continue;
      } else if (auto *Store = dyn_cast<StoreInst>(User)) {
        if (U.getOperandNo() == StoreInst::getPointerOperandIndex())
          continue;
        if (std::string Why = recordStoredAddress(*Store, Offset); !Why.empty())
          return Why;
      } else if (auto *Call = dyn_cast<CallBase>(User)) {
        if (std::string Why = checkCall(*Call, U); !Why.empty())
          return Why;
      } else if (isa<ReturnInst>(User)) {
        return "its address is returned";
      } else {
        return ("its address is used by a '" + Twine(User->getOpcodeName()) +
                "' the placement cannot follow")
            .str();
      }
    }
    return {};
  }

  std::string checkCall(CallBase &Call, const Use &U) {
    // A free of a frame: tagged, or untagged because a pass rebuilt the call
    // (dead-argument elimination keeps no custom metadata).
    if ((Call.getMetadata(FrameFreeMDKind) ||
         isGlobalHeapFunction(Call, /*Allocates=*/false)) &&
        U.getOperandNo() == 0) {
      Frees.insert(&Call);
      return {};
    }
    if (Call.isLifetimeStartOrEnd())
      return {};
    if (auto *Memset = dyn_cast<MemSetInst>(&Call);
        Memset && U.getOperandNo() == 0)
      return {};
    // captures(none): the callee keeps no copy of the address. It could
    // still copy an address it loads from the frame, so frames must hold
    // none for this to prove anything.
    if (Call.isArgOperand(&U) && !Call.isIndirectCall() &&
        Call.doesNotCapture(Call.getArgOperandNo(&U)) &&
        FrameHolder.empty())
      return {};
    Blocking = &Call;
    std::string Callee = Call.getCalledFunction()
                             ? displayName(Call.getCalledFunction()->getName())
                             : std::string("an indirect callee");
    return "its address is passed to '" + Callee + "', which may keep it";
  }

  /// Where \p Pointer points: the object it is based on, and the constant
  /// offset from that object when there is one.
  struct Position {
    const Value *Object;
    const Value *Base;
    int64_t Delta;
  };
  Position positionOf(const Value &Pointer) const {
    APInt Delta(DL.getIndexTypeSizeInBits(Pointer.getType()), 0);
    const Value *Base = Pointer.stripAndAccumulateConstantOffsets(
        DL, Delta, /*AllowNonInbounds=*/true);
    return {getUnderlyingObject(&Pointer, /*MaxLookup=*/0), Base,
            Delta.getSExtValue()};
  }

  /// The bytes of a frame \p At may point to: known when \p At is based on
  /// a frame allocation or a tracked address at known offsets.
  FrameOffsets frameBytesOf(const Position &At) const {
    if (isFrameAllocation(*At.Base))
      return FrameOffsets::exactly(At.Delta);
    return offsetsOf(*At.Base).shifted(At.Delta);
  }

  /// The bytes of \p Local that \p At points to.
  static FrameOffsets localBytesOf(const Position &At, const AllocaInst &Local) {
    return At.Base == &Local ? FrameOffsets::exactly(At.Delta)
                             : FrameOffsets::unknown();
  }

  /// A tracked value \p Offset bytes into a frame is stored by \p Store: the
  /// memory it goes to must be a local or a frame, which then holds it.
  std::string recordStoredAddress(StoreInst &Store,
                                  const FrameOffsets &Offset) {
    const Position At = positionOf(*Store.getPointerOperand());
    const int64_t Size = DL.getTypeStoreSize(Store.getValueOperand()->getType());
    if (Size != DL.getPointerSize())
      return "its address is stored in pieces";

    if (auto *Local = dyn_cast<AllocaInst>(At.Object)) {
      auto [Known, New] = AccessedOnlyDirectly.try_emplace(Local, false);
      if (New)
        Known->second = isAccessedOnlyDirectly(*Local);
      if (!Known->second)
        return "its address is stored in a local whose own address escapes";
      LearnedHeldMemory |=
          LocalHolders[Local].add({localBytesOf(At, *Local), Size, Offset});
      return {};
    }
    if (!isFrameAllocation(*At.Object) && !Offsets.count(At.Object))
      return "its address is stored in memory the placement cannot follow";
    LearnedHeldMemory |= FrameHolder.add({frameBytesOf(At), Size, Offset});
    return {};
  }

  /// Where in their frames the addresses \p Load may read point; none when
  /// it reads no stored frame address.
  std::optional<FrameOffsets> readOf(const LoadInst &Load) const {
    const Position At = positionOf(*Load.getPointerOperand());
    const int64_t Size = DL.getTypeStoreSize(Load.getType());
    if (auto *Local = dyn_cast<AllocaInst>(At.Object)) {
      auto It = LocalHolders.find(Local);
      if (It == LocalHolders.end())
        return {};
      return It->second.read(localBytesOf(At, *Local), Size);
    }
    // Untracked pointers never point into frames or held locals: frame
    // addresses are all tracked, and held locals are accessed only directly.
    if (!isFrameAllocation(*At.Object) && !Offsets.count(At.Object))
      return {};
    return FrameHolder.read(frameBytesOf(At), Size);
  }

  /// Whether a loaded \p Ty can carry a frame address. Addresses are only
  /// ever stored whole (as a pointer, or as a pointer-sized integer after
  /// InstCombine), so a scalar narrower than a pointer cannot hold one; that
  /// keeps a frame's own counters and flags out of the proof, where a
  /// path-insensitive view of frame offsets would otherwise mix them up with
  /// held addresses.
  bool mayHoldAddress(Type &Ty) const {
    if (Ty.isPointerTy() || Ty.isVectorTy() || Ty.isAggregateType())
      return true;
    return DL.getTypeStoreSize(&Ty) >= DL.getPointerSize();
  }

  /// Tracks each load that may read a held address; true if any was new.
  bool trackLoadsOfHeldMemory() {
    bool Added = false;
    for (Instruction &I : instructions(F)) {
      auto *Load = dyn_cast<LoadInst>(&I);
      if (!Load || Offsets.count(Load) || !mayHoldAddress(*Load->getType()))
        continue;
      if (std::optional<FrameOffsets> Read = readOf(*Load)) {
        track(*Load, *Read);
        Added = true;
      }
    }
    return Added;
  }

  Function &F;
  const DataLayout &DL;
  SmallVector<CallBase *, 4> Allocs;
  DenseMap<const AllocaInst *, Holder> LocalHolders;
  /// isAccessedOnlyDirectly of each local stored into, asked once.
  DenseMap<const AllocaInst *, bool> AccessedOnlyDirectly;
  Holder FrameHolder;
  bool LearnedHeldMemory = false;
  DenseMap<const Value *, FrameOffsets> Offsets;
  SmallVector<Value *, 16> Worklist;
  SetVector<CallBase *> Frees;
  CallBase *Blocking = nullptr;
};

/// How often \p Block can run in one call of its function: 1 outside loops,
/// the product of the enclosing loops' constant trip counts inside them.
std::optional<uint64_t> executionsPerCall(BasicBlock &Block, LoopInfo &LI,
                                          ScalarEvolution &SE) {
  uint64_t Bound = 1;
  for (Loop *L = LI.getLoopFor(&Block); L; L = L->getParentLoop()) {
    unsigned Trips = SE.getSmallConstantMaxTripCount(L);
    if (Trips == 0)
      return std::nullopt;
    Bound *= Trips;
    if (Bound > MaxLocalFrameBytes)
      return std::nullopt;
  }
  return Bound;
}

StringRef coroutineOf(const CallBase &Alloc) {
  return *taggedFrameOwner(Alloc, FrameAllocMDKind);
}

/// A frame allocation and the stack it is given.
struct Placement {
  CallBase *Alloc;
  uint64_t Bytes;
  uint64_t Slots;
};

/// Replaces each allocation with a slot of a local array in \p F's entry
/// block; allocations in loops take the next slot of their own array.
void placeInStack(Function &F, ArrayRef<Placement> Placements) {
  LLVMContext &Ctx = F.getContext();
  BasicBlock &Entry = F.getEntryBlock();
  IRBuilder<> AtEntry(&Entry, Entry.getFirstInsertionPt());
  const Align FrameAlign(16); // what operator new promises
  for (const Placement &P : Placements) {
    const uint64_t Stride = alignTo(P.Bytes, FrameAlign);
    Type *SlotTy = ArrayType::get(Type::getInt8Ty(Ctx), Stride);
    Type *StorageTy = P.Slots == 1 ? SlotTy : ArrayType::get(SlotTy, P.Slots);
    AllocaInst *Storage = AtEntry.CreateAlloca(StorageTy, nullptr,
                                               coroutineOf(*P.Alloc) + ".frames");
    Storage->setAlignment(FrameAlign);
    Value *Frame = Storage;
    if (P.Slots > 1) {
      // The next unused slot: a counter, which SROA turns into a phi.
      Type *IndexTy = Type::getInt32Ty(Ctx);
      AllocaInst *Next = AtEntry.CreateAlloca(IndexTy, nullptr, "frames.next");
      AtEntry.CreateStore(ConstantInt::get(IndexTy, 0), Next);
      IRBuilder<> AtAlloc(P.Alloc);
      Value *Index = AtAlloc.CreateLoad(IndexTy, Next);
      AtAlloc.CreateStore(AtAlloc.CreateNUWAdd(Index, ConstantInt::get(IndexTy, 1)),
                          Next);
      Frame = AtAlloc.CreateInBoundsGEP(
          StorageTy, Storage, {ConstantInt::get(IndexTy, 0), Index}, "frame");
    }
    P.Alloc->replaceAllUsesWith(Frame);
    P.Alloc->eraseFromParent();
  }
}

/// The tagged frame allocations in \p F.
SmallVector<CallBase *, 4> frameAllocationsIn(Function &F) {
  SmallVector<CallBase *, 4> Allocs;
  for (Instruction &I : instructions(F))
    if (I.getMetadata(FrameAllocMDKind))
      Allocs.push_back(cast<CallBase>(&I));
  return Allocs;
}

/// Tries the tagged allocations \p Allocs of \p F; true when they were
/// placed. The names of their coroutines go to \p Placed.
bool placeFramesOf(Function &F, SmallVector<CallBase *, 4> Allocs,
                   FunctionAnalysisManager &FAM, StringSet<> &Placed,
                   bool &InlinedAny) {
  OptimizationRemarkEmitter ORE(&F);
  auto Missed = [&](const Twine &Why) {
    for (CallBase *Alloc : Allocs)
      ORE.emit([&] {
        return OptimizationRemarkMissed("coroptx", "FrameNotInCallerStack",
                                        Alloc)
               << "device coroutine '" << displayName(coroutineOf(*Alloc))
               << "': frame not placed in the stack of '"
               << displayName(F.getName()) << "': " << Why.str();
      });
    return false;
  };

  // The proof cannot see into a call that is passed a frame address. When
  // the callee is a local function (a shared dispatcher, a coroutine part
  // the inliner found too big), it is inlined here, so the frame addresses
  // stay in view; if the proof still fails, the compile stops anyway.
  SmallVector<CallBase *, 4> Frees;
  for (unsigned Inlined = 0;; ++Inlined) {
    FrameAddressTracker Tracker(F, Allocs);
    std::string Why = Tracker.prove();
    if (Why.empty()) {
      Frees.assign(Tracker.frees().begin(), Tracker.frees().end());
      break;
    }
    CallBase *Call = Tracker.blockingCall();
    Function *Callee = Call ? Call->getCalledFunction() : nullptr;
    if (!Callee || Callee->isDeclaration() || !Callee->hasLocalLinkage() ||
        Callee == &F || Inlined >= MaxInlinedCalls ||
        F.getInstructionCount() > MaxInstructionsAfterInlining)
      return Missed(Why);
    // The other calls of the same callee (a shared dispatcher is called
    // once per resume) would block the next proofs one by one: they go in
    // together, and the proof is redone once.
    SmallVector<CallBase *, 16> SameCallee{Call};
    for (User *CalleeUser : Callee->users())
      if (auto *Other = dyn_cast<CallBase>(CalleeUser);
          Other && Other != Call && Other->getFunction() == &F &&
          Other->getCalledFunction() == Callee)
        SameCallee.push_back(Other);
    for (CallBase *Site : SameCallee) {
      InlineFunctionInfo Info;
      if (!InlineFunction(*Site, Info).isSuccess())
        return Missed(Why);
    }
    Inlined += SameCallee.size() - 1;
    InlinedAny = true;
    FAM.invalidate(F, PreservedAnalyses::none());
    Allocs = frameAllocationsIn(F); // the callee may have brought its own
  }

  auto &LI = FAM.getResult<LoopAnalysis>(F);
  auto &SE = FAM.getResult<ScalarEvolutionAnalysis>(F);
  ReversePostOrderTraversal<Function *> RPOT(&F);
  if (containsIrreducibleCFG<const BasicBlock *>(RPOT, LI))
    return Missed("its control flow has irreducible cycles");

  SmallVector<Placement, 4> Placements;
  uint64_t TotalBytes = 0;
  for (CallBase *Alloc : Allocs) {
    auto *Bytes = dyn_cast<ConstantInt>(Alloc->getArgOperand(0));
    if (!Bytes)
      return Missed("the frame size is not a constant");
    std::optional<uint64_t> Slots = executionsPerCall(*Alloc->getParent(), LI, SE);
    if (!Slots)
      return Missed("it is started in a loop without a constant trip count, "
                    "so no bound on its live frames is known");
    Placements.push_back({Alloc, Bytes->getZExtValue(), *Slots});
    TotalBytes += alignTo(Bytes->getZExtValue(), 16) * *Slots;
  }
  if (TotalBytes > MaxLocalFrameBytes)
    return Missed("its frames would take " + Twine(TotalBytes) +
                  " bytes of stack, more than -coroptx-max-local-frame-bytes=" +
                  Twine(MaxLocalFrameBytes));

  for (CallBase *Free : Frees)
    Free->eraseFromParent();
  for (const Placement &P : Placements)
    ORE.emit([&] {
      OptimizationRemark Remark("coroptx", "FrameInCallerStack", P.Alloc);
      Remark << "device coroutine '" << displayName(coroutineOf(*P.Alloc))
             << "': " << ore::NV("FrameBytes", P.Bytes)
             << "-byte frame placed in the stack of '"
             << displayName(F.getName()) << "'";
      if (P.Slots > 1)
        Remark << ", " << ore::NV("Slots", P.Slots)
               << " slots for the frames its loops start";
      return Remark;
    });
  for (CallBase *Alloc : Allocs)
    Placed.insert(coroutineOf(*Alloc));
  placeInStack(F, Placements);
  return true;
}

/// Erases every heap free in \p M when nothing in it allocates from the
/// heap any more: in a closed world a free can then only get null or a frame
/// that CoroElide or this pass put on a stack. Such frees stay behind in
/// resume parts, where dead-argument elimination rebuilt the call and
/// dropped ClosedWorld's tag; dead on every path, they still put a heap call
/// in the PTX.
static bool eraseFreesWithoutAllocations(Module &M) {
  SmallVector<CallBase *, 4> Frees;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *Call = dyn_cast<CallBase>(&I)) {
        if (isGlobalHeapFunction(*Call, /*Allocates=*/true))
          return false;
        if (isGlobalHeapFunction(*Call, /*Allocates=*/false))
          Frees.push_back(Call);
      }
  for (CallBase *Free : Frees)
    Free->eraseFromParent();
  return !Frees.empty();
}

} // namespace

PreservedAnalyses LocalFramePlacementPass::run(Module &M,
                                               ModuleAnalysisManager &MAM) {
  if (!isDeviceModule(M))
    return PreservedAnalyses::all();
  auto &FAM = MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();

  bool Changed = false;
  StringSet<> Placed;
  for (Function &F : M) {
    SmallVector<CallBase *, 4> Allocs = frameAllocationsIn(F);
    if (Allocs.empty())
      continue;
    bool Inlined = false;
    if (placeFramesOf(F, std::move(Allocs), FAM, Placed, Inlined) || Inlined) {
      FAM.invalidate(F, PreservedAnalyses::none());
      Changed = true;
    }
  }
  if (!RelocatableDeviceCode && eraseFreesWithoutAllocations(M))
    Changed = true;
  if (!Changed)
    return PreservedAnalyses::all();

  // A coroutine none of whose frames is left on the heap never frees one:
  // the free in its destroy part would now hit a stack slot.
  SetVector<StringRef> StillOnHeap = coroutinesWithHeapCalls(M, {FrameAllocMDKind});
  auto IsPlacedEverywhere = [&](StringRef Coroutine) {
    return Placed.contains(Coroutine) && !StillOnHeap.contains(Coroutine);
  };
  // Tagged frees can sit in any function a destroy part was inlined into (a
  // shared dispatcher, say); an untagged one is recognized in the part.
  auto isFreeOfPlacedCoroutine = [&](const CallBase &Call) {
    std::optional<StringRef> Owner = taggedFrameOwner(Call, FrameFreeMDKind);
    return Owner && IsPlacedEverywhere(*Owner);
  };
  for (Function &F : M) {
    // Under -fgpu-rdc another module may hand this one a heap frame of the
    // same coroutine, through any function it can call.
    if (F.isDeclaration() || (RelocatableDeviceCode && !F.hasLocalLinkage()))
      continue;
    std::optional<StringRef> Owner = owningCoroutineName(F);
    if (Owner && (!IsPlacedEverywhere(*Owner) || F.arg_empty()))
      Owner.reset();
    SmallVector<Instruction *, 2> Frees;
    for (Instruction &I : instructions(F))
      if (auto *Call = dyn_cast<CallBase>(&I);
          Call && Call->arg_size() > 0 &&
          (isFreeOfPlacedCoroutine(*Call) ||
           (Owner && isGlobalHeapFunction(*Call, /*Allocates=*/false) &&
            getUnderlyingObject(Call->getArgOperand(0), 0) == F.getArg(0))))
        Frees.push_back(Call);
    for (Instruction *Free : Frees)
      Free->eraseFromParent();
    if (!Frees.empty())
      FAM.invalidate(F, PreservedAnalyses::none());
  }
  return PreservedAnalyses::none();
}
