//===- DeadDispatchArms.cpp - Dispatch arms no frame can take -------------===//
//
// DevirtualizePass builds the dispatch of a resume or destroy before frames
// are placed: every coroutine part whose address a ramp stores is a
// candidate. Once CoroElide and LocalFramePlacement have put every frame of
// a coroutine in its caller, its ramps store the `.cleanup` part in the
// destroy slot, and the `.destroy` part, which frees the frame to the heap,
// is left referenced by nothing but the dispatch's compares. A value can
// only equal a function's address if that address was copied somewhere, so
// when a function's only uses are compares and direct calls, every
// `icmp eq %slot, @part` is false (and `ne` true). Folding them makes the
// arms unreachable; they are deleted, and GlobalDCE then drops the part and
// its free, which would otherwise stay in the PTX as a heap call.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/DeadDispatchArms.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#define DEBUG_TYPE "coroptx-dead-dispatch-arms"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumFoldedCompares, "Dispatch compares against unreachable parts");

/// The compares of \p F's address, if nothing else but direct calls uses it:
/// no value can then hold that address.
static std::optional<SmallVector<ICmpInst *, 4>>
comparesOfUnstoredAddress(Function &F) {
  SmallVector<ICmpInst *, 4> Compares;
  for (Use &U : F.uses()) {
    if (auto *Compare = dyn_cast<ICmpInst>(U.getUser());
        Compare && Compare->isEquality()) {
      Compares.push_back(Compare);
      continue;
    }
    if (auto *Call = dyn_cast<CallBase>(U.getUser()); Call && Call->isCallee(&U))
      continue;
    return std::nullopt;
  }
  return Compares;
}

PreservedAnalyses DeadDispatchArmsPass::run(Module &M,
                                           ModuleAnalysisManager &) {
  if (!isDeviceModule(M))
    return PreservedAnalyses::all();
  SetVector<Function *> Touched;
  for (Function &Part : M) {
    if (Part.isDeclaration() || coroutinePart(Part) == CoroutinePart::None)
      continue;
    std::optional<SmallVector<ICmpInst *, 4>> Compares =
        comparesOfUnstoredAddress(Part);
    if (!Compares)
      continue;
    for (ICmpInst *Compare : *Compares) {
      const bool Equal = Compare->getPredicate() == ICmpInst::ICMP_EQ;
      Compare->replaceAllUsesWith(
          ConstantInt::getBool(Compare->getContext(), !Equal));
      Touched.insert(Compare->getFunction());
      Compare->eraseFromParent();
      ++NumFoldedCompares;
    }
  }
  for (Function *F : Touched)
    removeDecidedArms(*F);
  return Touched.empty() ? PreservedAnalyses::all()
                         : PreservedAnalyses::none();
}
