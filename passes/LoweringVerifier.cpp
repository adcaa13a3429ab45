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
// It also warns when a shared dispatcher can reach itself: destroying (or
// resuming) one frame then destroys another through the same dispatcher, the
// device call graph is recursive, and ptxas gives up sizing the stack. A
// kernel reaching it runs with cudaLimitStackSize, 1 KiB per thread by
// default; one whose own frames and locals already take that much is sure to
// overflow, and is named.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/LoweringVerifier.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/IR/Dominators.h"
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

/// The functions each defined function calls directly.
using DirectCallees = DenseMap<const Function *, SmallVector<Function *, 4>>;

static DirectCallees collectDirectCallees(Module &M) {
  DirectCallees Callees;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *Call = dyn_cast<CallBase>(&I))
        if (Function *Callee = Call->getCalledFunction();
            Callee && !Callee->isDeclaration())
          Callees[&F].push_back(Callee);
  return Callees;
}

/// True when \p Target can be reached from \p From through direct calls.
static bool reaches(const DirectCallees &Callees, Function *From,
                    const Function *Target) {
  SmallPtrSet<const Function *, 16> Seen;
  SmallVector<Function *, 16> Work{From};
  while (!Work.empty()) {
    Function *F = Work.pop_back_val();
    if (F == Target)
      return true;
    if (!Seen.insert(F).second)
      continue;
    if (auto It = Callees.find(F); It != Callees.end())
      Work.append(It->second.begin(), It->second.end());
  }
  return false;
}

/// The coroutine part whose code \p Call came from, inside a dispatcher: the
/// dispatcher compares the frame's resume or destroy pointer with every part
/// it knows, and the comparison that leads to the call names the part.
static Function *guardingPart(CallBase &Call, const DominatorTree &DT) {
  BasicBlock *Block = Call.getParent();
  for (DomTreeNode *Node = DT.getNode(Block)->getIDom(); Node;
       Node = Node->getIDom()) {
    auto *Branch = dyn_cast<BranchInst>(Node->getBlock()->getTerminator());
    if (!Branch || !Branch->isConditional())
      continue;
    auto *Compare = dyn_cast<ICmpInst>(Branch->getCondition());
    if (!Compare || Compare->getPredicate() != ICmpInst::ICMP_EQ)
      continue;
    for (Value *Operand : Compare->operands())
      if (auto *Part = dyn_cast<Function>(Operand->stripPointerCasts()))
        if (DT.dominates(BasicBlockEdge(Node->getBlock(),
                                        Branch->getSuccessor(0)),
                         Block))
          return Part;
  }
  return nullptr;
}

/// A dispatcher that reaches itself, and the coroutine part (if the guarding
/// comparison names one) through which it does.
struct RecursiveDispatcher {
  Function *Dispatcher;
  Function *Part;
};

static SmallVector<RecursiveDispatcher, 2>
findRecursiveDispatchers(Module &M, const DirectCallees &Callees) {
  SmallVector<RecursiveDispatcher, 2> Found;
  for (Function &Dispatcher : M) {
    if (Dispatcher.isDeclaration() ||
        !Dispatcher.getName().starts_with("coroptx."))
      continue;
    std::optional<DominatorTree> DT;
    for (Instruction &I : instructions(Dispatcher)) {
      auto *Call = dyn_cast<CallBase>(&I);
      Function *Callee = Call ? Call->getCalledFunction() : nullptr;
      if (!Callee || Callee->isDeclaration() ||
          !reaches(Callees, Callee, &Dispatcher))
        continue;
      if (!DT)
        DT.emplace(Dispatcher);
      Found.push_back({&Dispatcher, guardingPart(*Call, *DT)});
      break;
    }
  }
  return Found;
}

/// Bytes of the allocas of \p F with a size known at compile time: the
/// least stack its PTX frame takes.
static uint64_t staticStackBytes(const Function &F) {
  const DataLayout &DL = F.getDataLayout();
  uint64_t Bytes = 0;
  for (const Instruction &I : instructions(F))
    if (auto *Alloca = dyn_cast<AllocaInst>(&I))
      if (std::optional<TypeSize> Size = Alloca->getAllocationSize(DL);
          Size && !Size->isScalable())
        Bytes += Size->getFixedValue();
  return Bytes;
}

/// The stack a kernel gets when ptxas cannot size it: CUDA's default
/// cudaLimitStackSize.
static constexpr uint64_t DefaultStackLimit = 1024;

/// Warns of the kernels sure to overflow their stack: they reach a
/// dispatcher that reaches itself (destroying or resuming one frame destroys
/// or resumes another through it), so ptxas cannot size the stack and they
/// run with cudaLimitStackSize; and their own allocas, frames placed there
/// included, already take that much. One warning per module, at the kernel
/// with the largest stack, counting the others: the fix (raising the limit)
/// is one call for all of them.
static void warnOfRecursiveDispatch(Module &M) {
  DirectCallees Callees = collectDirectCallees(M);
  SmallVector<RecursiveDispatcher, 2> Recursive =
      findRecursiveDispatchers(M, Callees);
  if (Recursive.empty())
    return;
  Function *Largest = nullptr;
  uint64_t LargestBytes = 0;
  const RecursiveDispatcher *Reached = nullptr;
  unsigned Kernels = 0;
  for (Function &Kernel : M) {
    if (Kernel.isDeclaration() || !isKernel(Kernel))
      continue;
    const uint64_t Bytes = staticStackBytes(Kernel);
    if (Bytes < DefaultStackLimit)
      continue;
    const auto *It = find_if(Recursive, [&](const RecursiveDispatcher &R) {
      return reaches(Callees, &Kernel, R.Dispatcher);
    });
    if (It == Recursive.end())
      continue;
    ++Kernels;
    if (Bytes > LargestBytes) {
      Largest = &Kernel;
      LargestBytes = Bytes;
      Reached = It;
    }
  }
  if (!Largest)
    return;
  std::optional<StringRef> Coro =
      Reached->Part ? owningCoroutineName(*Reached->Part) : std::nullopt;
  const bool Destroys = Reached->Dispatcher->getName().contains("destroy");
  std::string Through =
      Coro ? (" (a frame of '" + displayName(*Coro) + "' " +
              (Destroys ? "destroys" : "resumes") +
              " another coroutine from inside its " +
              (Destroys ? "destruction" : "resumption") + ")")
           : std::string();
  std::string Others =
      Kernels > 2   ? (", as do " + Twine(Kernels - 1) +
                       " other kernels of this module")
                          .str()
      : Kernels > 1 ? std::string(", as does one other kernel of this module")
                    : std::string();
  reportLoweringWarning(
      *Largest,
      "kernel '" + displayName(Largest->getName()) + "' keeps " +
          Twine(LargestBytes) +
          " bytes of frames and locals in its stack and reaches the "
          "recursive coroutine dispatcher '" + Reached->Dispatcher->getName() +
          "'" + Through + Others +
          ", so ptxas cannot size the stack and the kernel runs with "
          "cudaLimitStackSize (1024 bytes per thread unless raised), which "
          "it overflows; end the other coroutine outside that call, or raise "
          "cudaLimitStackSize with cudaDeviceSetLimit");
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

  // After an error the compile stops anyway; the warning would only repeat
  // what a recursion among coroutines already said.
  if (HeapFrames.empty() && IndirectCalls.empty())
    warnOfRecursiveDispatch(M);
  return AddedDeclarations ? PreservedAnalyses::none()
                           : PreservedAnalyses::all();
}
