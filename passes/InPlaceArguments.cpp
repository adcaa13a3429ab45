//===- InPlaceArguments.cpp - C++ objects passed in place, not copied -----===//
//
// In C++ a by-value parameter of a class type that is not trivial for calls
// (a user move constructor or destructor) is one object shared by caller and
// callee: the caller constructs it in a temporary, the callee uses (and may
// move out of) that very object, and the caller destroys it after the call.
// The Itanium ABI passes the temporary's address. clang 22's NVPTX target
// marks such a parameter `byval` instead, so the callee works on a bitwise
// copy: whatever it moves out of the parameter stays in the caller's
// temporary too, and the caller's destructor then releases it a second time.
//
//     %tmp = alloca %"class.job"            ; holds the frame's handle
//     call void @spawn(ptr %ex, ptr byval(%"class.job") %tmp)
//     call void @"job::~job"(ptr %tmp)      ; destroys the spawned frame
//
// With coroutines this is everywhere: spawn(job) takes the handle out of its
// parameter, and a coroutine moves each by-value parameter into its frame.
// This pass drops `byval` from a device function's parameter, at the
// function and at every call, when a caller destroys the temporary it passes
// (a destructor call on it after the call): the object then has a
// non-trivial destructor, clang always builds it in a fresh temporary, and
// the callee gets that temporary, as the C++ object model requires. Kernel
// parameters, which come from the host, keep byval.
//
// One case keeps byval for now: a coroutine taking by value an object whose
// destructor destroys a coroutine (a task awaited inside another, as
// when_all and then take theirs). There the caller's early destroy of the
// child's not yet started frame is what lets CoroElide place the child in
// the caller; passed in place, the child is owned by the parent's frame
// only, and LocalFramePlacement cannot yet prove that such a frame dies
// with the caller. For children whose parameters and promise have trivial
// destructors, the early destroy is harmless.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/InPlaceArguments.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"

#include <cstdlib>

#define DEBUG_TYPE "coroptx-in-place-arguments"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumInPlace, "By-value parameters passed in place instead of byval");

/// True for a C++ destructor, by its Itanium name.
static bool isDestructor(const Function &F) {
  // The demangler keeps pointers into the name: it must outlive the calls.
  const std::string Mangled = F.getName().str();
  ItaniumPartialDemangler Demangler;
  if (Demangler.partialDemangle(Mangled.c_str()) ||
      !Demangler.isCtorOrDtor())
    return false;
  size_t Size = 0;
  char *BaseName = Demangler.getFunctionBaseName(nullptr, &Size);
  const bool Destructor = BaseName && BaseName[0] == '~';
  std::free(BaseName);
  return Destructor;
}

/// True when \p F or a function it calls destroys a coroutine.
static bool destroysCoroutine(const Function &F) {
  SmallPtrSet<const Function *, 8> Seen;
  SmallVector<const Function *, 8> Work{&F};
  while (!Work.empty()) {
    const Function *Each = Work.pop_back_val();
    if (!Seen.insert(Each).second || Each->isDeclaration())
      continue;
    for (const Instruction &I : instructions(*Each))
      if (const auto *Call = dyn_cast<CallBase>(&I))
        if (const Function *Callee = Call->getCalledFunction()) {
          if (Callee->getIntrinsicID() == Intrinsic::coro_destroy)
            return true;
          Work.push_back(Callee);
        }
  }
  return false;
}

/// The destructor a caller of \p Call runs on argument \p ArgNo, if any.
static const Function *destructorOfArgument(const CallBase &Call,
                                            unsigned ArgNo) {
  const Value *Object = Call.getArgOperand(ArgNo)->stripPointerCasts();
  for (const User *U : Object->users()) {
    const auto *Other = dyn_cast<CallBase>(U);
    if (!Other || Other == &Call || Other->arg_empty() ||
        Other->getArgOperand(0)->stripPointerCasts() != Object)
      continue;
    if (const Function *Callee = Other->getCalledFunction();
        Callee && isDestructor(*Callee))
      return Callee;
  }
  return nullptr;
}

/// The calls of \p F, if every use of it is a direct call.
static std::optional<SmallVector<CallBase *, 4>> directCalls(Function &F) {
  SmallVector<CallBase *, 4> Calls;
  for (User *U : F.users()) {
    auto *Call = dyn_cast<CallBase>(U);
    if (!Call || Call->getCalledOperand() != &F)
      return std::nullopt;
    Calls.push_back(Call);
  }
  return Calls;
}

PreservedAnalyses InPlaceArgumentsPass::run(Module &M,
                                            ModuleAnalysisManager &) {
  if (!isDeviceModule(M))
    return PreservedAnalyses::all();
  bool Changed = false;
  for (Function &F : M) {
    if (F.isDeclaration() || isKernel(F))
      continue;
    if (none_of(F.args(), [](Argument &A) { return A.hasByValAttr(); }))
      continue;
    std::optional<SmallVector<CallBase *, 4>> Calls = directCalls(F);
    if (!Calls)
      continue;
    for (Argument &Param : F.args()) {
      const unsigned ArgNo = Param.getArgNo();
      if (!Param.hasByValAttr())
        continue;
      const Function *Destructor = nullptr;
      for (CallBase *Call : *Calls)
        if ((Destructor = destructorOfArgument(*Call, ArgNo)))
          break;
      if (!Destructor ||
          (F.isPresplitCoroutine() && destroysCoroutine(*Destructor)))
        continue;
      for (CallBase *Call : *Calls)
        Call->removeParamAttr(ArgNo, Attribute::ByVal);
      F.removeParamAttr(ArgNo, Attribute::ByVal);
      ++NumInPlace;
      Changed = true;
    }
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
