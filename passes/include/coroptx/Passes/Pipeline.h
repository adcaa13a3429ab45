//===- Pipeline.h - Where the coroptx passes run ----------------*- C++ -*-===//
#ifndef COROPTX_PASSES_PIPELINE_H
#define COROPTX_PASSES_PIPELINE_H

namespace llvm {
class PassBuilder;
} // namespace llvm

namespace coroptx {

struct PipelineOptions {
  /// -fgpu-rdc: other device modules may call in, so the module is no
  /// closed world; internalization and devirtualization are off and what
  /// they would have removed is reported instead.
  bool RelocatableDeviceCode = false;
};

/// Adds the coroptx passes to the default pipelines at every -O level. The
/// passes act on NVPTX modules only; the host side is left as clang makes it.
void registerCoroPTXPipeline(llvm::PassBuilder &PB, PipelineOptions Options);

/// Makes the passes nameable in -passes= (coroptx-closed-world, ...).
void registerCoroPTXPassNames(llvm::PassBuilder &PB);

} // namespace coroptx

#endif // COROPTX_PASSES_PIPELINE_H
