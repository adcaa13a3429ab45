//===- Devirtualize.cpp - Closed-world resume/destroy dispatch ------------===//
//
// After CoroSplit, `h.resume()` and `h.destroy()` load a function pointer from
// the frame and call it: on NVPTX an indirect call goes through the
// .callprototype ABI, with parameters in memory and registers saved around
// it, and it stops inlining. A device module compiled without -fgpu-rdc is a
// closed world (ClosedWorldPass made every non-kernel function internal), so
// the callee is one of the functions whose address is taken. This pass
// expands each indirect call into a chain of compares against those
// candidates with a direct call in each arm; the last candidate needs no
// compare. Resumes and destroys through a coroutine frame all go through one
// shared dispatcher per slot, so the module holds one copy of each chain.
// Once the calls are direct, the inliner and SROA fold the chain wherever
// the stored pointer is known, which is the common case for frames placed in
// their caller.
//
// A resume or destroy through a coroutine frame (recognized by the shape
// CoroCleanup gives it) can only reach the resume, or the destroy and cleanup,
// parts of the module's coroutines. For any other indirect call a candidate
// must return the call's type and take a prefix of its
// parameters: the libstdc++ noop coroutine's dummy takes no argument although
// it is called with the frame pointer, which is harmless to drop. Kernels are
// never candidates: device code cannot call a __global__ function.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/Devirtualize.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#define DEBUG_TYPE "coroptx-devirtualize"

STATISTIC(NumDevirtualized, "Indirect calls turned into direct dispatch");

using namespace llvm;
using namespace coroptx;

/// True if \p Target can stand behind an indirect call of type \p CallTy.
static bool fitsCallType(const Function &Target, const FunctionType &CallTy) {
  const FunctionType *TargetTy = Target.getFunctionType();
  if (TargetTy->isVarArg() || TargetTy->getReturnType() != CallTy.getReturnType() ||
      TargetTy->getNumParams() > CallTy.getNumParams())
    return false;
  for (unsigned I = 0, E = TargetTy->getNumParams(); I != E; ++I)
    if (TargetTy->getParamType(I) != CallTy.getParamType(I))
      return false;
  return true;
}

/// True if \p F can sit in the frame slot \p Slot (0: resume, 1: destroy).
static bool fitsFrameSlot(const Function &F, unsigned Slot) {
  switch (coroutinePart(F)) {
  case CoroutinePart::Noop:
    return true;
  case CoroutinePart::Resume:
    return Slot == 0;
  case CoroutinePart::Destroy:
    return Slot == 1;
  case CoroutinePart::None:
    return false;
  }
  llvm_unreachable("covered switch");
}

/// The functions \p Call can reach in a closed world: for a resume or destroy
/// through a coroutine frame, the parts that go in that slot; for any other
/// indirect call, every address-taken function of a fitting type.
static SmallVector<Function *, 8>
candidateTargets(ArrayRef<Function *> AddressTaken, const CallInst &Call) {
  std::optional<unsigned> Slot = coroutineFrameSlot(Call);
  SmallVector<Function *, 8> Targets;
  for (Function *F : AddressTaken)
    if (fitsCallType(*F, *Call.getFunctionType()) &&
        (!Slot || fitsFrameSlot(*F, *Slot)))
      Targets.push_back(F);
  return Targets;
}

/// True if \p Target takes a swiftasync context. LLVM 22's inliner leaves
/// such a callee's DW_OP_LLVM_entry_value debug records pointing at a value
/// that is no longer an argument, which the verifier rejects; a call that was
/// indirect was never inlined, so the direct call must not be either.
static bool takesSwiftAsyncContext(const Function &Target) {
  return any_of(Target.args(), [](const Argument &Arg) {
    return Arg.hasAttribute(Attribute::SwiftAsync);
  });
}

/// Emits a direct call of \p Target with the leading arguments of \p Call.
static CallInst *emitDirectCall(IRBuilder<> &B, CallBase &Call, Function &Target) {
  SmallVector<Value *, 4> Args(
      Call.args().begin(),
      Call.args().begin() + Target.getFunctionType()->getNumParams());
  CallInst *Direct = B.CreateCall(&Target, Args);
  Direct->setCallingConv(Target.getCallingConv());
  if (takesSwiftAsyncContext(Target))
    Direct->setIsNoInline();
  Direct->setDebugLoc(
      locationForNewCall(*B.GetInsertBlock()->getParent(), Call.getDebugLoc()));
  return Direct;
}

/// Replaces \p Call by compare-and-branch dispatch over \p Targets.
static void expandToDirectDispatch(CallInst &Call, ArrayRef<Function *> Targets) {
  LLVMContext &Ctx = Call.getContext();
  Function &Parent = *Call.getFunction();
  BasicBlock *Head = Call.getParent();
  BasicBlock *Join = Head->splitBasicBlock(Call.getIterator(), "coroptx.join");
  Head->getTerminator()->eraseFromParent();

  PHINode *Result = nullptr;
  if (!Call.getType()->isVoidTy())
    Result = PHINode::Create(Call.getType(), Targets.size(), "coroptx.result",
                             Join->begin());

  Value *Callee = Call.getCalledOperand();
  BasicBlock *Test = Head;
  for (auto [Index, Target] : enumerate(Targets)) {
    BasicBlock *Arm = BasicBlock::Create(
        Ctx, "coroptx.call." + Target->getName(), &Parent, Join);
    IRBuilder<> ArmBuilder(Arm);
    bool IsLast = Index + 1 == Targets.size();
    if (IsLast && Targets.size() > 1)
      // The arm no compare leads to still knows its callee: analyses that
      // follow the frame (FrameFlattening) rule out the frames whose slot
      // never holds it, as they do under the compares of the other arms.
      ArmBuilder.CreateAssumption(ArmBuilder.CreateICmpEQ(Callee, Target));
    CallInst *Direct = emitDirectCall(ArmBuilder, Call, *Target);
    ArmBuilder.CreateBr(Join);
    if (Result)
      Result->addIncoming(Direct, Arm);

    IRBuilder<> TestBuilder(Test);
    if (IsLast) {
      // The closed world leaves no other callee: no compare, and no
      // unreachable default for ptxas to add false edges after.
      TestBuilder.CreateBr(Arm);
      break;
    }
    BasicBlock *Next =
        BasicBlock::Create(Ctx, "coroptx.dispatch", &Parent, Join);
    TestBuilder.CreateCondBr(TestBuilder.CreateICmpEQ(Callee, Target), Arm,
                             Next);
    Test = Next;
  }
  if (Result)
    Call.replaceAllUsesWith(Result);
  Call.eraseFromParent();
}

/// The one function that resumes (\p Slot 0) or destroys (1) whatever
/// coroutine a handle names, so each such call in the module is a direct call
/// to it rather than another copy of the dispatch.
static Function *getOrCreateSlotDispatcher(Module &M, unsigned Slot,
                                           ArrayRef<Function *> AddressTaken) {
  StringRef Name =
      Slot == 0 ? "coroptx.resume.dispatch" : "coroptx.destroy.dispatch";
  if (Function *Existing = M.getFunction(Name))
    return Existing;
  LLVMContext &Ctx = M.getContext();
  PointerType *PtrTy = PointerType::getUnqual(Ctx);
  Function *Dispatcher = Function::Create(
      FunctionType::get(Type::getVoidTy(Ctx), {PtrTy}, false),
      GlobalValue::InternalLinkage, Name, M);
  Dispatcher->addFnAttr(Attribute::NoUnwind);
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", Dispatcher));
  Value *Handle = Dispatcher->getArg(0);
  // The same shape CoroCleanup gives a frame-slot call, so the candidates
  // below are picked the same way.
  StructType *FrameHeader = StructType::get(Ctx, {PtrTy, PtrTy});
  Value *SlotAddr = B.CreateConstInBoundsGEP2_32(FrameHeader, Handle, 0, Slot);
  CallInst *Call = B.CreateCall(FunctionType::get(B.getVoidTy(), {PtrTy}, false),
                                B.CreateLoad(PtrTy, SlotAddr), {Handle});
  B.CreateRetVoid();
  expandToDirectDispatch(*Call, candidateTargets(AddressTaken, *Call));
  return Dispatcher;
}

PreservedAnalyses DevirtualizePass::run(Module &M, ModuleAnalysisManager &) {
  if (!isDeviceModule(M) || RelocatableDeviceCode)
    return PreservedAnalyses::all();

  SmallVector<Function *, 16> AddressTaken;
  for (Function &F : M)
    if (!F.isDeclaration() && !isKernel(F) &&
        F.hasAddressTaken(nullptr, /*IgnoreCallbackUses=*/false,
                          /*IgnoreAssumeLikeCalls=*/true,
                          /*IgnoreLLVMUsed=*/true))
      AddressTaken.push_back(&F);

  SmallVector<CallInst *, 16> IndirectCalls;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *Call = dyn_cast<CallInst>(&I);
          Call && Call->isIndirectCall() && !Call->isInlineAsm())
        IndirectCalls.push_back(Call);

  bool Changed = false;
  for (CallInst *Call : IndirectCalls) {
    SmallVector<Function *, 8> Targets = candidateTargets(AddressTaken, *Call);
    if (Targets.empty())
      continue; // LoweringVerifier reports it at the user's function.
    if (std::optional<unsigned> Slot = coroutineFrameSlot(*Call)) {
      Function *Dispatcher = getOrCreateSlotDispatcher(M, *Slot, AddressTaken);
      CallInst *Direct = CallInst::Create(Dispatcher, {Call->getArgOperand(0)},
                                          "", Call->getIterator());
      Direct->setDebugLoc(
          locationForNewCall(*Call->getFunction(), Call->getDebugLoc()));
      Call->eraseFromParent();
    } else {
      expandToDirectDispatch(*Call, Targets);
    }
    ++NumDevirtualized;
    Changed = true;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
