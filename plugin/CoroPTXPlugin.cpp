//===- CoroPTXPlugin.cpp - The one flag a user adds -----------------------===//
//
// FILE: CoroPTX.so
// DESCRIPTION: Makes C++20 coroutines usable in CUDA device code. With
//   -fplugin=<build>/lib/CoroPTX.so clang
//    - puts the coroptx runtime (<coroptx/...>) on the include path,
//    - includes <coroptx/detail/device_coroutine.h> before the user's code,
//      which makes <coroutine> and std::noop_coroutine() usable on the device,
//    - registers the coroptx LLVM passes through
//      CodeGenOptions::PassBuilderCallbacks, so no -fpass-plugin is needed.
//   The passes act on the device (NVPTX) side of the compile only.
// USAGE:
//   clang++-22 -x cuda --cuda-gpu-arch=sm_90 -std=c++20 \
//       -fplugin=<build>/lib/CoroPTX.so demo.cu
//
//===----------------------------------------------------------------------===//
#include "coroptx/Passes/Pipeline.h"

#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>

using namespace clang;

namespace {

/// <build>/include, found next to <build>/lib/CoroPTX.so, so a build tree can
/// move (or travel to another machine) without paths baked into it.
std::string runtimeIncludeDir() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&runtimeIncludeDir), &Info) ||
      !Info.dli_fname)
    return {};
  llvm::SmallString<256> Dir(Info.dli_fname);
  llvm::sys::path::remove_filename(Dir); // lib/
  llvm::sys::path::remove_filename(Dir); // <build>/
  llvm::sys::path::append(Dir, "include");
  return std::string(Dir);
}

class CoroPTXAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 llvm::StringRef) override {
    return std::make_unique<ASTConsumer>();
  }

  bool ParseArgs(const CompilerInstance &ConstCI,
                 const std::vector<std::string> &Args) override {
    auto &CI = const_cast<CompilerInstance &>(ConstCI);
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    if (!Args.empty()) {
      Diags.Report(Diags.getCustomDiagID(
          DiagnosticsEngine::Error, "coroptx: unknown plugin argument '%0'"))
          << Args.front();
      return false;
    }

    std::string IncludeDir = runtimeIncludeDir();
    auto Dir = CI.getFileManager().getOptionalDirectoryRef(IncludeDir);
    if (!Dir) {
      Diags.Report(Diags.getCustomDiagID(
          DiagnosticsEngine::Error,
          "coroptx: runtime headers not found at '%0' (expected next to "
          "the plugin's lib/ folder)"))
          << IncludeDir;
      return false;
    }
    Preprocessor &PP = CI.getPreprocessor();
    PP.getHeaderSearchInfo().AddSearchPath(
        DirectoryLookup(*Dir, SrcMgr::C_System, /*isFramework=*/false),
        /*isAngled=*/true);

    const LangOptions &LangOpts = CI.getLangOpts();
    if (!LangOpts.CUDA)
      return true;
    // Both sides of a CUDA compile see the same declarations; the predefines
    // are already built here, so the prelude is appended to them.
    PP.setPredefines(PP.getPredefines() +
                     "#include <coroptx/detail/device_coroutine.h>\n");

    // The host side of a CUDA compile is left exactly as clang makes it.
    if (!LangOpts.CUDAIsDevice)
      return true;
    coroptx::PipelineOptions Options;
    Options.RelocatableDeviceCode = LangOpts.GPURelocatableDeviceCode;
    CI.getCodeGenOpts().PassBuilderCallbacks.push_back(
        [Options](llvm::PassBuilder &PB) {
          coroptx::registerCoroPTXPipeline(PB, Options);
        });
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace

static FrontendPluginRegistry::Add<CoroPTXAction>
    X("coroptx", "C++20 coroutines in CUDA device code");
