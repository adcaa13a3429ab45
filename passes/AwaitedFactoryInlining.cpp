//===- AwaitedFactoryInlining.cpp - See through task factories ------------===//
//
// clang marks `co_await E` coro_elide_safe when E is a call returning a type
// with [[clang::coro_await_elidable]]: the awaited temporary owns the child
// coroutine and dies at the end of the full-expression, so the child's frame
// may live in the awaiting coroutine's frame. LLVM acts on the mark only when
// the callee is itself a coroutine (it calls the `.noalloc` ramp). When the
// callee is a factory, for example `[](int v) { return child(v); }`, the mark
// is lost and the child's frame goes to the heap.
//
// The contract carries over exactly when the factory constructs its result
// by calling a coroutine with the factory's own return slot as that call's
// sret (guaranteed copy elision): the task in the awaiter's temporary is then
// the one the coroutine returned. This pass inlines such factories at marked
// call sites, before anything else runs, and marks the coroutine call it
// exposes. Factories that build their task any other way are left alone.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/AwaitedFactoryInlining.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Cloning.h"

#define DEBUG_TYPE "coroptx-inline-awaited-factories"

using namespace llvm;
using namespace coroptx;

/// The index of \p Call's sret argument, if it has one.
static std::optional<unsigned> sretArgument(const CallBase &Call) {
  for (unsigned I = 0, E = Call.arg_size(); I != E; ++I)
    if (Call.paramHasAttr(I, Attribute::StructRet))
      return I;
  return std::nullopt;
}

/// How many factories deep a chain may be unfolded; it also stops a
/// recursive factory from unfolding forever.
static constexpr unsigned MaxFactoryDepth = 8;

/// True if \p Factory (a definition that is not a coroutine) builds its
/// result by calling a coroutine, directly or through other such factories,
/// with its own sret parameter as that call's sret.
static bool forwardsCoroutineResult(Function &Factory, unsigned Depth = 0) {
  if (Depth == MaxFactoryDepth || Factory.isDeclaration() ||
      Factory.isPresplitCoroutine() || !Factory.hasStructRetAttr())
    return false;
  Argument *Slot = nullptr;
  for (Argument &Arg : Factory.args())
    if (Arg.hasStructRetAttr())
      Slot = &Arg;
  for (Instruction &I : instructions(Factory)) {
    auto *Call = dyn_cast<CallBase>(&I);
    Function *Callee = Call ? Call->getCalledFunction() : nullptr;
    if (!Callee)
      continue;
    std::optional<unsigned> Index = sretArgument(*Call);
    if (!Index || Call->getArgOperand(*Index) != Slot)
      continue;
    if (Callee->isPresplitCoroutine() ||
        forwardsCoroutineResult(*Callee, Depth + 1))
      return true;
  }
  return false;
}

/// Inlines the factory called by \p Site and marks the coroutine calls that
/// now write into the same slot; returns those that are factories again.
static SmallVector<CallBase *, 2> inlineFactory(CallBase &Site) {
  Value *Slot = Site.getArgOperand(*sretArgument(Site));
  Function &Awaiter = *Site.getFunction();
  InlineFunctionInfo Info;
  if (!InlineFunction(Site, Info).isSuccess())
    return {};
  SmallVector<CallBase *, 2> Nested;
  for (Instruction &I : instructions(Awaiter)) {
    auto *Call = dyn_cast<CallBase>(&I);
    if (!Call || Call->hasFnAttr(Attribute::CoroElideSafe))
      continue;
    std::optional<unsigned> Index = sretArgument(*Call);
    if (!Index || Call->getArgOperand(*Index) != Slot)
      continue;
    Function *Callee = Call->getCalledFunction();
    if (!Callee)
      continue;
    if (Callee->isPresplitCoroutine())
      Call->addFnAttr(Attribute::CoroElideSafe);
    else if (forwardsCoroutineResult(*Callee))
      Nested.push_back(Call);
  }
  return Nested;
}

PreservedAnalyses AwaitedFactoryInliningPass::run(Module &M,
                                                  ModuleAnalysisManager &) {
  if (!isDeviceModule(M))
    return PreservedAnalyses::all();
  SmallVector<CallBase *, 8> Worklist;
  for (Function &F : M) {
    if (!F.isPresplitCoroutine())
      continue;
    for (Instruction &I : instructions(F))
      if (auto *Call = dyn_cast<CallBase>(&I);
          Call && Call->hasFnAttr(Attribute::CoroElideSafe) &&
          Call->getCalledFunction() && sretArgument(*Call) &&
          forwardsCoroutineResult(*Call->getCalledFunction()))
        Worklist.push_back(Call);
  }
  // Factories of factories unfold one level per round.
  bool Changed = false;
  for (unsigned Round = 0; Round != MaxFactoryDepth && !Worklist.empty();
       ++Round) {
    SmallVector<CallBase *, 8> Next;
    for (CallBase *Site : Worklist) {
      Site->removeFnAttr(Attribute::CoroElideSafe);
      append_range(Next, inlineFactory(*Site));
      Changed = true;
    }
    Worklist = std::move(Next);
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
