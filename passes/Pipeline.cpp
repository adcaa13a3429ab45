//===- Pipeline.cpp - Where the coroptx passes run ------------------------===//
//
// clang's default pipelines, with these additions for device modules:
//
//  pipeline start   AwaitedFactoryInliningPass: carry clang's elide-safe mark
//                   through functions that return a coroutine's task.
//                   ClosedWorldPass: record coroutines, tag heap frames,
//                   internalize. At -O0 it is followed by the O1 pipeline,
//                   run on device modules that hold coroutines: frame
//                   placement needs the inliner and SROA, and -O0 must still
//                   be heap-free and indirect-call-free (it is the only -O
//                   level where device code is optimized more than asked).
//  peephole         AwaiterAttributesPass: what await_suspend does to its
//                   awaiter, on the intrinsic call, for GVN and CoroElide.
//  scalar late      SpillComputedValuesPass: just before CoroSplit, the
//                   values it would recompute through costly arithmetic
//                   are kept in the frame instead.
//  optimizer early  ReleaseSpilledValuesPass undoes the calls that kept
//                   them; FrameReportPass (remarks), TransferLoopPass and
//                   DevirtualizePass, after the CGSCC walk split every
//                   coroutine; when they changed anything, one more inliner
//                   round folds the dispatch into callers. Then
//                   LocalFramePlacementPass gives the frames CoroElide left
//                   on the heap the stack of the function that holds them
//                   (SROA and friends follow when it placed any);
//                   InlineForFlatteningPass inlines the calls given handles
//                   where the frames then flatten; in every function,
//                   FrameFlatteningPass makes the frames SSA values where it
//                   can, and ConstantPhiComparesPass makes the done() tests
//                   of their resume slots flags; for the frames left in
//                   memory, DispatchNarrowingPass drops the dispatch arms
//                   of parts they never hold, and
//                   TransferLoopPeelingPass peels the first transfers of
//                   each resume out of the transfer loop (also of the
//                   loops over flattened frames that dfa-jump-threading
//                   left), MergedBranchThreadingPass threading the end of
//                   each peeled trip into the next; ConstantPhiComparesPass
//                   again, for the resume slots the peeled trips left, and
//                   FirstTripPeelingPass, which takes the round that starts
//                   the coroutines out of a scheduler loop;
//                   LoopPhaseSplittingPass, which splits a scheduler loop
//                   whose branches depend on constant states alone into
//                   runs of trips that take one path, without the branches.
//  optimizer last   (-O0: DevirtualizePass for modules without coroutines;
//                   -O1 and up: ConstantPhiComparesPass again, for the job
//                   handles of an unrolled spawn loop, CongruentPhisPass,
//                   for the slot flags that always agree, and
//                   MergedBranchThreadingPass again, for the flag merges
//                   that loop rotation and unrolling leave),
//                   DeadDispatchArmsPass, GlobalDCE, to drop the ramps nobody
//                   calls any more, then LoweringVerifierPass.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/Pipeline.h"
#include "coroptx/Passes/AwaitedFactoryInlining.h"
#include "coroptx/Passes/AwaiterAttributes.h"
#include "coroptx/Passes/ClosedWorld.h"
#include "coroptx/Passes/CongruentPhis.h"
#include "coroptx/Passes/ConstantPhiCompares.h"
#include "coroptx/Passes/CoroutineArrayUnrolling.h"
#include "coroptx/Passes/DeadDispatchArms.h"
#include "coroptx/Passes/DeviceModule.h"
#include "coroptx/Passes/Devirtualize.h"
#include "coroptx/Passes/DispatchNarrowing.h"
#include "coroptx/Passes/FirstTripPeeling.h"
#include "coroptx/Passes/FrameFlattening.h"
#include "coroptx/Passes/FrameReport.h"
#include "coroptx/Passes/InPlaceArguments.h"
#include "coroptx/Passes/InlineForFlattening.h"
#include "coroptx/Passes/LocalFramePlacement.h"
#include "coroptx/Passes/LoopPhaseSplitting.h"
#include "coroptx/Passes/LoweringVerifier.h"
#include "coroptx/Passes/MergedBranchThreading.h"
#include "coroptx/Passes/NarrowIntegerSlots.h"
#include "coroptx/Passes/PeeledTripRerolling.h"
#include "coroptx/Passes/SpillComputedValues.h"
#include "coroptx/Passes/TransferLoop.h"
#include "coroptx/Passes/TransferLoopPeeling.h"
#include "coroptx/Passes/UnrollOnce.h"

#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/ADCE.h"
#include "llvm/Transforms/Scalar/CorrelatedValuePropagation.h"
#include "llvm/Transforms/Scalar/DFAJumpThreading.h"
#include "llvm/Transforms/Scalar/DeadStoreElimination.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/Transforms/Scalar/GVN.h"
#include "llvm/Transforms/Scalar/LoopRotation.h"
#include "llvm/Transforms/Scalar/SCCP.h"
#include "llvm/Transforms/Scalar/SROA.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"

#include <memory>

using namespace llvm;
using namespace coroptx;

namespace {

/// True for a device module with a coroutine that has not been split yet.
bool hasPresplitCoroutine(const Module &M) {
  return any_of(M, [](const Function &F) { return F.isPresplitCoroutine(); });
}

/// At -O0 clang marks every function optnone and noinline. For a device
/// module with coroutines, lift that and run the O1 pipeline: the frames can
/// only be placed in their callers once the ramps are inlined.
struct OptimizeCoroutineModuleAtO0
    : PassInfoMixin<OptimizeCoroutineModuleAtO0> {
  explicit OptimizeCoroutineModuleAtO0(ModulePassManager O1)
      : O1(std::make_shared<ModulePassManager>(std::move(O1))) {}

  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    if (!isDeviceModule(M) || !hasPresplitCoroutine(M))
      return PreservedAnalyses::all();
    for (Function &F : M) {
      F.removeFnAttr(Attribute::OptimizeNone);
      F.removeFnAttr(Attribute::NoInline);
    }
    MAM.invalidate(M, PreservedAnalyses::none());
    O1->run(M, MAM);
    return PreservedAnalyses::none();
  }
  static bool isRequired() { return true; }

  std::shared_ptr<ModulePassManager> O1;
};

/// Turns symmetric transfers into loops and devirtualizes, then reruns the
/// inliner pipeline only if that changed something, so modules without
/// coroutines pay nothing.
struct DevirtualizeAndInline : PassInfoMixin<DevirtualizeAndInline> {
  DevirtualizeAndInline(bool RelocatableDeviceCode, ModulePassManager Inline)
      : TransferLoop(RelocatableDeviceCode), Devirtualize(RelocatableDeviceCode),
        Inline(std::make_shared<ModulePassManager>(std::move(Inline))) {}

  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    PreservedAnalyses PA = TransferLoop.run(M, MAM);
    MAM.invalidate(M, PA);
    PA.intersect(Devirtualize.run(M, MAM));
    if (PA.areAllPreserved())
      return PA;
    MAM.invalidate(M, PA);
    Inline->run(M, MAM);
    return PreservedAnalyses::none();
  }
  static bool isRequired() { return true; }

  TransferLoopPass TransferLoop;
  DevirtualizePass Devirtualize;
  std::shared_ptr<ModulePassManager> Inline;
};

/// What turns placed frames into SSA values: SROA for the slots no loop
/// indexes (NarrowIntegerSlots for the sub-byte ones it leaves); SCCP for the
/// resume and destroy slots, now phis that hold one part around the loop and so
/// fold the dispatch compares on them; and SROA for what the first round leaves
/// (a state byte stored on one path) once the CFG is simple.
FunctionPassManager frameSimplification() {
  FunctionPassManager Simplify;
  Simplify.addPass(SROAPass(SROAOptions::ModifyCFG));
  Simplify.addPass(NarrowIntegerSlotsPass());
  Simplify.addPass(EarlyCSEPass(/*UseMemorySSA=*/true));
  Simplify.addPass(SCCPPass());
  Simplify.addPass(InstCombinePass());
  Simplify.addPass(SimplifyCFGPass());
  Simplify.addPass(SROAPass(SROAOptions::ModifyCFG));
  return Simplify;
}

/// After flattening, a transfer loop dispatches with a switch on the code
/// of the frame it resumes, and every arm leaves a constant code for the
/// next trip: DFA jump threading sends each arm straight to the next one,
/// and what is left is the loop a programmer would write.
FunctionPassManager flattenedFrameSimplification() {
  FunctionPassManager Simplify = frameSimplification();
  Simplify.addPass(DFAJumpThreadingPass());
  Simplify.addPass(SimplifyCFGPass());
  Simplify.addPass(InstCombinePass());
  return Simplify;
}

/// After the first trips of a transfer loop are peeled: GVN forwards what
/// one trip stored to the next trip's loads (frames in memory), and
/// MergedBranchThreading sends the end of each trip straight to the next
/// with its own values (flattened frames, whose next code is a merged
/// constant); InstCombine folds the dispatch compares on forwarded parts
/// and codes, and SimplifyCFG drops the arms they rule out, which lets the
/// next round reach into the next trip. CVP folds
/// the null tests of handles that were dereferenced; DSE drops the stores a
/// later trip overwrites.
FunctionPassManager peeledTripSimplification() {
  FunctionPassManager Simplify;
  for (unsigned Trip = 0; Trip < TransferLoopPeelingPass::TripsPeeled; ++Trip) {
    Simplify.addPass(GVNPass());
    Simplify.addPass(MergedBranchThreadingPass());
    Simplify.addPass(InstCombinePass());
    Simplify.addPass(SimplifyCFGPass());
  }
  Simplify.addPass(CorrelatedValuePropagationPass());
  Simplify.addPass(InstCombinePass());
  Simplify.addPass(SimplifyCFGPass());
  Simplify.addPass(DSEPass());
  return Simplify;
}

/// Runs \p Pass on \p F and, if it changed anything, \p Simplify; what
/// both preserved.
template <class PassT>
PreservedAnalyses runAndSimplify(PassT Pass, FunctionPassManager Simplify,
                                 Function &F, FunctionAnalysisManager &FAM) {
  PreservedAnalyses PA = Pass.run(F, FAM);
  if (PA.areAllPreserved())
    return PA;
  FAM.invalidate(F, PA);
  Simplify.run(F, FAM);
  return PreservedAnalyses::none();
}

/// After a compare of a flattened resume slot became a web of outcomes: CVP
/// folds the outcomes each loop edge implies, InstCombine and SimplifyCFG
/// what is left of the web.
FunctionPassManager outcomeWebSimplification() {
  FunctionPassManager Simplify;
  Simplify.addPass(CorrelatedValuePropagationPass());
  Simplify.addPass(InstCombinePass());
  Simplify.addPass(SimplifyCFGPass());
  return Simplify;
}

/// After a loop's first trip is peeled: SCCP finds the states that hold
/// one constant in the loop that is left, InstCombine and SimplifyCFG fold
/// their tests.
FunctionPassManager firstTripSimplification() {
  FunctionPassManager Simplify;
  Simplify.addPass(SCCPPass());
  Simplify.addPass(InstCombinePass());
  Simplify.addPass(SimplifyCFGPass());
  return Simplify;
}

/// At the end of the optimizer, once LoopUnroll has copied a spawn loop
/// (CoroutineArrayUnrolling marks it, it unrolls after the vectorizer start):
/// each slot of the executor now holds one job, but its handle and its
/// job's resume slot are still webs of constants that every slot's code
/// compares with every frame's code (a chain of selects picks the job a
/// handle names). ConstantPhiCompares makes them flags; GVN folds the
/// selects on a flag that a dominating branch tested, which can free more
/// webs for the next round.
struct LateConstantPhiCompares : PassInfoMixin<LateConstantPhiCompares> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &FAM) {
    constexpr unsigned MaxRounds = 3;
    PreservedAnalyses PA = PreservedAnalyses::all();
    for (unsigned Round = 0; Round < MaxRounds; ++Round) {
      FunctionPassManager Simplify;
      Simplify.addPass(GVNPass());
      Simplify.addPass(CorrelatedValuePropagationPass());
      Simplify.addPass(InstCombinePass());
      Simplify.addPass(SimplifyCFGPass());
      if (runAndSimplify(ConstantPhiComparesPass(/*IntegerWebs=*/true),
                         std::move(Simplify), F, FAM)
              .areAllPreserved())
        break;
      PA = PreservedAnalyses::none();
    }
    return PA;
  }
};

/// Once the job handles of an unrolled spawn loop are flags: each slot
/// carries "free" and "done" around the scheduler loop, always equal, which
/// CongruentPhis makes one flag; GVN folds the test of "done" that follows
/// each resume (the branch into the resume found the slot not free),
/// InstCombine and SimplifyCFG what is left of it, and ADCE drops the
/// cycles nothing reads any more (a slot's generation count, once its join
/// handle was dropped at the spawn).
struct LateCongruentPhis : PassInfoMixin<LateCongruentPhis> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &FAM) {
    FunctionPassManager Simplify;
    Simplify.addPass(GVNPass());
    Simplify.addPass(InstCombinePass());
    Simplify.addPass(SimplifyCFGPass());
    Simplify.addPass(ADCEPass());
    return runAndSimplify(CongruentPhisPass(), std::move(Simplify), F, FAM);
  }
};

/// At the end of the optimizer: loop rotation and unrolling can leave a
/// block that merges a "resume over" flag and branches on it, between a
/// flattened transfer loop and the loop around it (the five nested levels'
/// kernel); MergedBranchThreading sends each edge where the flag picks, and
/// SimplifyCFG and InstCombine clean up where it did.
struct LateMergedBranchThreading : PassInfoMixin<LateMergedBranchThreading> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &FAM) {
    FunctionPassManager Simplify;
    Simplify.addPass(SimplifyCFGPass());
    Simplify.addPass(InstCombinePass());
    return runAndSimplify(MergedBranchThreadingPass(), std::move(Simplify), F,
                          FAM);
  }
};

/// FrameFlattening, and the compares of the resume slots it made SSA
/// values; then, for the frames that stay in memory, DispatchNarrowing and
/// TransferLoopPeeling. Peeled trips leave resume slots that hold a part or
/// null, whose compares become flags, and scheduler loops whose first trip
/// starts the coroutines: FirstTripPeeling; and scheduler loops whose every
/// branch follows from constant states: LoopPhaseSplitting. Each is followed by
/// its simplification on the functions it changed only.
struct FlattenFramesAndSimplify : PassInfoMixin<FlattenFramesAndSimplify> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &FAM) {
    PreservedAnalyses PA = runAndSimplify(
        FrameFlatteningPass(), flattenedFrameSimplification(), F, FAM);
    PA.intersect(runAndSimplify(ConstantPhiComparesPass(),
                                outcomeWebSimplification(), F, FAM));
    PA.intersect(runAndSimplify(DispatchNarrowingPass(), frameSimplification(),
                                F, FAM));
    PA.intersect(
        TransferLoopPeelingPass(peeledTripSimplification()).run(F, FAM));
    PA.intersect(runAndSimplify(ConstantPhiComparesPass(),
                                outcomeWebSimplification(), F, FAM));
    PA.intersect(runAndSimplify(FirstTripPeelingPass(),
                                firstTripSimplification(), F, FAM));
    PA.intersect(runAndSimplify(LoopPhaseSplittingPass(),
                                firstTripSimplification(), F, FAM));
    return PA;
  }
};

FunctionPassManager flattenFramesAndSimplify() {
  FunctionPassManager Flatten;
  Flatten.addPass(FlattenFramesAndSimplify());
  return Flatten;
}

PreservedAnalyses runOnEveryFunction(Module &M, ModuleAnalysisManager &MAM,
                                     FunctionPassManager Passes) {
  ModulePassManager OnEveryFunction;
  OnEveryFunction.addPass(createModuleToFunctionPassAdaptor(std::move(Passes)));
  return OnEveryFunction.run(M, MAM);
}

/// Places frames in their callers' stacks and simplifies, then makes the
/// frames whose handles stay in one function SSA values: first where only
/// calls given handles kept them in memory (InlineForFlattening inlines
/// those where that works), then everywhere else.
struct PlaceFramesAndSimplify : PassInfoMixin<PlaceFramesAndSimplify> {
  explicit PlaceFramesAndSimplify(bool RelocatableDeviceCode)
      : Placement(RelocatableDeviceCode) {}
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    PreservedAnalyses PA = Placement.run(M, MAM);
    if (!PA.areAllPreserved()) {
      MAM.invalidate(M, PA);
      runOnEveryFunction(M, MAM, frameSimplification());
    }
    PreservedAnalyses Inlined = InlineForFlattening.run(M, MAM);
    MAM.invalidate(M, Inlined);
    PA.intersect(std::move(Inlined));
    PA.intersect(runOnEveryFunction(M, MAM, flattenFramesAndSimplify()));
    return PA;
  }
  static bool isRequired() { return true; }

  LocalFramePlacementPass Placement;
  InlineForFlatteningPass InlineForFlattening{flattenFramesAndSimplify()};
};

/// Shared by the callbacks: while the nested O1 pipeline is being built, the
/// pipeline-start and optimizer-last passes must not be added a second time.
struct PipelineState {
  PipelineOptions Options;
  bool BuildingNestedPipeline = false;
};

/// The passes that need every coroutine split: report where CoroElide put
/// each frame, turn transfers into loops, devirtualize, inline what became
/// direct, and place the frames left on the heap (reporting those).
void addPostSplitPasses(ModulePassManager &MPM, PassBuilder &PB,
                        const PipelineState &State, OptimizationLevel Level,
                        ThinOrFullLTOPhase Phase) {
  MPM.addPass(ReleaseSpilledValuesPass());
  MPM.addPass(FrameReportPass());
  ModulePassManager Inline;
  Inline.addPass(PB.buildInlinerPipeline(Level, Phase));
  MPM.addPass(DevirtualizeAndInline(State.Options.RelocatableDeviceCode,
                                    std::move(Inline)));
  MPM.addPass(PlaceFramesAndSimplify(State.Options.RelocatableDeviceCode));
}

} // namespace

/// LLVM's CoroAnnotationElide keeps an awaited child on the heap when the
/// co_await sits on a path colder than coro-elide-branch-ratio, trading heap
/// traffic for a smaller frame. On the device the heap is never the better
/// trade, so every elide-safe co_await is elided.
static void elideOnEveryPath() {
  auto &Registered = cl::getRegisteredOptions();
  auto It = Registered.find("coro-elide-branch-ratio");
  if (It != Registered.end())
    It->second->addOccurrence(0, "coro-elide-branch-ratio", "0");
}

void coroptx::registerCoroPTXPipeline(PassBuilder &PB, PipelineOptions Options) {
  elideOnEveryPath();
  auto State = std::make_shared<PipelineState>();
  State->Options = Options;

  PB.registerPipelineStartEPCallback(
      [&PB, State](ModulePassManager &MPM, OptimizationLevel Level) {
        if (State->BuildingNestedPipeline)
          return;
        MPM.addPass(InPlaceArgumentsPass());
        MPM.addPass(AwaitedFactoryInliningPass());
        MPM.addPass(ClosedWorldPass(State->Options.RelocatableDeviceCode));
        if (Level != OptimizationLevel::O0)
          return;
        // The nested pipeline gets the post-split passes at its own
        // optimizer-early point; the verifier runs once, at the outer end.
        State->BuildingNestedPipeline = true;
        ModulePassManager O1 =
            PB.buildPerModuleDefaultPipeline(OptimizationLevel::O1);
        State->BuildingNestedPipeline = false;
        MPM.addPass(OptimizeCoroutineModuleAtO0(std::move(O1)));
      });

  // Unrolling for registers is an optimization: at -O0 (and the -O1
  // pipeline it runs for placement) frames may stay in local memory.
  PB.registerLateLoopOptimizationsEPCallback(
      [](LoopPassManager &LPM, OptimizationLevel Level) {
        if (Level.getSpeedupLevel() >= 2)
          LPM.addPass(CoroutineArrayUnrollingPass());
      });

  // Before LLVM's last LoopUnroll: a spawn loop marked while it was too big
  // to copy is unrolled there if the post-split passes made it small, and a
  // loop takes back the trips that were peeled off it and folded into its
  // preheader, so it unrolls by its real trip count. The trips line up with
  // the peeled one once the loop is rotated, as LLVM rotates it next anyway.
  // A rerolled loop notes its trip count, to tell at the end whether
  // LoopUnroll copied it (NoSecondUnrollingPass).
  PB.registerVectorizerStartEPCallback(
      [](FunctionPassManager &FPM, OptimizationLevel Level) {
        if (Level.getSpeedupLevel() < 2)
          return;
        LoopPassManager LPM;
        LPM.addPass(ConfirmSpawnLoopUnrollingPass());
        LPM.addPass(LoopRotatePass());
        LPM.addPass(PeeledTripRerollingPass());
        FPM.addPass(createFunctionToLoopPassAdaptor(std::move(LPM)));
      });

  // At each peephole point of function simplification (also in the nested
  // O1 pipeline of -O0), before GVN and CoroElide look at the awaits.
  PB.registerPeepholeEPCallback(
      [](FunctionPassManager &FPM, OptimizationLevel Level) {
        FPM.addPass(AwaiterAttributesPass(
            /*ForwardLoads=*/Level.getSpeedupLevel() < 2));
      });

  // The last point of function simplification that runs once, just before
  // CoroSplit: the frame keeps computed values rather than recompute them.
  PB.registerScalarOptimizerLateEPCallback(
      [](FunctionPassManager &FPM, OptimizationLevel) {
        FPM.addPass(SpillComputedValuesPass());
      });

  PB.registerOptimizerEarlyEPCallback([&PB, State](ModulePassManager &MPM,
                                                   OptimizationLevel Level,
                                                   ThinOrFullLTOPhase Phase) {
    if (Level == OptimizationLevel::O0)
      return;
    addPostSplitPasses(MPM, PB, *State, Level, Phase);
  });

  PB.registerOptimizerLastEPCallback([State](ModulePassManager &MPM,
                                             OptimizationLevel Level,
                                             ThinOrFullLTOPhase) {
    if (State->BuildingNestedPipeline)
      return;
    // At -O0 a device module without coroutines skips the nested pipeline,
    // but its function pointer calls must still become direct.
    if (Level == OptimizationLevel::O0) {
      MPM.addPass(DevirtualizePass(State->Options.RelocatableDeviceCode));
    } else {
      MPM.addPass(createModuleToFunctionPassAdaptor(LateConstantPhiCompares()));
      MPM.addPass(createModuleToFunctionPassAdaptor(LateCongruentPhis()));
      MPM.addPass(
          createModuleToFunctionPassAdaptor(LateMergedBranchThreading()));
      MPM.addPass(createModuleToFunctionPassAdaptor(NoSecondUnrollingPass()));
    }
    MPM.addPass(DeadDispatchArmsPass());
    MPM.addPass(GlobalDCEPass());
    MPM.addPass(LoweringVerifierPass());
  });
}

/// InlineForFlattening with the simplification the pipeline gives it.
static bool addInlineForFlatteningIfNamed(StringRef Name,
                                          ModulePassManager &MPM) {
  if (Name != "coroptx-inline-for-flattening")
    return false;
  MPM.addPass(InlineForFlatteningPass(flattenFramesAndSimplify()));
  return true;
}

/// ConstantPhiCompares over integer webs too, as it runs at the end.
static bool addConstantPhiComparesOfIntegersIfNamed(StringRef Name,
                                                    FunctionPassManager &FPM) {
  if (Name != "coroptx-constant-phi-compares<integer-webs>")
    return false;
  FPM.addPass(ConstantPhiComparesPass(/*IntegerWebs=*/true));
  return true;
}

/// TransferLoopPeeling with the simplification the pipeline gives it.
static bool addTransferLoopPeelingIfNamed(StringRef Name,
                                          FunctionPassManager &FPM) {
  if (Name != "coroptx-peel-transfer-loops")
    return false;
  FPM.addPass(TransferLoopPeelingPass(peeledTripSimplification()));
  return true;
}

/// Adds \p PassT to \p PM when \p Name is \p Expected.
template <class PassT, class PassManagerT>
static bool addIfNamed(StringRef Name, StringRef Expected, PassManagerT &PM) {
  if (Name != Expected)
    return false;
  PM.addPass(PassT());
  return true;
}

void coroptx::registerCoroPTXPassNames(PassBuilder &PB) {
  PB.registerPipelineParsingCallback(
      [](StringRef Name, LoopPassManager &LPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        return addIfNamed<CoroutineArrayUnrollingPass>(
                   Name, "coroptx-unroll-coroutine-arrays", LPM) ||
               addIfNamed<ConfirmSpawnLoopUnrollingPass>(
                   Name, "coroptx-confirm-spawn-loop-unrolling", LPM) ||
               addIfNamed<PeeledTripRerollingPass>(
                   Name, "coroptx-reroll-peeled-trip", LPM);
      });
  PB.registerPipelineParsingCallback(
      [](StringRef Name, FunctionPassManager &FPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        return addIfNamed<AwaiterAttributesPass>(
                   Name, "coroptx-awaiter-attributes", FPM) ||
               addIfNamed<FrameFlatteningPass>(Name, "coroptx-flatten-frames",
                                               FPM) ||
               addIfNamed<DispatchNarrowingPass>(
                   Name, "coroptx-narrow-dispatch", FPM) ||
               addIfNamed<ConstantPhiComparesPass>(
                   Name, "coroptx-constant-phi-compares", FPM) ||
               addIfNamed<CongruentPhisPass>(Name, "coroptx-congruent-phis",
                                             FPM) ||
               addConstantPhiComparesOfIntegersIfNamed(Name, FPM) ||
               addIfNamed<SpillComputedValuesPass>(
                   Name, "coroptx-spill-computed-values", FPM) ||
               addIfNamed<MergedBranchThreadingPass>(
                   Name, "coroptx-merged-branch-threading", FPM) ||
               addIfNamed<FirstTripPeelingPass>(Name, "coroptx-peel-first-trip",
                                                FPM) ||
               addIfNamed<LoopPhaseSplittingPass>(
                   Name, "coroptx-split-loop-phases", FPM) ||
               addIfNamed<NarrowIntegerSlotsPass>(
                   Name, "coroptx-narrow-integer-slots", FPM) ||
               addIfNamed<NoSecondUnrollingPass>(
                   Name, "coroptx-no-second-unrolling", FPM) ||
               addTransferLoopPeelingIfNamed(Name, FPM);
      });
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        return addIfNamed<AwaitedFactoryInliningPass>(
                   Name, "coroptx-inline-awaited-factories", MPM) ||
               addIfNamed<ClosedWorldPass>(Name, "coroptx-closed-world", MPM) ||
               addIfNamed<DeadDispatchArmsPass>(
                   Name, "coroptx-dead-dispatch-arms", MPM) ||
               addIfNamed<TransferLoopPass>(Name, "coroptx-transfer-loop",
                                            MPM) ||
               addIfNamed<DevirtualizePass>(Name, "coroptx-devirtualize",
                                            MPM) ||
               addIfNamed<FrameReportPass>(Name, "coroptx-frame-report", MPM) ||
               addIfNamed<InPlaceArgumentsPass>(
                   Name, "coroptx-in-place-arguments", MPM) ||
               addIfNamed<LocalFramePlacementPass>(
                   Name, "coroptx-place-local-frames", MPM) ||
               addIfNamed<LoweringVerifierPass>(Name, "coroptx-verify", MPM) ||
               addIfNamed<ReleaseSpilledValuesPass>(
                   Name, "coroptx-release-spilled-values", MPM) ||
               addInlineForFlatteningIfNamed(Name, MPM);
      });
}
