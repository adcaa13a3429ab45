//===- TransferLoop.cpp - Symmetric transfer in constant stack ------------===//
//
// After CoroSplit and CoroCleanup a symmetric transfer at the end of a
// resume function R is
//     %fn = load ptr, ptr %next      ; the resume slot of the next frame
//     call fastcc void %fn(ptr %next)
//     ret void
// or, where the next coroutine is known, a direct call of its resume part.
// Targets with musttail make that a jump; NVPTX makes it a call, so N
// transfers nest N calls deep (100,000 of them overflow an H200 thread's
// stack). This pass gives each resume function R a step R' that ends in
// `ret ptr %next` instead, and null where R simply returned, and rewrites R
// into a driver:
//     %h = R'(frame)
//     while (%h) %h = step of whatever resumes %h
// The driver picks the next step by comparing the resume slot against every
// resume function of the closed world, with a direct call in each arm, and
// treats the noop coroutine as the end. Frames keep storing R, so done(),
// destroy() and every existing caller of R are unchanged, and any caller
// gets the loop by calling R. Once the inliner runs, the loop sits where the
// coroutine was started, like a hand-written state machine's event loop.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/TransferLoop.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/Cloning.h"

#define DEBUG_TYPE "coroptx-transfer-loop"

STATISTIC(NumTransfers, "Symmetric transfers turned into step returns");

using namespace llvm;
using namespace coroptx;

/// The resume parts of the recorded coroutines, in module order.
static SmallVector<Function *, 16> resumeFunctions(Module &M) {
  SmallVector<Function *, 16> Resumes;
  for (Function &F : M)
    if (!F.isDeclaration() && F.getName().ends_with(".resume") &&
        F.getReturnType()->isVoidTy() && F.arg_size() == 1 &&
        owningCoroutine(F))
      Resumes.push_back(&F);
  return Resumes;
}

/// The empty resume function of libstdc++'s noop coroutine, if present.
static Function *noopResumeFunction(Module &M) {
  for (Function &F : M)
    if (!F.isDeclaration() &&
        StringRef(demangle(F.getName()))
            .ends_with("noop_coroutine_promise>::__frame::__dummy_resume_destroy()"))
      return &F;
  return nullptr;
}

/// If \p Call, directly followed by `ret void`, transfers control to another
/// coroutine, the handle it transfers to (null for the noop coroutine).
static std::optional<Value *>
transferTarget(CallInst &Call, const SmallPtrSetImpl<Function *> &Resumes,
               Function *Noop) {
  if (!isa<ReturnInst>(Call.getNextNode()))
    return std::nullopt;
  Function *Callee = Call.getCalledFunction();
  if (Callee && Callee == Noop)
    return Constant::getNullValue(PointerType::getUnqual(Call.getContext()));
  if (Call.arg_size() != 1)
    return std::nullopt;
  Value *Handle = Call.getArgOperand(0);
  if (Callee)
    return Resumes.contains(Callee) ? std::optional<Value *>(Handle)
                                    : std::nullopt;
  auto *SlotLoad = dyn_cast<LoadInst>(Call.getCalledOperand());
  if (SlotLoad && SlotLoad->getPointerOperand() == Handle)
    return Handle;
  return std::nullopt;
}

/// Clones \p Resume into a step that returns the next handle or null.
static Function *createStep(Function &Resume,
                            const SmallPtrSetImpl<Function *> &Resumes,
                            Function *Noop) {
  LLVMContext &Ctx = Resume.getContext();
  PointerType *PtrTy = PointerType::getUnqual(Ctx);
  FunctionType *StepTy = FunctionType::get(PtrTy, {PtrTy}, false);
  Function *Step = Function::Create(StepTy, GlobalValue::InternalLinkage,
                                    Resume.getName() + ".step",
                                    Resume.getParent());
  Step->copyAttributesFrom(&Resume);
  Step->setCallingConv(Resume.getCallingConv());
  ValueToValueMapTy Map;
  Map[Resume.getArg(0)] = Step->getArg(0);
  SmallVector<ReturnInst *, 4> Returns;
  CloneFunctionInto(Step, &Resume, Map,
                    CloneFunctionChangeType::LocalChangesOnly, Returns);

  for (ReturnInst *Ret : Returns) {
    Value *Next = Constant::getNullValue(PtrTy);
    if (auto *Call = dyn_cast_or_null<CallInst>(Ret->getPrevNode()))
      if (std::optional<Value *> Target = transferTarget(*Call, Resumes, Noop)) {
        Next = *Target;
        Call->eraseFromParent();
        ++NumTransfers;
      }
    ReturnInst::Create(Ctx, Next, Ret->getIterator());
    Ret->eraseFromParent();
  }
  return Step;
}

/// Replaces the body of \p Resume by the loop that drives steps.
static void makeDriver(Function &Resume, Function &FirstStep,
                       const MapVector<Function *, Function *> &Steps,
                       Function *Noop) {
  LLVMContext &Ctx = Resume.getContext();
  PointerType *PtrTy = PointerType::getUnqual(Ctx);
  Resume.deleteBody();
  Resume.setLinkage(GlobalValue::InternalLinkage);
  auto *Entry = BasicBlock::Create(Ctx, "entry", &Resume);
  auto *Loop = BasicBlock::Create(Ctx, "transfer", &Resume);
  auto *Dispatch = BasicBlock::Create(Ctx, "dispatch", &Resume);
  auto *Exit = BasicBlock::Create(Ctx, "done", &Resume);

  IRBuilder<> B(Entry);
  CallInst *First = B.CreateCall(&FirstStep, {Resume.getArg(0)});
  First->setCallingConv(FirstStep.getCallingConv());
  B.CreateBr(Loop);

  B.SetInsertPoint(Loop);
  PHINode *Handle = B.CreatePHI(PtrTy, Steps.size() + 2, "handle");
  Handle->addIncoming(First, Entry);
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
    auto *Body = BasicBlock::Create(Ctx, "step." + Identity->getName(),
                                    &Resume, Exit);
    IRBuilder<> BodyBuilder(Body);
    Value *Next = Constant::getNullValue(PtrTy);
    if (Step) {
      CallInst *Call = BodyBuilder.CreateCall(Step, {Handle});
      Call->setCallingConv(Step->getCallingConv());
      Next = Call;
    }
    BodyBuilder.CreateBr(Loop);
    Handle->addIncoming(Next, Body);

    IRBuilder<> TestBuilder(Test);
    if (Index + 1 == Arms.size()) {
      // Closed world: the slot holds one of these; no trap, no unreachable.
      TestBuilder.CreateBr(Body);
      break;
    }
    auto *NextTest = BasicBlock::Create(Ctx, "dispatch", &Resume, Exit);
    TestBuilder.CreateCondBr(TestBuilder.CreateICmpEQ(Slot, Identity), Body,
                             NextTest);
    Test = NextTest;
  }

  B.SetInsertPoint(Exit);
  B.CreateRetVoid();
}

PreservedAnalyses TransferLoopPass::run(Module &M, ModuleAnalysisManager &) {
  if (!isDeviceModule(M))
    return PreservedAnalyses::all();
  SmallVector<Function *, 16> Resumes = resumeFunctions(M);
  if (Resumes.empty())
    return PreservedAnalyses::all();
  SmallPtrSet<Function *, 16> ResumeSet(Resumes.begin(), Resumes.end());
  Function *Noop = noopResumeFunction(M);

  MapVector<Function *, Function *> Steps;
  for (Function *Resume : Resumes)
    Steps[Resume] = createStep(*Resume, ResumeSet, Noop);
  for (auto [Resume, Step] : Steps)
    makeDriver(*Resume, *Step, Steps, Noop);
  return PreservedAnalyses::none();
}
