//===- LoweringVerifier.cpp - Prove the invariants, or stop --------------===//
//
// The last coroptx pass on a device module checks what the lowering promises:
// no coroutine frame on the heap and no indirect call. ClosedWorldPass tagged
// the heap allocation and free of each frame before the coroutine passes
// ran; a tagged call that is still here means the frame could not be placed
// in its caller, and the coroutine is named in an error at its definition.
// An indirect call still here could not be devirtualized (no candidate, or
// -fgpu-rdc, where the module is not a closed world).
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/LoweringVerifier.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"

#define DEBUG_TYPE "coroptx-verify"

using namespace llvm;
using namespace coroptx;

static cl::opt<bool> VerifyLowering(
    "coroptx-verify", cl::init(true), cl::Hidden,
    cl::desc("Report device coroutines left with heap frames or indirect "
             "calls (turn off only to inspect the IR they leave)"));

/// The function a diagnostic about coroutine \p Name is attached to. When the
/// ramp was inlined away, a declaration with its name still lets clang find
/// the source line; the compile fails anyway, so the module's shape is moot.
static Function &coroutineForDiagnostic(Module &M, StringRef Name) {
  if (Function *Ramp = M.getFunction(Name))
    return *Ramp;
  return *Function::Create(FunctionType::get(Type::getVoidTy(M.getContext()),
                                             /*isVarArg=*/false),
                           GlobalValue::ExternalLinkage, Name, M);
}

PreservedAnalyses LoweringVerifierPass::run(Module &M,
                                            ModuleAnalysisManager &) {
  if (!isDeviceModule(M) || !VerifyLowering)
    return PreservedAnalyses::all();

  // The coroutines whose frame still has heap traffic.
  SetVector<StringRef> HeapFrames =
      coroutinesWithHeapCalls(M, {FrameAllocMDKind, FrameFreeMDKind});
  // Every kind of call: an indirect invoke is as indirect as a call.
  SmallVector<std::pair<Function *, CallBase *>, 4> IndirectCalls;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *Call = dyn_cast<CallBase>(&I);
          Call && Call->isIndirectCall() && !Call->isInlineAsm())
        IndirectCalls.push_back({&F, Call});

  bool AddedDeclarations = false;
  for (StringRef Name : HeapFrames) {
    AddedDeclarations |= !M.getFunction(Name);
    std::string Why;
    if (StringRef Cycle = recursionOf(M, Name); !Cycle.empty())
      Why = ("it is part of a recursion among coroutines (" + Cycle +
             "), so no bound on how many of its frames are alive at once "
             "exists and no caller can hold them; make the recursion a loop, "
             "or give its promise_type an operator new")
                .str();
    else
      Why = "its handle outlives the function that starts it, or its caller "
            "could not be seen, so the frame cannot be placed in the caller's "
            "frame; keep the coroutine's handle inside the function that "
            "creates it (for example co_await it or pass it to block_on), or "
            "give its promise_type an operator new";
    reportLoweringError(coroutineForDiagnostic(M, Name),
                        "the frame of device coroutine '" + displayName(Name) +
                            "' would be allocated on the heap: " + Why);
  }

  for (auto [F, Call] : IndirectCalls) {
    std::optional<StringRef> Coro = owningCoroutineName(*F);
    if (Coro && !M.getFunction(*Coro))
      AddedDeclarations = true;
    Function &Culprit = Coro ? coroutineForDiagnostic(M, *Coro) : *F;
    reportLoweringError(
        Culprit, "an indirect call remains in device function '" +
                     displayName(F->getName()) +
                     "': it could not be devirtualized (no device function "
                     "of its type has its address taken, or the module is "
                     "compiled with -fgpu-rdc and is not a closed world)");
  }

  return AddedDeclarations ? PreservedAnalyses::none()
                           : PreservedAnalyses::all();
}
