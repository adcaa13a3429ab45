//===- DeviceModule.cpp - What coroptx knows about an NVPTX module -------===//
//
// Shared predicates and the one way coroptx reports an error: through
// LLVMContext::diagnose with DiagnosticInfoUnsupported, which clang turns
// into an error at the function's source line and opt prints as is.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/CallingConv.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/Local.h"

using namespace llvm;

bool coroptx::isDeviceModule(const Module &M) {
  return M.getTargetTriple().isNVPTX();
}

bool coroptx::isKernel(const Function &F) {
  return F.getCallingConv() == CallingConv::PTX_Kernel;
}

void coroptx::reportLoweringError(Function &Culprit, const Twine &Message) {
  Culprit.getContext().diagnose(
      DiagnosticInfoUnsupported(Culprit, "coroptx: " + Message));
}

void coroptx::reportLoweringWarning(Function &Culprit, const Twine &Message) {
  Culprit.getContext().diagnose(DiagnosticInfoUnsupported(
      Culprit, "coroptx: " + Message, DiagnosticLocation(), DS_Warning));
}

/// True when ClosedWorldPass recorded \p Name as a device coroutine.
static bool isRecordedCoroutine(const Module &M, StringRef Name) {
  const NamedMDNode *List = M.getNamedMetadata(coroptx::CoroutineListMDName);
  if (!List)
    return false;
  for (const MDNode *Entry : List->operands())
    if (cast<MDString>(Entry->getOperand(0))->getString() == Name)
      return true;
  return false;
}

StringRef coroptx::recursionOf(const Module &M, StringRef Name) {
  if (const NamedMDNode *List = M.getNamedMetadata(CoroutineListMDName))
    for (const MDNode *Entry : List->operands())
      if (cast<MDString>(Entry->getOperand(0))->getString() == Name &&
          Entry->getNumOperands() > 2)
        if (auto *Cycle = dyn_cast<MDString>(Entry->getOperand(2)))
          return Cycle->getString();
  return {};
}


std::optional<StringRef> coroptx::owningCoroutineName(const Function &F) {
  StringRef Name = F.getName();
  if (F.isPresplitCoroutine())
    return Name;
  for (StringRef Suffix : {".resume", ".destroy", ".cleanup", ".noalloc"})
    if (Name.consume_back(Suffix) && isRecordedCoroutine(*F.getParent(), Name))
      return Name;
  if (isRecordedCoroutine(*F.getParent(), Name))
    return Name;
  return std::nullopt;
}

coroptx::CoroutinePart coroptx::coroutinePart(const Function &F) {
  if (F.isDeclaration())
    return CoroutinePart::None;
  StringRef Name = F.getName();
  if (Name.ends_with(".resume") && owningCoroutineName(F))
    return CoroutinePart::Resume;
  if ((Name.ends_with(".destroy") || Name.ends_with(".cleanup")) &&
      owningCoroutineName(F))
    return CoroutinePart::Destroy;
  if (StringRef(demangle(Name)).ends_with(
          "noop_coroutine_promise>::__frame::__dummy_resume_destroy()"))
    return CoroutinePart::Noop;
  return CoroutinePart::None;
}

Function *coroptx::comparedPart(const ICmpInst &Compare) {
  if (!Compare.isEquality())
    return nullptr;
  for (Value *Operand : Compare.operands())
    if (auto *Part = dyn_cast<Function>(Operand);
        Part && coroutinePart(*Part) != CoroutinePart::None)
      return Part;
  return nullptr;
}

SmallVector<Value *, 4> coroptx::mergedValues(Instruction &Merge) {
  if (auto *Phi = dyn_cast<PHINode>(&Merge))
    return SmallVector<Value *, 4>(Phi->incoming_values());
  auto &Select = cast<SelectInst>(Merge);
  return {Select.getTrueValue(), Select.getFalseValue()};
}

void coroptx::removeDecidedArms(Function &F) {
  for (BasicBlock &Block : F)
    ConstantFoldTerminator(&Block, /*DeleteDeadConditions=*/true);
  removeUnreachableBlocks(F);
}

std::optional<unsigned> coroptx::coroutineFrameSlot(const CallBase &Call) {
  if (Call.arg_size() != 1)
    return std::nullopt;
  auto *Load = dyn_cast<LoadInst>(Call.getCalledOperand());
  auto *Slot = Load ? dyn_cast<GetElementPtrInst>(Load->getPointerOperand())
                    : nullptr;
  if (!Slot || Slot->getPointerOperand() != Call.getArgOperand(0) ||
      Slot->getNumIndices() != 2)
    return std::nullopt;
  auto *FrameHeader = dyn_cast<StructType>(Slot->getSourceElementType());
  PointerType *PtrTy = PointerType::getUnqual(Call.getContext());
  if (!FrameHeader || !FrameHeader->isLiteral() ||
      FrameHeader->elements() != ArrayRef<Type *>({PtrTy, PtrTy}))
    return std::nullopt;
  auto *Zero = dyn_cast<ConstantInt>(Slot->getOperand(1));
  auto *Index = dyn_cast<ConstantInt>(Slot->getOperand(2));
  if (!Zero || !Zero->isZero() || !Index || Index->getZExtValue() > 1)
    return std::nullopt;
  return Index->getZExtValue();
}

DebugLoc coroptx::locationForNewCall(const Function &In, DebugLoc Replaced) {
  if (Replaced)
    return Replaced;
  if (DISubprogram *Scope = In.getSubprogram())
    return DILocation::get(In.getContext(), 0, 0, Scope);
  return {};
}

std::string coroptx::displayName(StringRef MangledName) {
  return demangle(MangledName);
}

bool coroptx::isGlobalHeapFunction(const CallBase &Call, bool Allocates) {
  const Function *Callee = Call.getCalledFunction();
  if (!Callee)
    return false;
  StringRef Name = Callee->getName();
  if (Allocates)
    return Name.starts_with("_Znwm") || Name.starts_with("_Znam") ||
           Name == "malloc" || Name == "calloc" || Name == "aligned_alloc";
  return Name.starts_with("_ZdlPv") || Name.starts_with("_ZdaPv") ||
         Name == "free";
}

std::optional<StringRef> coroptx::taggedFrameOwner(const Instruction &I,
                                                   StringRef Kind) {
  if (MDNode *Owner = I.getMetadata(Kind))
    return cast<MDString>(Owner->getOperand(0))->getString();
  return std::nullopt;
}

SetVector<StringRef>
coroptx::coroutinesWithHeapCalls(const Module &M,
                                 std::initializer_list<StringRef> Kinds) {
  SetVector<StringRef> Owners;
  for (const Function &F : M)
    for (const Instruction &I : instructions(F))
      for (StringRef Kind : Kinds)
        if (std::optional<StringRef> Owner = taggedFrameOwner(I, Kind))
          Owners.insert(*Owner);
  return Owners;
}
