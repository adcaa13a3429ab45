//===- FrameReport.cpp - Say what became of each coroutine frame ----------===//
//
// After the CGSCC walk every device coroutine is split: its resume part
// takes the frame as a `dereferenceable(N)` pointer, N being the frame's
// size, and every caller that could give the frame storage has done so (a
// heap allocation that survives still carries ClosedWorldPass's tag), and
// every frame begins with a store of the resume part's address, whose target
// tells where that frame lives: a local of some function (the kernel, say) or
// the frame of an enclosing coroutine. The suspend points were counted before
// splitting. This pass turns those facts
// into optimization remarks; a coroutine whose resume part is already gone
// was folded into its callers entirely. Remarks are reported at the
// coroutine's source line: clang
// maps a remark's function to its definition by name, and when the ramp was
// inlined away a declaration with the same name carries the remark and is
// erased again right after (diagnostics are delivered synchronously).
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/FrameReport.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"

#define DEBUG_TYPE "coroptx-frame-report"

using namespace llvm;
using namespace coroptx;

/// Where the frames of the coroutine whose resume part is \p Resume live:
/// every frame starts with a store of \p Resume; the object stored into is a
/// local of some function, or sits inside the frame of another coroutine.
static std::string framePlaces(Function &Resume) {
  SmallVector<std::string, 4> Places;
  for (User *U : Resume.users()) {
    auto *Store = dyn_cast<StoreInst>(U);
    if (!Store || Store->getValueOperand() != &Resume)
      continue;
    Function &Holder = *Store->getFunction();
    const Value *Object = getUnderlyingObject(Store->getPointerOperand());
    std::string Place;
    if (isa<AllocaInst>(Object))
      Place = "a local of '" + displayName(Holder.getName()) + "'";
    else if (auto *Arg = dyn_cast<Argument>(Object);
             Arg && Arg->getArgNo() == 0 && owningCoroutineName(Holder))
      Place = "the frame of '" + displayName(*owningCoroutineName(Holder)) + "'";
    else
      Place = "memory reached from '" + displayName(Holder.getName()) + "'";
    if (!is_contained(Places, Place))
      Places.push_back(Place);
  }
  std::string Joined;
  for (const std::string &Place : Places)
    Joined += (Joined.empty() ? "" : ", ") + Place;
  return Joined;
}

PreservedAnalyses FrameReportPass::run(Module &M, ModuleAnalysisManager &) {
  NamedMDNode *List = M.getNamedMetadata(CoroutineListMDName);
  LLVMContext &Ctx = M.getContext();
  const DiagnosticHandler &Handler = *Ctx.getDiagHandlerPtr();
  if (!isDeviceModule(M) || !List ||
      (!Handler.isPassedOptRemarkEnabled("coroptx") &&
       !Handler.isMissedOptRemarkEnabled("coroptx")))
    return PreservedAnalyses::all();

  SetVector<StringRef> OnHeap = coroutinesWithHeapCalls(M, {FrameAllocMDKind});
  FunctionType *StandInTy = FunctionType::get(Type::getVoidTy(Ctx), false);
  for (const MDNode *Entry : List->operands()) {
    StringRef Name = cast<MDString>(Entry->getOperand(0))->getString();
    auto *Suspends = Entry->getNumOperands() > 1
                         ? mdconst::dyn_extract<ConstantInt>(Entry->getOperand(1))
                         : nullptr;
    Function *Resume = M.getFunction((Name + ".resume").str());
    uint64_t FrameBytes = Resume ? Resume->getParamDereferenceableBytes(0) : 0;

    Function *Anchor = M.getFunction(Name);
    Function *StandIn = nullptr;
    if (!Anchor)
      Anchor = StandIn =
          Function::Create(StandInTy, GlobalValue::ExternalLinkage, Name, M);
    uint64_t SuspendPoints = Suspends ? Suspends->getZExtValue() : 0;
    if (OnHeap.contains(Name)) {
      // LocalFramePlacementPass runs later and reports what it does.
      Ctx.diagnose(OptimizationRemark("coroptx", "FrameLeftByCoroElide", Anchor)
                   << "device coroutine '" << displayName(Name) << "': "
                   << ore::NV("FrameBytes", FrameBytes) << "-byte frame, "
                   << ore::NV("SuspendPoints", SuspendPoints)
                   << " suspend points (initial and final included); its "
                      "handle passes through memory, so the frame is placed "
                      "after inlining, in the stack of the function that "
                      "holds it");
    } else {
      OptimizationRemark Remark("coroptx", "FramePlaced", Anchor);
      Remark << "device coroutine '" << displayName(Name) << "': ";
      if (Resume) {
        std::string Places = framePlaces(*Resume);
        Remark << ore::NV("FrameBytes", FrameBytes) << "-byte frame placed in "
               << (Places.empty() ? std::string("its callers' frames")
                                  : Places);
      }
      else
        Remark << "frame folded away into its callers (no resume function "
                  "left)";
      Remark << ", " << ore::NV("SuspendPoints", SuspendPoints)
             << " suspend points (initial and final included), no heap";
      Ctx.diagnose(Remark);
    }
    if (StandIn)
      StandIn->eraseFromParent();
  }
  return PreservedAnalyses::all();
}
