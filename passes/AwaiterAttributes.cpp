//===- AwaiterAttributes.cpp - What await_suspend does to its awaiter -----===//
//
// clang runs `awaiter.await_suspend(h)` through an intrinsic,
//     call void @llvm.coro.await.suspend.void(ptr %awaiter, ptr %frame,
//                                              ptr @f.__await_suspend_wrapper__N)
// so that CoroSplit can place it after the suspension is set up. To alias
// analysis the intrinsic may read and write anything, %awaiter included. A
// coroutine that keeps another coroutine's handle in a local it awaits (an
// eager coroutine it holds) therefore reloads the handle after the await, and
// CoroElide, which needs the destroy to use the handle's SSA value, keeps the
// held coroutine's frame on the heap.
//
// FunctionAttrs has by then inferred what the wrapper does with its awaiter:
// usually `readonly captures(none)` (await_suspend reads the awaiter's handle
// and writes into the other coroutine's promise). This pass copies those
// facts to the intrinsic call's awaiter operand, where GVN and CoroElide see
// them. It runs at each peephole point of the function simplification
// pipeline, which comes after the wrapper's own attributes are inferred.
// The -O1 pipeline (also the one coroptx runs for -O0) has no GVN, so there
// the pass runs GVN itself, on the coroutines it annotated only.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/AwaiterAttributes.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Scalar/GVN.h"

#define DEBUG_TYPE "coroptx-awaiter-attributes"

using namespace llvm;
using namespace coroptx;

PreservedAnalyses AwaiterAttributesPass::run(Function &F,
                                             FunctionAnalysisManager &FAM) {
  if (!F.isPresplitCoroutine() || !isDeviceModule(*F.getParent()))
    return PreservedAnalyses::all();
  bool Changed = false;
  for (Instruction &I : instructions(F)) {
    auto *Await = dyn_cast<IntrinsicInst>(&I);
    if (!Await || (Await->getIntrinsicID() != Intrinsic::coro_await_suspend_void &&
                   Await->getIntrinsicID() != Intrinsic::coro_await_suspend_bool &&
                   Await->getIntrinsicID() != Intrinsic::coro_await_suspend_handle))
      continue;
    auto *Wrapper = dyn_cast<Function>(Await->getArgOperand(2));
    if (!Wrapper || Wrapper->arg_empty())
      continue;
    const Argument &Awaiter = *Wrapper->getArg(0);
    bool ReadOnly = Awaiter.onlyReadsMemory();
    bool NoCapture = capturesNothing(Awaiter.getAttributes().getCaptureInfo());
    if (!ReadOnly || !NoCapture ||
        (Await->onlyReadsMemory(0) &&
         capturesNothing(Await->getParamAttributes(0).getCaptureInfo())))
      continue;
    Await->addParamAttr(0, Attribute::ReadOnly);
    Await->addParamAttr(0, Attribute::getWithCaptureInfo(
                               F.getContext(), CaptureInfo::none()));
    Changed = true;
  }
  if (!Changed)
    return PreservedAnalyses::all();
  if (ForwardLoads) {
    FAM.invalidate(F, PreservedAnalyses::none());
    GVNPass().run(F, FAM);
  }
  return PreservedAnalyses::none();
}
