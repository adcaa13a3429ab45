//===- DeviceModule.h - What coroptx knows about an NVPTX module --*- C++ -*-===//
//
// Facts every coroptx pass needs: is this the device side of a CUDA compile,
// which metadata marks a coroutine frame's heap traffic, and how a pass
// reports what cannot be lowered. Kept in one place so the passes agree.
//
//===----------------------------------------------------------------------===//
#ifndef COROPTX_PASSES_DEVICEMODULE_H
#define COROPTX_PASSES_DEVICEMODULE_H

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

#include "llvm/IR/DebugLoc.h"

namespace llvm {
class CallBase;
class Instruction;
class Function;
class ICmpInst;
class Module;
class Twine;
class Value;
} // namespace llvm

namespace coroptx {

/// Metadata kind on a call that allocates a coroutine frame on the heap. Its
/// operand names the coroutine, so a survivor is reported against it.
inline constexpr llvm::StringLiteral FrameAllocMDKind = "coroptx.frame.alloc";
/// Metadata kind on a call that frees a coroutine frame.
inline constexpr llvm::StringLiteral FrameFreeMDKind = "coroptx.frame.free";
/// Named metadata listing every device coroutine seen before splitting, as
/// !{!"mangled name", i32 suspend points[, !"coroutines of its recursion"]}.
inline constexpr llvm::StringLiteral CoroutineListMDName = "coroptx.coroutines";

/// Function attribute of every function that runs coroutine code: a
/// coroutine, a function that resumes, destroys or asks a handle, and every
/// function that calls one of those directly (ClosedWorldPass sets it). The
/// passes that change code beyond the coroutines' own keep to these, so a
/// kernel without coroutines compiles as clang alone compiles it.
inline constexpr llvm::StringLiteral RunsCoroutinesAttr =
    "coroptx.runs-coroutines";

/// The coroutine whose frame \p I allocates on the heap (\p Kind is
/// FrameAllocMDKind) or frees (FrameFreeMDKind), by ClosedWorldPass's tag;
/// none for an untagged instruction.
std::optional<llvm::StringRef> taggedFrameOwner(const llvm::Instruction &I,
                                                llvm::StringRef Kind);

/// The coroutines with a tagged heap call of one of \p Kinds left in \p M,
/// in module order.
llvm::SetVector<llvm::StringRef>
coroutinesWithHeapCalls(const llvm::Module &M,
                        std::initializer_list<llvm::StringRef> Kinds);

/// True for the device side of a CUDA compile: coroptx never touches the host.
bool isDeviceModule(const llvm::Module &M);

/// True for a __global__ function: the only entry points of a device module.
bool isKernel(const llvm::Function &F);

/// Reports an error that stops the compile, at the source line of \p Culprit.
/// Under clang that is a clang error at the function's definition.
void reportLoweringError(llvm::Function &Culprit, const llvm::Twine &Message);
/// The same as a warning: the lowering holds, but the user should know.
void reportLoweringWarning(llvm::Function &Culprit, const llvm::Twine &Message);

/// The coroutines on the call-graph cycle of recorded coroutine \p Name, for
/// a diagnostic; empty when it is not recursive.
llvm::StringRef recursionOf(const llvm::Module &M, llvm::StringRef Name);

/// The recorded coroutine a function belongs to: a ramp is its own, a
/// `.resume`, `.destroy`, `.cleanup` or `.noalloc` part belongs to its ramp
/// (which may have been inlined away since). None when not a part of one.
std::optional<llvm::StringRef> owningCoroutineName(const llvm::Function &F);

/// The part a function plays in a split coroutine, by the names CoroSplit
/// gives them; the libstdc++ noop coroutine's dummy serves as both.
enum class CoroutinePart { None, Resume, Destroy, Noop };
CoroutinePart coroutinePart(const llvm::Function &F);

/// The coroutine part an equality compare tests a value against (a
/// dispatch's compare of a resume or destroy slot), or null.
llvm::Function *comparedPart(const llvm::ICmpInst &Compare);

/// The values a phi or select merges: the phi's incoming values, the
/// select's two arms (not its condition).
llvm::SmallVector<llvm::Value *, 4> mergedValues(llvm::Instruction &Merge);

/// Folds the branches of \p F whose conditions became constants (dispatch
/// compares whose outcome is known) and deletes the arms no path reaches
/// any more.
void removeDecidedArms(llvm::Function &F);

/// True for a call of the heap functions a frame must not use: the
/// replaceable global operator new (\p Allocates) or delete, and the C
/// allocator behind them. NVPTX's TargetLibraryInfo knows no library
/// function, so they are named here.
bool isGlobalHeapFunction(const llvm::CallBase &Call, bool Allocates);

/// The frame slot an indirect call goes through when it is a coroutine
/// resume (0) or destroy (1) as CoroCleanup lowers llvm.coro.subfn.addr:
///   %slot = getelementptr inbounds { ptr, ptr }, ptr %h, i32 0, i32 <0|1>
///   %fn = load ptr, ptr %slot
///   call void %fn(ptr %h)
/// None for any other call, which may be through a user's function pointer.
std::optional<unsigned> coroutineFrameSlot(const llvm::CallBase &Call);

/// The location for a call coroptx creates in \p In: that of the call it
/// replaces, when there is one, else line 0 of \p In's subprogram. A call to
/// a function with debug info inside a function with debug info must have
/// one, or the verifier rejects the module.
llvm::DebugLoc locationForNewCall(const llvm::Function &In,
                                  llvm::DebugLoc Replaced = {});

/// A human-readable name for diagnostics (demangled where possible).
std::string displayName(llvm::StringRef MangledName);

} // namespace coroptx

#endif // COROPTX_PASSES_DEVICEMODULE_H
