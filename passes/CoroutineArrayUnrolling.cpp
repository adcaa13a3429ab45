//===- CoroutineArrayUnrolling.cpp - Loops over coroutine arrays ----------===//
//
// A kernel that runs several coroutines keeps their handles in a local
// array and starts, resumes and destroys them in loops over it:
//     worker workers[16];
//     for (int k = 0; k < 16; ++k) workers[k] = work(seed + k);
//     for (...) for (int k = 0; k < 16; ++k) workers[k].handle.resume();
// The loop index picks the handle, so every frame is reached through an
// address that depends on a variable: FrameFlattening cannot make the
// frames SSA values ("a handle is moved by a variable offset"), and they
// stay in local memory, where every resume loads and stores its state.
//
// LLVM's full unrolling takes such loops only while they are small, and a
// loop that starts or resumes a coroutine is not small before the coroutine
// is inlined into it: at 16 workers it is left. This pass marks those loops
// for full unrolling (the metadata `#pragma unroll` gives), in the loop
// pipeline just before LoopFullUnroll, when the trip count is a constant of
// at most MaxTripCount. The loop qualifies when its body
//   - stores a new frame's handle (llvm.coro.begin) into a local array of
//     handles (of pointers, or of classes that hold one pointer, like a
//     task) at an address that changes from one trip to the next, or
//   - resumes or destroys (llvm.coro.subfn.addr) a handle loaded from such
//     an address,
// and every access to that array in the function is at a constant offset
// or moves with such a loop. Unrolled, each handle sits at a constant
// offset of the array, and the frames flatten like those of a hand-unrolled
// loop. Where another access picks the handle by a run-time value (a modulo
// schedule, an executor's slot search), the frames stay in memory anyway,
// and the loops are left alone.
//
// An executor that is a local of the kernel is the other case:
//     for (int k = 0; k < 16; ++k) ex.spawn(work(ex, &state[k]));
// Each trip searches the executor for a free slot and frame storage at run
// time, so rolled, every job's frame may be any of the sixteen, every slot
// keeps the union of them, and what the jobs are given by the loop's index
// (&state[k]) stays in local memory. A loop that starts a coroutine whose
// frame goes into one local object, at an address picked on each trip,
// qualifies too, loops inside it (the executor's pass over detached jobs)
// included: unrolled, the searches fold to constant slots. The frame start
// is llvm.coro.begin before CoroSplit, and after it, with the ramp inlined,
// the store of the coroutine's resume part. Such a loop may also leave
// early (a failed spawn traps); its latch's trip count is the one that
// counts.
//
// A spawn loop is not held to the size budget when it is marked. Until the
// post-split passes simplify it, one trip of a 16-slot executor's spawn is
// about 3,700 instructions; by the start of the vectorizer, a few hundred.
// LoopUnroll takes it there, once it fits LoopUnroll's limit for a loop
// with an unroll pragma. The mark carries coroptx.unroll.spawn_loop, and
// ConfirmSpawnLoopUnrollingPass, just before that last LoopUnroll, drops the
// request of a loop that still does not fit, so clang does not warn that a
// requested unrolling failed. At 16 jobs per thread, the executor bench
// went from 15.5x to 2.9x of the hand-written loop (docs/performance.md).
//
// The frames' state then lives in registers: 16 workers of the benchmark
// take 68 of them, against 28 and two kilobytes of local memory rolled. A
// loop the programmer gave an unroll pragma keeps it: `#pragma unroll 1`
// keeps the frames in memory. -O2 and above only.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/CoroutineArrayUnrolling.h"
#include "coroptx/Passes/DeviceModule.h"
#include "coroptx/Passes/LoopTransforms.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/Scalar/LoopPassManager.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/UnrollLoop.h"

#define DEBUG_TYPE "coroptx-unroll-coroutine-arrays"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumMarked, "Loops over coroutine arrays marked for full unrolling");

static cl::opt<unsigned> MaxUnrolledInstructions(
    "coroptx-max-unrolled-coroutine-loop-size", cl::init(4096), cl::Hidden,
    cl::desc("Most instructions a loop over a coroutine array may have once "
             "unrolled (its body's times its trip count)"));

static cl::opt<unsigned> MaxUnrolledSpawnLoopCost(
    "coroptx-max-unrolled-spawn-loop-cost", cl::init(16 * 1024), cl::Hidden,
    cl::desc("Largest estimated size (LLVM's unrolling cost) of a spawn loop "
             "once unrolled; the default is LoopUnroll's own limit for a "
             "loop with an unroll pragma (-pragma-unroll-threshold), so "
             "that it does unroll what is marked"));

namespace {

/// A type that is one pointer, possibly wrapped in single-member structs:
/// a coroutine handle, or a class that holds one.
bool isHandleType(Type *Ty) {
  while (auto *Struct = dyn_cast<StructType>(Ty)) {
    if (Struct->getNumElements() != 1)
      return false;
    Ty = Struct->getElementType(0);
  }
  return Ty->isPointerTy();
}

/// The local array of handles that \p Address points into, if any.
const AllocaInst *handleArrayOf(const Value *Address) {
  const auto *Array = dyn_cast<AllocaInst>(getUnderlyingObject(Address));
  if (!Array || !Array->isStaticAlloca())
    return nullptr;
  auto *Type = dyn_cast<ArrayType>(Array->getAllocatedType());
  return Type && isHandleType(Type->getElementType()) ? Array : nullptr;
}

/// The local array of handles in which \p I, in \p L, stores a new frame's
/// handle or finds the handle it resumes or destroys, at an address that
/// moves with \p L's trips; null if \p I does none of that.
const AllocaInst *arrayTouchedBy(const Instruction &I, const Loop &L,
                                 ScalarEvolution &SE) {
  const Value *Address = nullptr;
  if (const auto *Store = dyn_cast<StoreInst>(&I)) {
    const auto *Begin =
        dyn_cast<IntrinsicInst>(Store->getValueOperand()->stripPointerCasts());
    if (Begin && Begin->getIntrinsicID() == Intrinsic::coro_begin)
      Address = Store->getPointerOperand();
  } else if (const auto *Part = dyn_cast<IntrinsicInst>(&I);
             Part && Part->getIntrinsicID() == Intrinsic::coro_subfn_addr) {
    if (const auto *Handle =
            dyn_cast<LoadInst>(Part->getArgOperand(0)->stripPointerCasts());
        Handle && L.contains(Handle))
      Address = Handle->getPointerOperand();
  }
  if (!Address)
    return nullptr;
  const AllocaInst *Array = handleArrayOf(Address);
  if (!Array ||
      SE.isLoopInvariant(SE.getSCEV(const_cast<Value *>(Address)), &L))
    return nullptr;
  return Array;
}

/// The constant number of trips of \p L, or 0. A loop that may also leave
/// early (a failed spawn traps) counts the trips its latch allows.
unsigned tripCountOf(const Loop &L, ScalarEvolution &SE) {
  if (unsigned Trips = SE.getSmallConstantTripCount(&L))
    return Trips;
  const BasicBlock *Latch = L.getLoopLatch();
  return Latch && L.isLoopExiting(Latch)
             ? SE.getSmallConstantTripCount(&L, Latch)
             : 0;
}

/// True for a loop of \p Trips trips (0: not a constant), at most
/// MaxTripCount, that is small once unrolled.
bool isSmallOnceUnrolled(const Loop &L, unsigned Trips) {
  return Trips != 0 && Trips <= CoroutineArrayUnrollingPass::MaxTripCount &&
         loopInstructionCount(L) * Trips <= MaxUnrolledInstructions;
}

/// LLVM's estimate of \p L's size once its \p Trips trips are copied, as
/// LoopUnroll makes it.
uint64_t unrolledSizeEstimate(const Loop &L, unsigned Trips,
                              const TargetTransformInfo &TTI) {
  // LoopUnroll's default count of the instructions a back edge costs,
  // which unrolling removes.
  TargetTransformInfo::UnrollingPreferences Preferences{};
  Preferences.BEInsns = 2;
  SmallPtrSet<const Value *, 4> NoEphemeralValues;
  const UnrollCostEstimator Cost(&L, TTI, NoEphemeralValues,
                                 Preferences.BEInsns);
  return Cost.getUnrolledLoopSize(Preferences, Trips);
}

/// True for a loop that this pass may unroll: innermost, with a constant
/// trip count of at most MaxTripCount, and small once unrolled. A body that
/// does much more than start or resume a coroutine would be copied that
/// many times: the frames' registers are not worth it.
bool isSmallCountedLoop(const Loop &L, ScalarEvolution &SE) {
  return L.isInnermost() && isSmallOnceUnrolled(L, tripCountOf(L, SE));
}

/// The local object that holds a frame at \p Frame, when every address the
/// frame may get (through phis and selects: a search for free storage) is
/// in that one static alloca, or null. An executor that is a local of the
/// kernel gives its jobs' frames such storage.
const AllocaInst *localFrameStorage(const Value *Frame) {
  SmallVector<const Value *, 8> Objects;
  getUnderlyingObjects(Frame, Objects);
  const AllocaInst *Storage = nullptr;
  for (const Value *Object : Objects) {
    if (isa<ConstantPointerNull>(Object))
      continue; // No storage: the frame is elided, or the start fails.
    const auto *Alloca = dyn_cast<AllocaInst>(Object);
    if (!Alloca || !Alloca->isStaticAlloca() || (Storage && Storage != Alloca))
      return nullptr;
    Storage = Alloca;
  }
  return Storage;
}

/// The address of the frame that \p I starts: the memory llvm.coro.begin is
/// given, or, once CoroSplit has run and the ramp is inlined, the address
/// the ramp stores its resume part at. Null for any other instruction.
const Value *startedFrame(const Instruction &I) {
  if (const auto *Begin = dyn_cast<IntrinsicInst>(&I))
    return Begin->getIntrinsicID() == Intrinsic::coro_begin
               ? Begin->getArgOperand(1)
               : nullptr;
  if (const auto *Store = dyn_cast<StoreInst>(&I))
    if (const auto *Part = dyn_cast<Function>(Store->getValueOperand());
        Part && coroutinePart(*Part) == CoroutinePart::Resume)
      return Store->getPointerOperand();
  return nullptr;
}

/// True when \p L starts a coroutine whose frame goes into a local object
/// (`ex.spawn(work(ex, k))` for k below a constant): each trip picks the
/// frame's storage, and the slot that takes its handle, at run time. Once
/// unrolled, the trips are told apart, the picks fold to constant offsets,
/// and the frames can become SSA values. A frame at the same address on
/// every trip (an awaited child's, elided into its caller) gains nothing.
bool startsFramesInLocalStorage(const Loop &L) {
  for (const BasicBlock *Block : L.blocks())
    for (const Instruction &I : *Block)
      if (const Value *Frame = startedFrame(I);
          Frame && !L.isLoopInvariant(Frame) && localFrameStorage(Frame))
        return true;
  return false;
}

/// True when the loop \p Address moves with (if any) is one this pass
/// unrolls.
bool isUnrolledLoopIndex(const SCEV *Address, ScalarEvolution &SE) {
  const auto *Recurrence = dyn_cast<SCEVAddRecExpr>(Address);
  if (!Recurrence)
    return false;
  const Loop &Over = *Recurrence->getLoop();
  return isSmallCountedLoop(Over, SE) &&
         isa<SCEVConstant>(Recurrence->getStepRecurrence(SE)) &&
         SE.isLoopInvariant(Recurrence->getStart(), &Over);
}

/// True when, once every loop of \p Array's trips is unrolled, each access
/// to \p Array is at a constant offset: the accesses are at constant
/// offsets already, or move with such a loop. One access by another index
/// (a modulo, a value read from memory) keeps the frames in memory, and
/// unrolling would only copy code.
bool everyAccessIsUnrolled(const AllocaInst &Array, ScalarEvolution &SE) {
  SmallVector<const Value *, 16> Worklist{&Array};
  SmallPtrSet<const Value *, 16> Seen{&Array};
  const SCEV *Base = SE.getSCEV(const_cast<AllocaInst *>(&Array));
  while (!Worklist.empty()) {
    const Value *Pointer = Worklist.pop_back_val();
    for (const User *U : Pointer->users()) {
      if (isa<GetElementPtrInst>(U)) {
        if (Seen.insert(U).second)
          Worklist.push_back(U);
        continue;
      }
      const auto *I = cast<Instruction>(U);
      if (I->isLifetimeStartOrEnd())
        continue;
      const Value *Accessed = getLoadStorePointerOperand(I);
      if (const auto *Memset = dyn_cast<MemSetInst>(I))
        Accessed = Memset->getDest(); // the array's zero initialization
      if (!Accessed || Accessed != Pointer)
        return false; // the address escapes, or is stored
      const SCEV *Offset =
          SE.getMinusSCEV(SE.getSCEV(const_cast<Value *>(Accessed)), Base);
      if (!isa<SCEVConstant>(Offset) && !isUnrolledLoopIndex(Offset, SE))
        return false;
    }
  }
  return true;
}

/// The loop attribute that, next to `llvm.loop.unroll.full`, says this pass
/// asked for the unrolling of a spawn loop, which may still be too big.
constexpr StringLiteral SpawnLoopAttribute = "coroptx.unroll.spawn_loop";

/// The loop attribute named \p Name, with no value.
MDNode *loopAttribute(LLVMContext &Context, StringRef Name) {
  return MDNode::get(Context, MDString::get(Context, Name));
}

/// Adds `llvm.loop.unroll.full` to \p L's loop metadata, and for a spawn
/// loop the attribute ConfirmSpawnLoopUnrollingPass looks for.
void markForFullUnroll(Loop &L, bool SpawnLoop) {
  LLVMContext &Context = L.getHeader()->getContext();
  SmallVector<MDNode *, 2> Added{
      loopAttribute(Context, "llvm.loop.unroll.full")};
  if (SpawnLoop)
    Added.push_back(loopAttribute(Context, SpawnLoopAttribute));
  L.setLoopID(
      makePostTransformationMetadata(Context, L.getLoopID(), {}, Added));
}

} // namespace

PreservedAnalyses
CoroutineArrayUnrollingPass::run(Loop &L, LoopAnalysisManager &,
                                 LoopStandardAnalysisResults &AR,
                                 LPMUpdater &) {
  Function &F = *L.getHeader()->getParent();
  // A loop the programmer said how to unroll keeps that.
  if (!isDeviceModule(*F.getParent()) ||
      hasUnrollTransformation(&L) != TM_Unspecified)
    return PreservedAnalyses::all();
  const unsigned TripCount = tripCountOf(L, AR.SE);
  if (TripCount < 2 || TripCount > MaxTripCount)
    return PreservedAnalyses::all();
  const AllocaInst *Array = nullptr;
  if (L.isInnermost() && isSmallOnceUnrolled(L, TripCount))
    for (const BasicBlock *Block : L.blocks())
      for (const Instruction &I : *Block)
        if (!Array)
          Array = arrayTouchedBy(I, L, AR.SE);
  const bool OverArray = Array && everyAccessIsUnrolled(*Array, AR.SE);
  // The loops inside a spawn loop (an executor's wait for detached jobs)
  // unroll with it.
  const bool Spawns = !OverArray && startsFramesInLocalStorage(L);
  if (!OverArray && !Spawns)
    return PreservedAnalyses::all();

  markForFullUnroll(L, /*SpawnLoop=*/Spawns);
  ++NumMarked;
  OptimizationRemarkEmitter Remarks(&F);
  Remarks.emit([&] {
    return OptimizationRemark(DEBUG_TYPE, "Unrolled", L.getStartLoc(),
                              L.getHeader())
           << "this loop over " << ore::NV("Coroutines", TripCount)
           << (OverArray ? " coroutines of a local array"
                         : " coroutines started into a local object")
           << " is unrolled: each frame at a constant offset can live in "
              "registers";
  });
  // Only metadata changed, which no analysis caches.
  return PreservedAnalyses::all();
}

PreservedAnalyses
ConfirmSpawnLoopUnrollingPass::run(Loop &L, LoopAnalysisManager &,
                                   LoopStandardAnalysisResults &AR,
                                   LPMUpdater &) {
  if (!findOptionMDForLoop(&L, SpawnLoopAttribute))
    return PreservedAnalyses::all();
  const unsigned TripCount = tripCountOf(L, AR.SE);
  if (TripCount != 0 &&
      unrolledSizeEstimate(L, TripCount, AR.TTI) <= MaxUnrolledSpawnLoopCost)
    return PreservedAnalyses::all();
  // Left as it is, LoopUnroll would fail and clang would warn that the
  // programmer's unrolling did not happen.
  L.setLoopID(makePostTransformationMetadata(
      L.getHeader()->getContext(), L.getLoopID(),
      {"llvm.loop.unroll.full", SpawnLoopAttribute}, {}));
  Function &F = *L.getHeader()->getParent();
  OptimizationRemarkEmitter Remarks(&F);
  Remarks.emit([&] {
    return OptimizationRemarkMissed(DEBUG_TYPE, "TooBig", L.getStartLoc(),
                                    L.getHeader())
           << "this loop starting coroutines into a local object stays "
              "rolled: even simplified, it is too big to copy for each trip";
  });
  return PreservedAnalyses::all();
}
