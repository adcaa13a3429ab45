//===- ClosedWorld.cpp - Make the device module a closed world -----------===//
//
// A CUDA device module compiled without -fgpu-rdc is a whole program: the
// host reaches it only through kernels and __device__ variables. This pass
// makes that explicit before the coroutine passes run. Every other function
// becomes internal, so a ramp whose every caller placed its frame is deleted
// instead of staying behind with its call to operator new, and the set of
// functions whose address is taken is final (the devirtualizer relies on it).
//
// It also records the device coroutines (with the recursion, if any, that
// makes a coroutine's frame count unbounded) and tags the calls that would give
// a frame heap storage: the global operator new, malloc and their frees. A
// promise type's own operator new is the user's choice and is left alone. A
// tagged call that survives the pipeline is reported by LoweringVerifier.
//
// And it marks the functions that run coroutine code (RunsCoroutinesAttr):
// those that call an llvm.coro intrinsic (the coroutines, and whoever
// resumes, destroys or asks a handle), and their direct callers, up to the
// kernels, into which all of it is inlined later.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/ClosedWorld.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Analysis/CallGraph.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#define DEBUG_TYPE "coroptx-closed-world"

using namespace llvm;
using namespace coroptx;

/// The call that produces \p Mem, looking through the phi and select that
/// clang puts between the allocation and llvm.coro.begin.
static void collectProducingCalls(Value *Mem, SmallVectorImpl<CallBase *> &Out,
                                  SmallPtrSetImpl<Value *> &Seen) {
  if (!Seen.insert(Mem).second)
    return;
  if (auto *Call = dyn_cast<CallBase>(Mem))
    Out.push_back(Call);
  else if (auto *Phi = dyn_cast<PHINode>(Mem))
    for (Value *In : Phi->incoming_values())
      collectProducingCalls(In, Out, Seen);
  else if (auto *Sel = dyn_cast<SelectInst>(Mem)) {
    collectProducingCalls(Sel->getTrueValue(), Out, Seen);
    collectProducingCalls(Sel->getFalseValue(), Out, Seen);
  }
}

/// Marks \p Call as heap traffic of the frame of coroutine \p Owner. The
/// call site is kept from inlining: clang's device operator new is an inline
/// wrapper around malloc, and the tag must outlive it to be reported.
static void tagHeapFrameCall(CallBase &Call, StringRef Kind, MDNode *Owner) {
  Call.setMetadata(Kind, Owner);
  Call.addFnAttr(Attribute::NoInline);
}

/// Tags the heap allocation and free of \p Coro's frame; returns true if any.
static bool tagHeapFrameCalls(Function &Coro) {
  LLVMContext &Ctx = Coro.getContext();
  MDNode *Owner = MDNode::get(Ctx, MDString::get(Ctx, Coro.getName()));
  bool Tagged = false;
  for (Instruction &I : instructions(Coro)) {
    auto *Intr = dyn_cast<IntrinsicInst>(&I);
    if (!Intr)
      continue;
    if (Intr->getIntrinsicID() == Intrinsic::coro_begin) {
      SmallVector<CallBase *, 2> Producers;
      SmallPtrSet<Value *, 8> Seen;
      collectProducingCalls(Intr->getArgOperand(1), Producers, Seen);
      for (CallBase *Alloc : Producers)
        if (isGlobalHeapFunction(*Alloc, /*Allocates=*/true)) {
          tagHeapFrameCall(*Alloc, FrameAllocMDKind, Owner);
          Tagged = true;
        }
    } else if (Intr->getIntrinsicID() == Intrinsic::coro_free) {
      for (User *U : Intr->users())
        if (auto *Free = dyn_cast<CallBase>(U);
            Free && isGlobalHeapFunction(*Free, /*Allocates=*/false)) {
          tagHeapFrameCall(*Free, FrameFreeMDKind, Owner);
          Tagged = true;
        }
    }
  }
  return Tagged;
}

/// Gives every defined non-kernel function internal linkage, except those
/// the user pinned with __attribute__((used)).
static bool internalizeNonKernels(Module &M) {
  SmallVector<GlobalValue *, 8> Pinned;
  collectUsedGlobalVariables(M, Pinned, /*CompilerUsed=*/false);
  collectUsedGlobalVariables(M, Pinned, /*CompilerUsed=*/true);
  bool Changed = false;
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasLocalLinkage() || isKernel(F) ||
        is_contained(Pinned, &F))
      continue;
    F.setLinkage(GlobalValue::InternalLinkage);
    F.setVisibility(GlobalValue::DefaultVisibility);
    F.setComdat(nullptr);
    Changed = true;
  }
  return Changed;
}

/// The frame of std::noop_coroutine() is a device variable only because the
/// coroptx prelude made it one; the host side never registers it, so nothing
/// outside the module can write it. Making it a constant lets the optimizer
/// see that resuming a noop handle calls the empty dummy, and fold it away.
static bool freezeNoopCoroutineFrame(Module &M) {
  for (GlobalVariable &GV : M.globals()) {
    if (GV.isDeclaration() || GV.isConstant())
      continue;
    std::string Name = demangle(GV.getName());
    if (Name.find("coroutine_handle<") == std::string::npos ||
        !StringRef(Name).ends_with("noop_coroutine_promise>::_S_fr"))
      continue;
    GV.setLinkage(GlobalValue::InternalLinkage);
    GV.setComdat(nullptr);
    GV.setExternallyInitialized(false);
    GV.setConstant(true);
    return true;
  }
  return false;
}

/// For each coroutine on a cycle of the call graph, the names of the
/// coroutines on that cycle: no bound on how many of their frames are alive at
/// once exists, so no caller can hold them.
static DenseMap<Function *, std::string> recursiveCoroutines(Module &M) {
  DenseMap<Function *, std::string> Recursive;
  CallGraph Graph(M);
  for (scc_iterator<CallGraph *> SCC = scc_begin(&Graph); !SCC.isAtEnd();
       ++SCC) {
    if (!SCC.hasCycle())
      continue;
    SmallVector<Function *, 4> Coroutines;
    for (CallGraphNode *Node : *SCC)
      if (Function *F = Node->getFunction(); F && F->isPresplitCoroutine())
        Coroutines.push_back(F);
    std::string Names;
    for (Function *F : Coroutines)
      Names += (Names.empty() ? "'" : ", '") + demangle(F->getName()) + "'";
    for (Function *F : Coroutines)
      Recursive[F] = Names;
  }
  return Recursive;
}

/// Marks with RunsCoroutinesAttr every function that calls an llvm.coro
/// intrinsic, and every direct caller of a marked function.
static bool markFunctionsRunningCoroutines(Module &M) {
  SmallVector<Function *, 16> Worklist;
  for (Function &F : M) {
    if (!F.isIntrinsic() || !F.getName().starts_with("llvm.coro."))
      continue;
    for (User *U : F.users())
      if (auto *Call = dyn_cast<CallBase>(U))
        Worklist.push_back(Call->getFunction());
  }
  bool Changed = false;
  while (!Worklist.empty()) {
    Function *F = Worklist.pop_back_val();
    if (F->hasFnAttribute(RunsCoroutinesAttr))
      continue;
    F->addFnAttr(RunsCoroutinesAttr);
    Changed = true;
    for (User *U : F->users())
      if (auto *Call = dyn_cast<CallBase>(U);
          Call && Call->getCalledFunction() == F)
        Worklist.push_back(Call->getFunction());
  }
  return Changed;
}

PreservedAnalyses ClosedWorldPass::run(Module &M, ModuleAnalysisManager &) {
  if (!isDeviceModule(M))
    return PreservedAnalyses::all();
  bool Changed = false;
  NamedMDNode *List = M.getOrInsertNamedMetadata(CoroutineListMDName);
  DenseMap<Function *, std::string> Recursive = recursiveCoroutines(M);
  StringSet<> Recorded;
  for (const MDNode *Entry : List->operands())
    Recorded.insert(cast<MDString>(Entry->getOperand(0))->getString());
  for (Function &F : M) {
    if (!F.isPresplitCoroutine() || !Recorded.insert(F.getName()).second)
      continue;
    LLVMContext &Ctx = M.getContext();
    unsigned Suspends = count_if(instructions(F), [](Instruction &I) {
      auto *Intr = dyn_cast<IntrinsicInst>(&I);
      return Intr && Intr->getIntrinsicID() == Intrinsic::coro_suspend;
    });
    SmallVector<Metadata *, 3> Entry = {
        MDString::get(Ctx, F.getName()),
        ConstantAsMetadata::get(
            ConstantInt::get(Type::getInt32Ty(Ctx), Suspends))};
    if (auto It = Recursive.find(&F); It != Recursive.end())
      Entry.push_back(MDString::get(Ctx, It->second));
    List->addOperand(MDNode::get(Ctx, Entry));
    Changed |= tagHeapFrameCalls(F);
  }
  Changed |= markFunctionsRunningCoroutines(M);
  if (!RelocatableDeviceCode) {
    Changed |= internalizeNonKernels(M);
    Changed |= freezeNoopCoroutineFrame(M);
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
