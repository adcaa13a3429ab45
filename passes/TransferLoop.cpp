//===- TransferLoop.cpp - Symmetric transfer in constant stack ------------===//
//
// After CoroSplit and CoroCleanup a symmetric transfer at the end of a
// resume function R is
//     %slot = getelementptr inbounds { ptr, ptr }, ptr %next, i32 0, i32 0
//     %fn = load ptr, ptr %slot       ; the resume slot of the next frame
//     call fastcc void %fn(ptr %next)
//     ret void                        ; or a branch to a shared `ret void`
// or, where the next coroutine is known, a direct call of its resume part.
// Targets with musttail make that a jump; NVPTX makes it a call, so N
// transfers nest N calls deep (100,000 of them overflow an H200 thread's
// stack). This pass gives each resume function R a step R.step that returns
// the handle it would transfer to (null where R simply returned), and
// rewrites R into a driver:
//     call coroptx.transfer.loop(R.step(frame))
// The one shared loop resumes handle after handle until none is left:
//     while (h) h = <the step whose resume function is in h's resume slot>(h)
// choosing the step by comparing the slot against every resume function of
// the closed world, with a direct call in each arm; the noop coroutine ends
// the loop. Frames keep storing R, so done(), destroy() and every existing
// caller of R are unchanged, and every caller of R gets the loop.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/TransferLoop.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/Local.h"

#define DEBUG_TYPE "coroptx-transfer-loop"

STATISTIC(NumTransfers, "Symmetric transfers turned into step returns");

using namespace llvm;
using namespace coroptx;

/// True if control from \p Term reaches `ret void` with nothing else done on
/// the way: \p Term is that return, or an unconditional branch to a block
/// that holds only one (SimplifyCFG merges a function's returns).
static bool returnsRightAway(Instruction &Term) {
  SmallPtrSet<BasicBlock *, 4> Seen;
  for (Instruction *I = &Term;;) {
    if (auto *Ret = dyn_cast<ReturnInst>(I))
      return !Ret->getReturnValue();
    auto *Br = dyn_cast<BranchInst>(I);
    if (!Br || Br->isConditional())
      return false;
    BasicBlock *Next = Br->getSuccessor(0);
    if (!Seen.insert(Next).second || Next->size() != 1)
      return false;
    I = Next->getTerminator();
  }
}

/// If \p Call transfers control to another coroutine (it resumes a handle
/// and its function returns right after), the handle it transfers to; null
/// for the noop coroutine.
static std::optional<Value *> transferTarget(CallInst &Call) {
  if (!returnsRightAway(*Call.getNextNode()))
    return std::nullopt;
  if (Function *Callee = Call.getCalledFunction()) {
    switch (coroutinePart(*Callee)) {
    case CoroutinePart::Noop:
      return Constant::getNullValue(PointerType::getUnqual(Call.getContext()));
    case CoroutinePart::Resume:
      return Call.getArgOperand(0);
    default:
      return std::nullopt;
    }
  }
  if (coroutineFrameSlot(Call) == 0u)
    return Call.getArgOperand(0);
  return std::nullopt;
}

/// Clones \p Resume into a step that returns the next handle or null.
static Function *createStep(Function &Resume) {
  LLVMContext &Ctx = Resume.getContext();
  PointerType *PtrTy = PointerType::getUnqual(Ctx);
  FunctionType *StepTy = FunctionType::get(PtrTy, {PtrTy}, false);
  Function *Step = Function::Create(StepTy, GlobalValue::InternalLinkage,
                                    Resume.getName() + ".step",
                                    Resume.getParent());
  Step->copyAttributesFrom(&Resume);
  ValueToValueMapTy Map;
  Map[Resume.getArg(0)] = Step->getArg(0);
  SmallVector<ReturnInst *, 4> Returns;
  CloneFunctionInto(Step, &Resume, Map,
                    CloneFunctionChangeType::LocalChangesOnly, Returns);

  // A transfer becomes a return of the handle transferred to, in its own
  // block; every other way out returns null.
  SmallVector<std::pair<CallInst *, Value *>, 4> Transfers;
  for (BasicBlock &Block : *Step)
    if (auto *Call =
            dyn_cast_or_null<CallInst>(Block.getTerminator()->getPrevNode()))
      if (std::optional<Value *> Target = transferTarget(*Call))
        Transfers.push_back({Call, *Target});
  for (auto [Call, Next] : Transfers) {
    Instruction *Term = Call->getParent()->getTerminator();
    ReturnInst::Create(Ctx, Next, Term->getIterator());
    Term->eraseFromParent();
    Call->eraseFromParent();
    ++NumTransfers;
  }
  for (BasicBlock &Block : *Step)
    if (auto *Ret = dyn_cast<ReturnInst>(Block.getTerminator());
        Ret && !Ret->getReturnValue()) {
      ReturnInst::Create(Ctx, Constant::getNullValue(PtrTy),
                         Ret->getIterator());
      Ret->eraseFromParent();
    }
  removeUnreachableBlocks(*Step);
  return Step;
}

/// Creates the loop that resumes handles until none is left, choosing each
/// step by the resume function in the handle's frame.
static Function *createTransferLoop(Module &M,
                                    const MapVector<Function *, Function *> &Steps,
                                    Function *Noop) {
  LLVMContext &Ctx = M.getContext();
  PointerType *PtrTy = PointerType::getUnqual(Ctx);
  Function *Loop = Function::Create(
      FunctionType::get(Type::getVoidTy(Ctx), {PtrTy}, false),
      GlobalValue::InternalLinkage, "coroptx.transfer.loop", M);
  Loop->addFnAttr(Attribute::NoUnwind);
  auto *Entry = BasicBlock::Create(Ctx, "entry", Loop);
  auto *Header = BasicBlock::Create(Ctx, "transfer", Loop);
  auto *Dispatch = BasicBlock::Create(Ctx, "dispatch", Loop);
  auto *Exit = BasicBlock::Create(Ctx, "done", Loop);

  IRBuilder<> B(Entry);
  B.CreateBr(Header);
  B.SetInsertPoint(Header);
  PHINode *Handle = B.CreatePHI(PtrTy, Steps.size() + 2, "handle");
  Handle->addIncoming(Loop->getArg(0), Entry);
  B.CreateCondBr(B.CreateIsNull(Handle), Exit, Dispatch);

  B.SetInsertPoint(Dispatch);
  Value *Slot = B.CreateLoad(PtrTy, Handle, "resume.fn");
  SmallVector<std::pair<Function *, Function *>, 16> Arms(Steps.begin(),
                                                          Steps.end());
  if (Noop)
    Arms.push_back({Noop, nullptr});
  BasicBlock *Test = Dispatch;
  for (auto [Index, Arm] : enumerate(Arms)) {
    auto [Identity, Step] = Arm;
    auto *Body =
        BasicBlock::Create(Ctx, "step." + Identity->getName(), Loop, Exit);
    IRBuilder<> BodyBuilder(Body);
    Value *Next = Constant::getNullValue(PtrTy);
    if (Step) {
      CallInst *Call = BodyBuilder.CreateCall(Step, {Handle});
      Call->setCallingConv(Step->getCallingConv());
      Next = Call;
    }
    BodyBuilder.CreateBr(Header);
    Handle->addIncoming(Next, Body);

    IRBuilder<> TestBuilder(Test);
    if (Index + 1 == Arms.size()) {
      // Closed world: the slot holds one of these; no trap, no unreachable.
      TestBuilder.CreateBr(Body);
      break;
    }
    auto *NextTest = BasicBlock::Create(Ctx, "dispatch", Loop, Exit);
    TestBuilder.CreateCondBr(TestBuilder.CreateICmpEQ(Slot, Identity), Body,
                             NextTest);
    Test = NextTest;
  }
  B.SetInsertPoint(Exit);
  B.CreateRetVoid();
  return Loop;
}

/// Replaces the body of \p Resume by its step followed by the shared loop.
static void makeDriver(Function &Resume, Function &Step, Function &Loop) {
  Resume.deleteBody();
  Resume.setLinkage(GlobalValue::InternalLinkage);
  IRBuilder<> B(BasicBlock::Create(Resume.getContext(), "entry", &Resume));
  CallInst *First = B.CreateCall(&Step, {Resume.getArg(0)});
  First->setCallingConv(Step.getCallingConv());
  First->setDebugLoc(locationForNewCall(Resume));
  B.CreateCall(&Loop, {First})->setDebugLoc(locationForNewCall(Resume));
  B.CreateRetVoid();
}

PreservedAnalyses TransferLoopPass::run(Module &M, ModuleAnalysisManager &) {
  if (!isDeviceModule(M) || RelocatableDeviceCode)
    return PreservedAnalyses::all();
  SmallVector<Function *, 16> Resumes;
  Function *Noop = nullptr;
  for (Function &F : M) {
    CoroutinePart Part = coroutinePart(F);
    if (Part == CoroutinePart::Resume && F.getReturnType()->isVoidTy() &&
        F.arg_size() == 1)
      Resumes.push_back(&F);
    else if (Part == CoroutinePart::Noop)
      Noop = &F;
  }
  if (Resumes.empty())
    return PreservedAnalyses::all();

  MapVector<Function *, Function *> Steps;
  for (Function *Resume : Resumes)
    Steps[Resume] = createStep(*Resume);
  Function *Loop = createTransferLoop(M, Steps, Noop);
  for (auto [Resume, Step] : Steps)
    makeDriver(*Resume, *Step, *Loop);
  return PreservedAnalyses::none();
}
