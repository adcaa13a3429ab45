#!/usr/bin/env python3
"""Print the PTX facts of a CUDA source compiled with coroptx.

For each GPU architecture and -O level it compiles the device side to PTX
with clang++ and the plugin, then reports per kernel: calls to the heap
(malloc, free, operator new, operator delete), indirect calls (calls through
a .callprototype), and what ptxas -v says about registers, stack frame and
spills. It exits non-zero if any kernel calls the heap or calls indirectly, or if
the compile gives a coroptx warning.

  python3 examples/ptx_facts.py --build build examples/demo_async.cu
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HEAP_CALL = re.compile(r"call(?:\.uni)?\s+(?:\(\w+\),\s*)?(malloc|free|_Znw\w*|_Zna\w*|_Zdl\w*|_Zda\w*)\b")
INDIRECT_CALL = re.compile(r"call(?:\.uni)?\s+(?:\(\w+\),\s*)?%")
ENTRY = re.compile(r"^\.(?:visible|weak)?\s*\.entry\s+(\w+)")
PTXAS_FUNCTION = re.compile(r"Compiling entry function '(\w+)'")
PTXAS_REGISTERS = re.compile(r"Used (\d+) registers")
PTXAS_STACK = re.compile(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")


def demangle(names):
    try:
        out = subprocess.run(["c++filt"], input="\n".join(names), text=True,
                             capture_output=True, check=True).stdout
        return dict(zip(names, out.splitlines()))
    except (OSError, subprocess.CalledProcessError):
        return {n: n for n in names}


def kernels_of(ptx):
    """Heap and indirect calls per kernel, counted over the kernel's body."""
    facts, current = {}, None
    for line in ptx.splitlines():
        match = ENTRY.match(line)
        if match:
            current = match.group(1)
            facts[current] = {"heap": 0, "indirect": 0}
        elif line.startswith(".func") or line.startswith(".visible .func"):
            current = None
        elif current:
            facts[current]["heap"] += bool(HEAP_CALL.search(line))
            facts[current]["indirect"] += bool(INDIRECT_CALL.search(line))
    return facts


def module_calls(ptx):
    return (sum(bool(HEAP_CALL.search(l)) for l in ptx.splitlines()),
            sum(bool(INDIRECT_CALL.search(l)) for l in ptx.splitlines()))


def ptxas_facts(ptxas, arch, ptx_path):
    out = subprocess.run([ptxas, "-arch=" + arch, "-v", ptx_path, "-o", os.devnull],
                         text=True, capture_output=True, check=True).stderr
    facts, current = {}, None
    for line in out.splitlines():
        match = PTXAS_FUNCTION.search(line)
        if match:
            current = match.group(1)
            facts[current] = {}
            continue
        if current is None:
            continue
        if (m := PTXAS_STACK.search(line)):
            facts[current].update(stack=int(m.group(1)), spill=int(m.group(2)) + int(m.group(3)))
        if (m := PTXAS_REGISTERS.search(line)):
            facts[current]["registers"] = int(m.group(1))
            current = None
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("--build", default="build", help="coroptx build folder")
    parser.add_argument("--clang", default="/usr/lib/llvm-22/bin/clang++")
    parser.add_argument("--cuda", default="/usr/local/cuda")
    parser.add_argument("--archs", default="sm_75,sm_80,sm_90")
    parser.add_argument("--opt-levels", default="O0,O1,O2,O3")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    plugin = os.path.join(args.build, "lib", "CoroPTX.so")
    ptxas = os.path.join(args.cuda, "bin", "ptxas")
    rows, clean = [], True
    with tempfile.TemporaryDirectory() as tmp:
        for arch in args.archs.split(","):
            for level in args.opt_levels.split(","):
                ptx_path = os.path.join(tmp, f"{arch}.{level}.ptx")
                compiled = subprocess.run([args.clang, "-x", "cuda", "--cuda-path=" + args.cuda,
                                "--cuda-device-only", "--cuda-gpu-arch=" + arch,
                                "-std=c++20", "-Wno-unknown-cuda-version", "-" + level,
                                "-fplugin=" + plugin, "-S", args.source, "-o", ptx_path],
                               text=True, stderr=subprocess.PIPE)
                if compiled.returncode != 0:
                    sys.stderr.write(compiled.stderr)
                    return compiled.returncode
                # A job frame larger than its executor's slots makes the
                # module unclean: every spawn of it fails. A kernel that
                # needs a raised cudaLimitStackSize is shown, not failed: the
                # program can raise it.
                for line in compiled.stderr.splitlines():
                    if "attribute: coroptx:" in line:
                        print(f"{arch} -{level}: {line}")
                        clean = False
                    elif "warning: coroptx:" in line:
                        print(f"{arch} -{level}: {line}")
                ptx = open(ptx_path).read()
                heap, indirect = module_calls(ptx)
                clean &= heap == 0 and indirect == 0
                assembled = ptxas_facts(ptxas, arch, ptx_path)
                for kernel, calls in kernels_of(ptx).items():
                    facts = assembled.get(kernel, {})
                    rows.append((arch, "-" + level, kernel, calls["heap"], calls["indirect"],
                                 facts.get("registers", "?"), facts.get("stack", "?"),
                                 facts.get("spill", "?"), heap, indirect))
    names = demangle(sorted({r[2] for r in rows}))
    header = ("arch", "opt", "kernel", "heap calls", "indirect calls", "registers",
              "stack bytes", "spill bytes", "module heap calls", "module indirect calls")
    table = [header] + [r[:2] + (names[r[2]],) + r[3:] for r in rows]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in table[1:]:
            print("| " + " | ".join(str(c) for c in row) + " |")
    else:
        widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
        for row in table:
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    print("ptx facts: " + ("no heap call and no indirect call in any PTX module"
                           if clean else "HEAP CALLS, INDIRECT CALLS OR COROPTX WARNINGS FOUND"))
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
