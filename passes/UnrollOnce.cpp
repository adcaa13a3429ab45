//===- UnrollOnce.cpp - A loop LLVM unrolled, left alone by ptxas ---------===//
//
// LLVM's LoopUnroll copies a small loop's body by a factor that divides its
// trip count (the NVPTX target asks for partial unrolling of small loops).
// ptxas then decides again, on the PTX, and may unroll the copies once
// more. For a generator feeding a sum, whose loop PeeledTripRerolling gave
// back its first trip and LLVM unrolled by 4, ptxas made 31 registers of a
// loop that needs 11: every copy's chain and partial sum live at once. The
// hand-written loop kept 12 only because its latch came out as
// `@%p bra exit; bra.uni header`, a shape ptxas does not unroll.
//
// The NVPTX backend emits `.pragma "nounroll"` at the header of a loop with
// llvm.loop.unroll.disable, which LLVM itself sets only after a pragma'd
// unroll. A loop that PeeledTripRerolling rerolled notes its trip count in
// its metadata (coroptx.loop.trips, which LoopUnroll keeps on the unrolled
// loop); at the end of the pipeline, one that runs fewer trips than it noted
// was unrolled by LLVM and is not unrolled again.
//
// Other loops keep what ptxas does with them: block_on's loop in bench/,
// also unrolled by LLVM (by 3: its first trip is peeled too, but its result
// is a select the rerolling cannot match), ran at 0.73x of hand-written
// with ptxas unrolling it once more at no cost in registers (10), and at
// 1.18x with the pragma (8 registers), side by side on the H200.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/UnrollOnce.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/LoopUtils.h"

#define DEBUG_TYPE "coroptx-unroll-once"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumKeptUnrolled, "Loops unrolled by LLVM and marked nounroll");

static constexpr StringLiteral TripsAttribute = "coroptx.loop.trips";

void coroptx::noteTripCountForUnrollOnce(Loop &L, ScalarEvolution &SE) {
  // A programmer's pragma (or a pass) already said how the loop unrolls.
  if (hasUnrollTransformation(&L) != TM_Unspecified)
    return;
  const unsigned Trips = SE.getSmallConstantTripCount(&L);
  if (Trips == 0)
    return;
  LLVMContext &Context = L.getHeader()->getContext();
  Metadata *Note[] = {MDString::get(Context, TripsAttribute),
                      ConstantAsMetadata::get(
                          ConstantInt::get(Type::getInt32Ty(Context), Trips))};
  L.setLoopID(makePostTransformationMetadata(
      Context, L.getLoopID(), {TripsAttribute}, {MDNode::get(Context, Note)}));
}

PreservedAnalyses NoSecondUnrollingPass::run(Function &F,
                                             FunctionAnalysisManager &FAM) {
  if (F.isDeclaration() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  LoopInfo &LI = FAM.getResult<LoopAnalysis>(F);
  if (LI.empty())
    return PreservedAnalyses::all();
  ScalarEvolution &SE = FAM.getResult<ScalarEvolutionAnalysis>(F);
  bool Changed = false;
  for (Loop *L : LI.getLoopsInPreorder()) {
    std::optional<int> Noted = getOptionalIntLoopAttribute(L, TripsAttribute);
    if (!Noted)
      continue;
    const unsigned Trips = SE.getSmallConstantTripCount(L);
    LLVMContext &Context = F.getContext();
    SmallVector<MDNode *, 1> Added;
    if (Trips != 0 && Trips < unsigned(*Noted)) {
      Added.push_back(MDNode::get(
          Context, MDString::get(Context, "llvm.loop.unroll.disable")));
      ++NumKeptUnrolled;
    }
    L->setLoopID(makePostTransformationMetadata(Context, L->getLoopID(),
                                                {TripsAttribute}, Added));
    Changed = true;
  }
  // Only loop metadata changed.
  return Changed ? PreservedAnalyses::allInSet<CFGAnalyses>()
                 : PreservedAnalyses::all();
}
