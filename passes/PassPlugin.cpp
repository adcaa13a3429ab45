//===- PassPlugin.cpp - coroptx passes as an opt plugin -------------------===//
//
// FILE: CoroPTXPasses.so
// DESCRIPTION: The coroptx passes, loadable into opt for IR tests. They are
//   registered in the default pipelines too, exactly as the clang plugin does.
// USAGE:
//   opt -load-pass-plugin=<build>/lib/CoroPTXPasses.so \
//       -passes=coroptx-closed-world,coroptx-devirtualize,coroptx-verify in.ll
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/Pipeline.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Plugins/PassPlugin.h"

extern "C" LLVM_ATTRIBUTE_WEAK llvm::PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "CoroPTXPasses", "0.1",
          [](llvm::PassBuilder &PB) {
            coroptx::registerCoroPTXPassNames(PB);
            coroptx::registerCoroPTXPipeline(PB, coroptx::PipelineOptions());
          }};
}
