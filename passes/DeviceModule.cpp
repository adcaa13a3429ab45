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
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/TargetParser/Triple.h"

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

/// True when the pipeline-start pass recorded \p Name as a device coroutine.
static bool isRecordedCoroutine(const Module &M, StringRef Name) {
  const NamedMDNode *List = M.getNamedMetadata(coroptx::CoroutineListMDName);
  if (!List)
    return false;
  for (const MDNode *Entry : List->operands())
    if (cast<MDString>(Entry->getOperand(0))->getString() == Name)
      return true;
  return false;
}

Function *coroptx::owningCoroutine(Function &F) {
  if (F.isPresplitCoroutine())
    return &F;
  StringRef Name = F.getName();
  for (StringRef Suffix : {".resume", ".destroy", ".cleanup", ".noalloc"})
    if (Name.consume_back(Suffix) && isRecordedCoroutine(*F.getParent(), Name))
      return F.getParent()->getFunction(Name);
  return isRecordedCoroutine(*F.getParent(), F.getName()) ? &F : nullptr;
}

std::string coroptx::displayName(StringRef MangledName) {
  return demangle(MangledName);
}
