//===- DispatchNarrowing.cpp - Which parts a local frame can hold ---------===//
//
// Devirtualize's dispatch compares the resume (or destroy) slot of a frame
// with every coroutine part of the module. FrameFlattening folds the
// compares whose handle it can follow to one frame, but a handle read from
// an array by a loop counter or a scheduler's slot index (a kernel's K
// workers, an executor's job slots) points into its stack object at an
// offset nobody knows, and every arm of the module stays: a dozen compares,
// and their code, on every resume.
//
// Which frame it is does not matter to the question the compare asks. A
// slot can only hold a function's address if that address was stored
// there, and when the object never leaves the function, every store into it
// is in sight. This pass computes, flow- and field-insensitively, what each
// stack object of a function may hold: the functions and the objects whose
// addresses are stored into it, and whether a pointer into memory it does
// not see may be. Constant globals hold their initializers (the no-op
// coroutine's frame holds its dummy part). A pointer compared with a
// function's address, when it can only have been read from objects that
// never held that address, is not equal to it.
//
// An object escapes when its address reaches memory or a call that the pass
// does not see: what it holds is then unknown, and so is what the objects
// whose addresses it holds hold. A kernel's pointer parameters point to data
// (the host cannot name a device function); any other parameter, a load
// from memory the pass does not see, and a call's result may be any address.
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/DispatchNarrowing.h"
#include "coroptx/Passes/DeviceModule.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"

#define DEBUG_TYPE "coroptx-narrow-dispatch"

using namespace llvm;
using namespace coroptx;

STATISTIC(NumFoldedCompares, "Compares with a function no object held");

/// The function \p Compare compares a value with, and that value.
static std::optional<std::pair<const Function *, const Value *>>
comparedFunction(const ICmpInst &Compare);

namespace {

/// Flow-insensitive points-to facts for one function. A value's set has a
/// bit per object (stack object or constant global) it may point into, a
/// bit per function whose address it may be, and two flags: it may point
/// into memory the analysis does not see, and it may be any function.
class ObjectContents {
public:
  explicit ObjectContents(Function &F);

  /// The outcome of \p Compare when it compares a value with a function's
  /// address the value cannot be; none when it may come out either way.
  std::optional<bool> decided(const ICmpInst &Compare) const;

private:
  enum Flag : unsigned { Untracked, AnyFunction, NumFlags };

  BitVector empty() const { return BitVector(NumBits); }
  BitVector only(unsigned Bit) const;
  BitVector unknown() const;
  unsigned objectBit(unsigned Index) const { return NumFlags + Index; }
  unsigned functionBit(unsigned Index) const {
    return NumFlags + Objects.size() + Index;
  }

  void collectNames();
  bool canHoldAddress(Type *Ty) const;
  BitVector of(const Value *V) const;
  BitVector loadFrom(const BitVector &Address) const;
  void storeInto(const BitVector &Address, const BitVector &Stored);
  void escape(const BitVector &Set);
  void merge(BitVector &Into, const BitVector &From);
  bool visitBlock(BasicBlock &Block);
  void visit(Instruction &I);
  SmallVector<BasicBlock *, 2>
  feasibleSuccessors(Instruction &Terminator) const;
  BitVector visitCall(CallBase &Call);

  Function &F;
  SmallVector<const Value *, 16> Objects;
  DenseMap<const Value *, unsigned> ObjectIndex;
  DenseMap<const Function *, unsigned> FunctionIndex;
  unsigned NumBits = 0;
  DenseMap<const Value *, BitVector> ValueSets;
  SmallVector<BitVector, 16> Contents;
  BitVector Escaped;
  SmallPtrSet<const BasicBlock *, 32> Executable;
  bool Changed = false;
};

} // namespace

BitVector ObjectContents::only(unsigned Bit) const {
  BitVector Set = empty();
  Set.set(Bit);
  return Set;
}

BitVector ObjectContents::unknown() const {
  BitVector Set = only(Untracked);
  Set.set(AnyFunction);
  return Set;
}

/// True for a global whose memory holds its initializer for good.
static bool isConstantGlobal(const Value *V) {
  auto *Global = dyn_cast<GlobalVariable>(V);
  return Global && Global->isConstant() && Global->hasDefinitiveInitializer();
}

/// Calls \p Visit on every function and constant global that \p C names.
static void forEachNamedGlobal(const Constant *C,
                               function_ref<void(const GlobalValue *)> Visit,
                               SmallPtrSetImpl<const Constant *> &Seen) {
  if (!Seen.insert(C).second)
    return;
  if (isa<Function>(C) || isConstantGlobal(C)) {
    Visit(cast<GlobalValue>(C));
    if (auto *Global = dyn_cast<GlobalVariable>(C))
      forEachNamedGlobal(Global->getInitializer(), Visit, Seen);
    return;
  }
  if (isa<GlobalValue>(C))
    return;
  for (const Use &Operand : C->operands())
    forEachNamedGlobal(cast<Constant>(Operand), Visit, Seen);
}

void ObjectContents::collectNames() {
  SmallPtrSet<const Constant *, 32> Seen;
  auto Name = [&](const GlobalValue *Global) {
    if (auto *Fn = dyn_cast<Function>(Global)) {
      FunctionIndex.try_emplace(Fn, FunctionIndex.size());
    } else if (ObjectIndex.try_emplace(Global, Objects.size()).second) {
      Objects.push_back(Global);
    }
  };
  for (Instruction &I : instructions(F)) {
    if (auto *Object = dyn_cast<AllocaInst>(&I))
      if (ObjectIndex.try_emplace(Object, Objects.size()).second)
        Objects.push_back(Object);
    for (const Use &Operand : I.operands())
      if (auto *C = dyn_cast<Constant>(Operand))
        forEachNamedGlobal(C, Name, Seen);
  }
  NumBits = NumFlags + Objects.size() + FunctionIndex.size();
}

ObjectContents::ObjectContents(Function &F) : F(F) {
  collectNames();
  Escaped.resize(Objects.size());
  Contents.assign(Objects.size(), empty());
  for (auto [Index, Object] : enumerate(Objects))
    if (auto *Global = dyn_cast<GlobalVariable>(Object))
      Contents[Index] = of(Global->getInitializer());
  Executable.insert(&F.getEntryBlock());
  do {
    Changed = false;
    for (BasicBlock &Block : F) {
      if (!Executable.contains(&Block))
        continue;
      if (!visitBlock(Block))
        continue;
      for (BasicBlock *Successor : feasibleSuccessors(*Block.getTerminator()))
        Changed |= Executable.insert(Successor).second;
    }
    for (unsigned Object : Escaped.set_bits())
      escape(Contents[Object]);
  } while (Changed);
}

/// Visits \p Block's instructions up to its end, or up to an assumption
/// that cannot hold (the last arm of a dispatch assumes its compare): false
/// then, since nothing after it runs.
bool ObjectContents::visitBlock(BasicBlock &Block) {
  for (Instruction &I : Block) {
    if (auto *Assume = dyn_cast<AssumeInst>(&I))
      if (auto *Compare = dyn_cast<ICmpInst>(Assume->getArgOperand(0)))
        if (decided(*Compare) == false)
          return false;
    visit(I);
  }
  return true;
}

/// The successors \p Terminator may branch to: a compare with a function
/// the value cannot be decides its branch.
SmallVector<BasicBlock *, 2>
ObjectContents::feasibleSuccessors(Instruction &Terminator) const {
  auto *Branch = dyn_cast<BranchInst>(&Terminator);
  if (Branch && Branch->isConditional())
    if (auto *Compare = dyn_cast<ICmpInst>(Branch->getCondition()))
      if (std::optional<bool> Outcome = decided(*Compare))
        return {Branch->getSuccessor(*Outcome ? 0 : 1)};
  return SmallVector<BasicBlock *, 2>(successors(&Terminator));
}

BitVector ObjectContents::of(const Value *V) const {
  if (!canHoldAddress(V->getType()))
    return empty();
  if (auto It = ObjectIndex.find(V); It != ObjectIndex.end())
    return only(objectBit(It->second));
  if (isa<Instruction>(V)) {
    auto It = ValueSets.find(V);
    return It == ValueSets.end() ? empty() : It->second;
  }
  if (auto *Fn = dyn_cast<Function>(V)) {
    auto It = FunctionIndex.find(Fn);
    return It == FunctionIndex.end() ? unknown()
                                     : only(functionBit(It->second));
  }
  if (isa<Argument>(V)) {
    if (!isKernel(F))
      return unknown();
    return V->getType()->isPtrOrPtrVectorTy() ? only(Untracked) : empty();
  }
  if (auto *Alias = dyn_cast<GlobalAlias>(V))
    return of(Alias->getAliasee());
  if (isa<GlobalVariable>(V))
    return only(Untracked);
  if (isa<ConstantData>(V) || isa<MetadataAsValue>(V) || isa<InlineAsm>(V) ||
      isa<BasicBlock>(V))
    return empty();
  if (isa<ConstantExpr>(V) || isa<ConstantAggregate>(V)) {
    BitVector Set = empty();
    for (const Use &Operand : cast<Constant>(V)->operands())
      Set |= of(Operand);
    return Set;
  }
  return unknown();
}

/// False for a value too narrow for a pointer (a 32-bit counter, a state
/// byte): what it is computed from never makes it an address.
bool ObjectContents::canHoldAddress(Type *Ty) const {
  if (Ty->isPtrOrPtrVectorTy() || !Ty->isSized())
    return true;
  const DataLayout &Layout = F.getDataLayout();
  return Layout.getTypeSizeInBits(Ty) >= Layout.getPointerSizeInBits();
}

BitVector ObjectContents::loadFrom(const BitVector &Address) const {
  BitVector Loaded = empty();
  for (unsigned Bit : Address.set_bits()) {
    if (Bit == Untracked || Bit == AnyFunction)
      return unknown();
    if (Bit >= functionBit(0))
      continue; // code is not data on NVPTX: no load reads it
    const unsigned Object = Bit - NumFlags;
    if (Escaped[Object])
      return unknown();
    Loaded |= Contents[Object];
  }
  return Loaded;
}

void ObjectContents::storeInto(const BitVector &Address,
                               const BitVector &Stored) {
  bool OutOfSight = Address.test(Untracked) || Address.test(AnyFunction);
  for (unsigned Bit : Address.set_bits()) {
    // A store cannot write code, nor a constant global (undefined): a store
    // through a pointer that may be either (a handle loaded from a frame
    // that also holds parts, or that may be the no-op coroutine's) writes
    // one of the other objects.
    if (Bit < NumFlags || Bit >= functionBit(0))
      continue;
    const unsigned Object = Bit - NumFlags;
    if (isa<GlobalVariable>(Objects[Object]))
      continue;
    if (Escaped[Object])
      OutOfSight = true;
    else
      merge(Contents[Object], Stored);
  }
  if (OutOfSight)
    escape(Stored);
}

void ObjectContents::escape(const BitVector &Set) {
  for (unsigned Bit : Set.set_bits()) {
    if (Bit < NumFlags || Bit >= functionBit(0))
      continue;
    const unsigned Object = Bit - NumFlags;
    if (!Escaped[Object] && isa<AllocaInst>(Objects[Object])) {
      Escaped.set(Object);
      Changed = true;
    }
  }
}

void ObjectContents::merge(BitVector &Into, const BitVector &From) {
  if (!From.test(Into))
    return;
  Into |= From;
  Changed = true;
}

/// Intrinsics that neither write nor keep the pointers they are given.
static bool leavesPointersAlone(Intrinsic::ID ID) {
  switch (ID) {
  case Intrinsic::lifetime_start:
  case Intrinsic::lifetime_end:
  case Intrinsic::assume:
  case Intrinsic::experimental_noalias_scope_decl:
  case Intrinsic::dbg_value:
  case Intrinsic::dbg_declare:
  case Intrinsic::dbg_assign:
  case Intrinsic::dbg_label:
    return true;
  default:
    return false;
  }
}

/// What a call may return; what it does with its arguments goes into the
/// object contents.
BitVector ObjectContents::visitCall(CallBase &Call) {
  if (auto *Transfer = dyn_cast<MemTransferInst>(&Call)) {
    storeInto(of(Transfer->getDest()), loadFrom(of(Transfer->getSource())));
    return empty();
  }
  if (auto *Set = dyn_cast<MemSetInst>(&Call)) {
    storeInto(of(Set->getDest()), of(Set->getValue()));
    return empty();
  }
  if (auto *Builtin = dyn_cast<IntrinsicInst>(&Call);
      Builtin && leavesPointersAlone(Builtin->getIntrinsicID()))
    return empty();
  BitVector Arguments = empty();
  for (const Use &Argument : Call.args())
    Arguments |= of(Argument);
  // A pure intrinsic computes its result from its arguments (a ctpop, a
  // special register read); asm with no operands reads a register.
  const bool Pure = (isa<IntrinsicInst>(Call) && Call.doesNotAccessMemory()) ||
                    (Call.isInlineAsm() && Call.arg_empty());
  if (!Pure) {
    escape(Arguments);
    return Call.getType()->isVoidTy() ? empty() : unknown();
  }
  if (Call.getType()->isPtrOrPtrVectorTy())
    Arguments.set(Untracked);
  return Arguments;
}

void ObjectContents::visit(Instruction &I) {
  if (isa<AllocaInst>(I))
    return; // of() names the object itself
  BitVector Result = empty();
  if (auto *Load = dyn_cast<LoadInst>(&I)) {
    Result = loadFrom(of(Load->getPointerOperand()));
  } else if (auto *Store = dyn_cast<StoreInst>(&I)) {
    storeInto(of(Store->getPointerOperand()), of(Store->getValueOperand()));
  } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    Result = loadFrom(of(RMW->getPointerOperand()));
    storeInto(of(RMW->getPointerOperand()), of(RMW->getValOperand()));
  } else if (auto *Exchange = dyn_cast<AtomicCmpXchgInst>(&I)) {
    Result = loadFrom(of(Exchange->getPointerOperand()));
    storeInto(of(Exchange->getPointerOperand()),
              of(Exchange->getNewValOperand()));
  } else if (auto *Call = dyn_cast<CallBase>(&I)) {
    Result = visitCall(*Call);
  } else if (auto *Return = dyn_cast<ReturnInst>(&I)) {
    if (Value *Returned = Return->getReturnValue())
      escape(of(Returned));
  } else if (auto *Address = dyn_cast<GetElementPtrInst>(&I)) {
    // The result points into the same object as the base, whatever the
    // indices are.
    Result = of(Address->getPointerOperand());
  } else if (auto *Select = dyn_cast<SelectInst>(&I)) {
    Result = of(Select->getTrueValue());
    Result |= of(Select->getFalseValue());
  } else if (auto *Cast = dyn_cast<IntToPtrInst>(&I)) {
    // An integer from nowhere may be the address of anything exposed.
    Result = of(Cast->getOperand(0));
    Result.set(Untracked);
  } else if (isa<CmpInst>(I) || I.getType()->isVoidTy()) {
    // A truth value, or nothing.
  } else if (auto *Merge = dyn_cast<PHINode>(&I)) {
    // Only what flows in from blocks that run.
    for (auto [Incoming, Block] :
         zip(Merge->incoming_values(), Merge->blocks()))
      if (Executable.contains(Block))
        Result |= of(Incoming);
  } else if (isa<CastInst>(I) || isa<BinaryOperator>(I) ||
             isa<UnaryOperator>(I) || isa<FreezeInst>(I) ||
             isa<ExtractValueInst>(I) || isa<InsertValueInst>(I) ||
             isa<ExtractElementInst>(I) || isa<InsertElementInst>(I) ||
             isa<ShuffleVectorInst>(I)) {
    // Bits of the operands, possibly rearranged: a pointer cast to an
    // integer and back is still a pointer into the same object.
    for (const Use &Operand : I.operands())
      Result |= of(Operand);
  } else {
    Result = unknown();
  }
  if (!I.getType()->isVoidTy() && canHoldAddress(I.getType()))
    merge(ValueSets.try_emplace(&I, empty()).first->second, Result);
}

std::optional<bool> ObjectContents::decided(const ICmpInst &Compare) const {
  auto Compared = comparedFunction(Compare);
  if (!Compared)
    return std::nullopt;
  auto [Fn, Value] = *Compared;
  const BitVector Set = of(Value);
  auto It = FunctionIndex.find(Fn);
  if (Set.test(AnyFunction) ||
      (It != FunctionIndex.end() && Set.test(functionBit(It->second))))
    return std::nullopt;
  return Compare.getPredicate() == ICmpInst::ICMP_NE;
}

/// The function \p Compare compares a value with, and that value.
static std::optional<std::pair<const Function *, const Value *>>
comparedFunction(const ICmpInst &Compare) {
  if (!Compare.isEquality())
    return std::nullopt;
  for (unsigned Side : {0u, 1u}) {
    auto *Fn =
        dyn_cast<Function>(Compare.getOperand(Side)->stripPointerCasts());
    const Value *Other = Compare.getOperand(1 - Side);
    if (Fn && !isa<Constant>(Other))
      return std::make_pair(Fn, Other);
  }
  return std::nullopt;
}

PreservedAnalyses DispatchNarrowingPass::run(Function &F,
                                             FunctionAnalysisManager &) {
  if (!isDeviceModule(*F.getParent()) || F.isDeclaration())
    return PreservedAnalyses::all();
  SmallVector<ICmpInst *, 16> Compares;
  for (Instruction &I : instructions(F))
    if (auto *Compare = dyn_cast<ICmpInst>(&I);
        Compare && comparedFunction(*Compare))
      Compares.push_back(Compare);
  if (Compares.empty())
    return PreservedAnalyses::all();

  const ObjectContents Contents(F);
  bool Folded = false;
  for (ICmpInst *Compare : Compares) {
    std::optional<bool> Outcome = Contents.decided(*Compare);
    if (!Outcome)
      continue;
    Compare->replaceAllUsesWith(ConstantInt::getBool(F.getContext(), *Outcome));
    Compare->eraseFromParent();
    ++NumFoldedCompares;
    Folded = true;
  }
  if (!Folded)
    return PreservedAnalyses::all();
  removeDecidedArms(F);
  return PreservedAnalyses::none();
}
