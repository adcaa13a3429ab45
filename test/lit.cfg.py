# lit configuration for coroptx. Tests never spell build paths: they use
#   %opt-coroptx   opt with the pass plugin loaded
#   %clang-device  clang++ compiling CUDA for the device only, with the plugin
#   %clang-cuda    clang++ compiling CUDA (host and device), with the plugin
#   %clang-plain-device  the same without the plugin (what clang alone does)
#   %ptxas         ptxas from CUDA 13.0; tests use it through %if ptxas %{ %}
#   %ptx-facts     examples/ptx_facts.py: compiles for sm_75/80/90 at -O0..-O3,
#                  assembles with ptxas, fails on any heap or indirect call
import os
import lit.formats
import lit.util

config.name = "coroptx"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".cu", ".cpp"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.coroptx_obj_root, "test")
config.excludes = ["runtime", "gpu", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py.in", "Inputs"]

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", "")])

lib = os.path.join(config.coroptx_obj_root, "lib")
pass_plugin = os.path.join(lib, "CoroPTXPasses.so")
clang_plugin = os.path.join(lib, "CoroPTX.so")
cuda_flags = ("-x cuda --cuda-path=%s -std=c++20 -Wno-unknown-cuda-version"
              % config.cuda_path)

config.substitutions.append(
    ("%opt-coroptx", "opt -load-pass-plugin=%s" % pass_plugin))
config.substitutions.append(
    ("%clang-device", "%s %s --cuda-device-only -fplugin=%s"
     % (config.clang, cuda_flags, clang_plugin)))
config.substitutions.append(
    ("%clang-cuda", "%s %s -fplugin=%s" % (config.clang, cuda_flags, clang_plugin)))
config.substitutions.append(
    ("%clang-plain-device", "%s %s --cuda-device-only" % (config.clang, cuda_flags)))
config.substitutions.append(("%coroptx-src", config.coroptx_src_root))
config.substitutions.append(
    ("%ptx-facts", "python3 %s --build %s --clang %s --cuda %s"
     % (os.path.join(config.coroptx_src_root, "examples", "ptx_facts.py"),
        config.coroptx_obj_root, config.clang, config.cuda_path)))

if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))
