#!/usr/bin/env python3
"""Run upstream LLVM's coroutine tests through the coroptx pass plugin, for NVPTX.

Robustness check: every .ll input of LLVM's own coroutine tests
(llvm/test/Transforms/Coroutines in llvm-project) must go through the coroptx
pass plugin, with an nvptx64 triple, without crashing a pass and without
leaving a module that fails the IR verifier. The inputs are not part of this
repository; point the script at a folder that holds them.

For each file the script
  1. retargets it to NVPTX: drops its `target datalayout` and `target triple`
     lines and puts `target triple = "nvptx64-nvidia-cuda"` first;
  2. checks that plain `opt -passes=verify` (no plugin) accepts it. Tests
     written for another LLVM version than the installed one may fail here;
     a few mechanical IR-version adaptations are tried before giving up (see
     adapt_for_installed_llvm); a file that still does not parse or verify is
     "out of scope" in every pipeline;
  3. runs four pipelines with the plugin, each with -verify-each:
       O2            -passes='default<O2>'
       O0            -passes='default<O0>'
       passes-alone  only the coroptx passes (see CORO_PASSES)
       O2-pinned     default<O2> on a copy whose defined functions are all in
                     @llvm.used. The tests have no kernels, so at O2 the
                     closed-world pass internalizes every function and
                     GlobalDCE drops them; pinning keeps them, so CoroSplit,
                     the transfer loop, devirtualization and the lowering
                     verifier really see the coroutines.
     and, for O2, O0 and O2-pinned, the same pipeline without the plugin
     (for O0 also plain -O1, which coroptx runs at -O0 on device modules
     with coroutines), to tell coroptx's problems from LLVM's own.

Outcomes, per file and pipeline:
  lowered           opt exited 0: no crash, the module verified after every
                    pass, and the coroptx verifier had nothing to report.
  rejected          opt failed with a `coroptx:` error: the lowering verifier
                    names a coroutine whose frame would need the heap, or an
                    indirect call it could not remove. This is the intended
                    diagnostic, not a robustness failure.
  out of scope      the input does not work before coroptx runs: it does not
                    parse or verify for NVPTX with the installed LLVM, or the
                    same pipeline without the plugin also crashes or fails,
                    with no coroptx frame in the plugin run's stack.
  CRASH             a signal, "PLEASE submit a bug report", an assertion, a
                    fatal error or a timeout that the plain pipeline does not
                    have (or whose stack names the plugin).
  VERIFIER FAILURE  the plugin run leaves a module that fails verification
                    where the plain pipeline's does not.

The script prints one summary line per pipeline,
  <pipeline>: N files: L lowered, R rejected, S out of scope, C crashed,
  V verifier failures
then a per-file table (markdown with --markdown) and, for every crash or
verifier failure, the command that reproduces it. It exits 1 if any pipeline
crashed or failed verification, 0 otherwise (2 on usage errors).

Usage:
  run_llvm_coroutine_tests.py DIR [--opt OPT] [--plugin SO] [--timeout S]
                              [--jobs N] [--markdown] [--json FILE]
                              [--work-dir DIR] [--pipelines LIST]

Standard library only; Python 3.11.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

NVPTX_TRIPLE = 'target triple = "nvptx64-nvidia-cuda"'

# The coroptx passes by their registered names (passes/Pipeline.cpp,
# registerCoroPTXPassNames), in the order the plugin's pipeline runs them.
CORO_PASSES = ",".join([
    "coroptx-in-place-arguments",
    "coroptx-inline-awaited-factories",
    "coroptx-closed-world",
    "function(coroptx-awaiter-attributes)",
    "coroptx-frame-report",
    "coroptx-transfer-loop",
    "coroptx-devirtualize",
    "coroptx-place-local-frames",
    "coroptx-dead-dispatch-arms",
    "coroptx-verify",
])

# name -> (pipeline text, input variant, pipelines to run without the plugin
# to tell LLVM's own failures from coroptx's). At -O0 coroptx runs the -O1
# pipeline on device modules with coroutines, so -O0 is also compared with
# plain -O1.
PIPELINES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "O2": ("default<O2>", "nvptx", ("default<O2>",)),
    "O0": ("default<O0>", "nvptx", ("default<O0>", "default<O1>")),
    "passes-alone": (CORO_PASSES, "nvptx", ()),
    "O2-pinned": ("default<O2>", "pinned", ("default<O2>",)),
}

LOWERED = "lowered"
REJECTED = "rejected"
OUT_OF_SCOPE = "out of scope"
CRASH = "CRASH"
VERIFIER_FAILURE = "VERIFIER FAILURE"
OUTCOMES = (LOWERED, REJECTED, OUT_OF_SCOPE, CRASH, VERIFIER_FAILURE)

TARGET_LINE = re.compile(r"^\s*target\s+(datalayout|triple)\s*=")
DEFINE_NAME = re.compile(
    r'^define\b[^@]*@("(?:[^"\\]|\\.)*"|[-\w.$]+)\s*\(')
BROKEN = re.compile(r"Broken (?:module|function) found|input module is broken")
BROKEN_AFTER_PASS = re.compile(r'Broken (?:module|function) found after pass "([^"]+)"')
STACK_FRAME = re.compile(r"^\s*#\d+ ")
PASS_FRAME = re.compile(r"\b((?:llvm|coroptx)::[\w:<>, ]*?\w*Pass)::run\(")
WHILE_LINE = re.compile(r"^\d+\.\s+(While .*)$", re.M)
PLUGIN_RUNNING_PASS = re.compile(
    r'^\d+\.\s+Running pass "((?:coroptx::|\{anonymous\}::)\w+)"', re.M)
CRASH_MARKERS = ("PLEASE submit a bug report", "Assertion `", "Stack dump:",
                 "LLVM ERROR:", "UNREACHABLE executed")
PLUGIN_FRAME_MARKERS = ("CoroPTXPasses", "coroptx::")  # in stack frames


# --------------------------------------------------------------------------
# Preparing the inputs


def retarget(text: str) -> str:
    """The file with its target lines replaced by the NVPTX triple.

    The triple goes first: LLParser rejects a `target` line after the first
    definition."""
    lines = [line for line in text.splitlines(keepends=True)
             if not TARGET_LINE.match(line)]
    return NVPTX_TRIPLE + "\n" + "".join(lines)


def _split_args(args: str) -> list[str]:
    """Top-level comma-separated operands of a call."""
    out, depth, cur = [], 0, []
    for ch in args:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def _closing_paren(text: str, open_index: int) -> int:
    depth = 0
    for i in range(open_index, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


CORO_END_CALL = re.compile(
    r"^(?P<indent>\s*)(?:(?P<name>%(?:\"[^\"]*\"|[-\w.$]+))\s*=\s*)?"
    r"(?P<tail>(?:tail |musttail |notail )?)call\s+i1\s*(?:\([^)]*\)\s*)?"
    r"@llvm\.coro\.end\(")
CORO_END_DECL = re.compile(r"^declare\b[^@]*\bi1\s+@llvm\.coro\.end\(")
CORO_END_ASYNC = re.compile(
    r"^(?P<indent>\s*)(?:(?P<name>%(?:\"[^\"]*\"|[-\w.$]+))\s*=\s*)?"
    r"(?P<call>(?:tail |musttail |notail )?call\s+)i1(?P<rest>\s*(?:\([^)]*\)\s*)?"
    r"@llvm\.coro\.end\.async\(.*)$")
CORO_END_ASYNC_DECL = re.compile(
    r"^(?P<head>declare\b[^@]*)\bi1(?P<rest>\s+@llvm\.coro\.end\.async\(.*)$")
IS_IN_RESUME = re.compile(
    r"^(?P<indent>\s*)(?P<name>%(?:\"[^\"]*\"|[-\w.$]+))\s*=\s*"
    r"(?:tail\s+)?call\s+i1\s+@llvm\.coro\.is_in_resume\(\)(?P<rest>.*)$")


def adapt_for_installed_llvm(text: str) -> tuple[str, list[str]]:
    """Mechanical IR-version adaptations, for files written for another LLVM.

    Tried only when the retargeted file does not verify as it is.
      * `llvm.coro.end` used to return i1 (true outside the ramp) and take
        its results as varargs. LLVM 22's is `void (ptr, i1, token)`, with
        results in `llvm.coro.end.results`. Its auto-upgrade handles an
        unnamed two-operand call but not a named result, an explicit token
        operand or extra results. Rewritten: the call becomes the void form,
        extra operands go into `llvm.coro.end.results`, and a named result
        becomes `xor (llvm.coro.is_in_ramp()), true`.
      * `llvm.coro.end.async` likewise returned i1 and is void in LLVM 22.
      * newer LLVM's `llvm.coro.is_in_resume()` becomes
        `xor (llvm.coro.is_in_ramp()), true`.
    Returns the adapted text and the names of the adaptations made."""
    out: list[str] = []
    done: set[str] = set()
    results_counter = 0

    def not_in_ramp(indent: str, name: str) -> list[str]:
        """`name = !llvm.coro.is_in_ramp()`, what the old i1 results meant."""
        ramp = f"%coro.in.ramp.{len(out)}"
        return [f"{indent}{ramp} = call i1 @llvm.coro.is_in_ramp()\n",
                f"{indent}{name} = xor i1 {ramp}, true\n"]

    for line in text.splitlines(keepends=True):
        eol = "\n" if line.endswith("\n") else ""
        body = line[:-1] if eol else line
        if body.lstrip().startswith(";"):
            out.append(line)
            continue
        if CORO_END_DECL.match(body):
            rest = body[_closing_paren(body, body.index("@llvm.coro.end(") +
                                       len("@llvm.coro.end")) + 1:]
            out.append("declare void @llvm.coro.end(ptr, i1, token)" + rest + eol)
            done.add("coro.end")
            continue
        m = CORO_END_ASYNC_DECL.match(body)
        if m:
            out.append(f"{m['head']}void{m['rest']}{eol}")
            done.add("coro.end")
            continue
        m = CORO_END_ASYNC.match(body)
        if m:
            out.append(f"{m['indent']}{m['call']}void{m['rest']}{eol}")
            if m["name"]:
                out.extend(not_in_ramp(m["indent"], m["name"]))
            done.add("coro.end")
            continue
        if body.startswith("declare") and "@llvm.coro.is_in_resume(" in body:
            done.add("is_in_resume")
            continue
        m = IS_IN_RESUME.match(body)
        if m:
            ramp = f"%coro.in.ramp.{len(out)}"
            out.append(f"{m['indent']}{ramp} = call i1 @llvm.coro.is_in_ramp()"
                       f"{m['rest']}\n")
            out.append(f"{m['indent']}{m['name']} = xor i1 {ramp}, true{eol}")
            done.add("is_in_resume")
            continue
        m = CORO_END_CALL.match(body)
        if not m:
            out.append(line)
            continue
        open_index = m.end() - 1
        close = _closing_paren(body, open_index)
        if close < 0:                      # a call over several lines: leave it
            out.append(line)
            continue
        args = _split_args(body[open_index + 1:close])
        rest = body[close + 1:]
        indent = m["indent"]
        if len(args) == 2:
            token = "token none"
        elif len(args) == 3 and args[2].startswith("token"):
            token = args[2]
        else:
            results_counter += 1
            results = f"%coro.end.results.{results_counter}"
            out.append(f"{indent}{results} = call token (...) "
                       f"@llvm.coro.end.results({', '.join(args[2:])})\n")
            token = f"token {results}"
            done.add("coro.end.results")
        out.append(f"{indent}{m['tail']}call void @llvm.coro.end("
                   f"{args[0]}, {args[1]}, {token}){rest}" +
                   ("\n" if m["name"] else eol))
        if m["name"]:
            out.extend(not_in_ramp(indent, m["name"]))
        done.add("coro.end")
    adapted = "".join(out)
    if not adapted.endswith("\n"):
        adapted += "\n"
    if "@llvm.coro.is_in_ramp()" in adapted and \
            not re.search(r"^declare\b.*@llvm\.coro\.is_in_ramp\(", adapted, re.M):
        adapted += "declare i1 @llvm.coro.is_in_ramp()\n"
    if "coro.end.results" in done and \
            not re.search(r"^declare\b.*@llvm\.coro\.end\.results\(", adapted, re.M):
        adapted += "declare token @llvm.coro.end.results(...)\n"
    names = []
    if "coro.end" in done:
        names.append("coro.end in LLVM 22 form")
    if "is_in_resume" in done:
        names.append("coro.is_in_resume as !coro.is_in_ramp")
    return adapted, names


def pin_definitions(text: str) -> str | None:
    """The module with every defined function in @llvm.used (or in
    @llvm.compiler.used, when the module has an @llvm.used of its own), or
    None when it defines no function or has both."""
    names = [m.group(1) for m in map(DEFINE_NAME.match, text.splitlines()) if m]
    if not names:
        return None
    for array in ("llvm.used", "llvm.compiler.used"):
        if not re.search(rf"^@{re.escape(array)}\s*=", text, re.M):
            break
    else:
        return None
    refs = ", ".join(f"ptr @{n}" for n in names)
    return (text + ("" if text.endswith("\n") else "\n") +
            f'@{array} = appending global [{len(names)} x ptr] [{refs}], '
            f'section "llvm.metadata"\n')


def coroutine_abi(text: str) -> str:
    """Which coroutine lowering the test exercises (for the table)."""
    kinds = []
    if "@llvm.coro.id.async(" in text:
        kinds.append("async (Swift)")
    if "@llvm.coro.id.retcon.once(" in text:
        kinds.append("retcon.once (Swift)")
    if "@llvm.coro.id.retcon.once.dynamic(" in text:
        kinds.append("retcon.once.dynamic (Swift)")
    if re.search(r"@llvm\.coro\.id\.retcon\(", text):
        kinds.append("retcon (Swift)")
    if re.search(r"@llvm\.coro\.id\(", text):
        kinds.append("switch (C++)")
    flags = []
    if re.search(r"\b(cleanuppad|catchswitch|catchpad)\b", text):
        flags.append("WinEH funclets")
    if re.search(r"\bswift(tail)?cc\b|\bswiftasync\b|\bswifterror\b", text):
        flags.append("Swift CC/attrs")
    return ", ".join(kinds or ["coro intrinsics, no coroutine"]) + \
        (f" [{', '.join(flags)}]" if flags else "")


# --------------------------------------------------------------------------
# Running opt


@dataclasses.dataclass
class Run:
    cmd: list[str]
    rc: int | None          # None: timed out
    output: str

    @property
    def ok(self) -> bool:
        return self.rc == 0

    @property
    def timed_out(self) -> bool:
        return self.rc is None

    @property
    def crashed(self) -> bool:
        if self.timed_out:
            return False
        if self.rc < 0 or self.rc >= 128:
            return True
        return any(m in self.output for m in CRASH_MARKERS)

    @property
    def broken(self) -> bool:
        return bool(BROKEN.search(self.output))

    @property
    def in_plugin(self) -> bool:
        """Whether the crash stack has a frame in the plugin."""
        return any(STACK_FRAME.match(line) and
                   any(m in line for m in PLUGIN_FRAME_MARKERS)
                   for line in self.output.splitlines())

    def coroptx_errors(self) -> list[str]:
        return [line.strip() for line in self.output.splitlines()
                if "coroptx:" in line and "error" in line]

    def cmd_pipeline(self) -> str:
        """The -passes argument of the command, for messages."""
        for arg in self.cmd:
            if arg.startswith("-passes="):
                return "opt " + arg
        return "opt"

    def first_error(self) -> str:
        for line in self.output.splitlines():
            s = line.strip()
            if not s or s.startswith("#") or s[0].isdigit() or \
                    s.startswith(("Stack dump", "PLEASE", "Program arguments")):
                continue
            return s
        return f"exit status {self.rc}"

    def pass_in_trouble(self) -> str:
        """The pass after which the module was broken, or the innermost pass
        on the crash stack (with LLVM's "While ..." context, if any)."""
        m = BROKEN_AFTER_PASS.search(self.output)
        if m:
            # A plugin pass that runs other passes itself (DevirtualizeAndInline,
            # the -O1 pipeline of -O0) hides them from -verify-each: the break
            # shows after the next pass that is instrumented.
            outer = PLUGIN_RUNNING_PASS.search(self.output)
            inside = outer and outer.group(1) != m.group(1)
            return m.group(1) + (f", inside {outer.group(1)}" if inside else "")
        for line in self.output.splitlines():
            if not STACK_FRAME.match(line):
                continue
            frame = PASS_FRAME.search(line)
            if frame and "PassManager" not in frame.group(1) and \
                    "Adaptor" not in frame.group(1):
                name = frame.group(1)
                context = WHILE_LINE.search(self.output)
                return name + (f" ({context.group(1)})" if context else "")
        return "unknown"


def run_opt(cmd: list[str], timeout: float) -> Run:
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace", timeout=timeout)
        return Run(cmd, p.returncode, p.stdout)
    except subprocess.TimeoutExpired as e:
        out = e.output if isinstance(e.output, str) else \
            (e.output or b"").decode(errors="replace")
        return Run(cmd, None, out)


def short(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^\S*opt(-\d+)?: ", "", text)
    # Paths of the prepared copies say nothing; keep the file's own name.
    text = re.sub(r"\S*/(?=[^/\s]+\.ll\b)", "", text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --------------------------------------------------------------------------
# Classification


@dataclasses.dataclass
class Verdict:
    outcome: str
    reason: str = ""
    run: Run | None = None       # the plugin run, kept for crash reports
    plain: Run | None = None


def classify(plugin: Run, plains: list[Run], timeout: float) -> Verdict:
    """The outcome of a plugin run, given the same input through the
    comparison pipelines without the plugin."""
    failed = [p for p in plains if not p.ok]
    plain = failed[0] if failed else (plains[0] if plains else None)
    if plugin.timed_out:
        if any(p.timed_out for p in plains):
            return Verdict(OUT_OF_SCOPE, "LLVM itself does not finish within "
                           f"{timeout:g}s without the plugin", plugin, plain)
        return Verdict(CRASH, f"timeout after {timeout:g}s (hang)", plugin, plain)
    if plugin.ok:
        note = "" if not failed else \
            "without the plugin it fails: " + short(failed[0].first_error(), 100)
        return Verdict(LOWERED, note, plugin, plain)
    if plugin.broken:
        broken = [p for p in failed if p.broken]
        if broken:
            return Verdict(OUT_OF_SCOPE, "LLVM's own passes break the module "
                           "without the plugin too (" + broken[0].cmd_pipeline() +
                           ")", plugin, broken[0])
        return Verdict(VERIFIER_FAILURE, f"after pass {plugin.pass_in_trouble()}: " +
                       short(plugin.first_error()), plugin, plain)
    if plugin.crashed:
        if failed and not plugin.in_plugin:
            return Verdict(OUT_OF_SCOPE, "LLVM crashes without the plugin too (" +
                           failed[0].cmd_pipeline() + ", in " +
                           failed[0].pass_in_trouble() + "): " +
                           short(failed[0].first_error(), 100), plugin, failed[0])
        return Verdict(CRASH, f"in pass {plugin.pass_in_trouble()}: " +
                       short(plugin.first_error()), plugin, plain)
    errors = plugin.coroptx_errors()
    if errors:
        return Verdict(REJECTED, summarize_diagnostics(errors), plugin, plain)
    if failed:
        return Verdict(OUT_OF_SCOPE, "fails without the plugin too (" +
                       failed[0].cmd_pipeline() + "): " +
                       short(failed[0].first_error()), plugin, failed[0])
    return Verdict(CRASH, "fails only with the plugin, without a coroptx "
                   "diagnostic: " + short(plugin.first_error()), plugin, plain)


def summarize_diagnostics(errors: list[str]) -> str:
    """The coroptx errors, shortened to what they are about."""
    items = []
    for e in errors:
        text = e.split("coroptx:", 1)[1].strip()
        m = re.search(r"frame of device coroutine '([^']+)' would be allocated "
                      r"on the heap", text)
        if m:
            items.append(f"heap frame: {m.group(1)}")
            continue
        m = re.search(r"indirect call remains in device function '([^']+)'", text)
        if m:
            items.append(f"indirect call in {m.group(1)}")
            continue
        items.append(short(text, 100))
    unique = list(dict.fromkeys(items))
    shown = "; ".join(unique[:4])
    return shown + (f"; +{len(unique) - 4} more" if len(unique) > 4 else "")


def baseline_reason(run: Run) -> str:
    """Why a file does not parse or verify for NVPTX with the installed LLVM."""
    out = run.output
    m = re.search(r"unknown intrinsic '([^']+)'", out)
    if m:
        return f"uses {m.group(1)}, which the installed LLVM does not have " \
               "(test written for a newer LLVM)"
    if "swiftcorocc" in out:
        return "uses the swiftcorocc calling convention, which the installed " \
               "LLVM does not have (test written for a newer LLVM)"
    m = re.search(r"^(Intrinsic has incorrect [\w ]+)!\n(?:ptr|\w+\*?) (@[\w.]+)",
                  out, re.M)
    if m:
        return f"{m.group(1)} for {m.group(2)} (its signature differs between " \
               "LLVM versions; the installed LLVM has another)"
    if run.crashed:
        return "the installed LLVM's parser aborts on it: " + short(run.first_error())
    return "does not parse or verify with the installed LLVM: " + \
        short(run.first_error())


# --------------------------------------------------------------------------
# Driving


@dataclasses.dataclass
class FileResult:
    name: str
    abi: str
    adaptations: list[str]
    verdicts: dict[str, Verdict]


def process(path: Path, args: argparse.Namespace, work: Path) -> FileResult:
    original = path.read_text(encoding="utf-8", errors="replace")
    abi = coroutine_abi(original)
    nvptx = work / "nvptx" / path.name
    nvptx.write_text(retarget(original), encoding="utf-8")
    verify = [args.opt, "-passes=verify", "-disable-output", str(nvptx)]
    base = run_opt(verify, args.timeout)
    adaptations: list[str] = []
    if not base.ok:
        adapted, names = adapt_for_installed_llvm(nvptx.read_text(encoding="utf-8"))
        if names:
            candidate = work / "adapted" / path.name
            candidate.write_text(adapted, encoding="utf-8")
            retry = run_opt([args.opt, "-passes=verify", "-disable-output",
                             str(candidate)], args.timeout)
            if retry.ok:
                nvptx, adaptations = candidate, names
            base = retry
    verdicts: dict[str, Verdict] = {}
    if not base.ok:
        reason = baseline_reason(base)
        for name in args.pipelines:
            verdicts[name] = Verdict(OUT_OF_SCOPE, reason, None, base)
        return FileResult(path.name, abi, adaptations, verdicts)

    inputs = {"nvptx": nvptx}
    pinned_text = pin_definitions(nvptx.read_text(encoding="utf-8"))
    if pinned_text is not None:
        pinned = work / "pinned" / path.name
        pinned.write_text(pinned_text, encoding="utf-8")
        inputs["pinned"] = pinned
    for name in args.pipelines:
        pipeline, variant, plain_pipelines = PIPELINES[name]
        if variant not in inputs:
            verdicts[name] = Verdict(OUT_OF_SCOPE, "nothing to pin: no function "
                                     "definition, or both @llvm.used and "
                                     "@llvm.compiler.used already there")
            continue
        target = str(inputs[variant])
        plugin = run_opt([args.opt, f"-load-pass-plugin={args.plugin}",
                          f"-passes={pipeline}", "-verify-each",
                          "-disable-output", target], args.timeout)
        plains = [run_opt([args.opt, f"-passes={p}", "-verify-each",
                           "-disable-output", target], args.timeout)
                  for p in plain_pipelines]
        verdicts[name] = classify(plugin, plains, args.timeout)
    return FileResult(path.name, abi, adaptations, verdicts)


def quote(arg: str) -> str:
    return arg if re.fullmatch(r"[-\w./=:@,+]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


def summary_line(results: list[FileResult], pipeline: str) -> str:
    counts = {o: 0 for o in OUTCOMES}
    for r in results:
        counts[r.verdicts[pipeline].outcome] += 1
    return (f"{pipeline}: {len(results)} files: {counts[LOWERED]} lowered, "
            f"{counts[REJECTED]} rejected, {counts[OUT_OF_SCOPE]} out of scope, "
            f"{counts[CRASH]} crashed, {counts[VERIFIER_FAILURE]} verifier failures")


def cell(v: Verdict) -> str:
    return v.outcome + (f": {v.reason}" if v.reason else "")


def print_table(results: list[FileResult], pipelines: list[str],
                markdown: bool) -> None:
    header = ["file", "coroutine ABI", "input"] + pipelines
    rows = [[r.name, r.abi, "; ".join(["adapted: " + a for a in r.adaptations])
             or "as is"] + [cell(r.verdicts[p]) for p in pipelines]
            for r in results]
    if markdown:
        def esc(s: str) -> str:
            return s.replace("|", "\\|")
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(esc(c) for c in row) + " |")
        return
    for row in rows:
        print(row[0])
        for title, value in zip(header[1:], row[1:]):
            print(f"    {title:14} {value}")


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        usage="%(prog)s DIR [--opt OPT] [--plugin SO] [--timeout S] [--jobs N] "
              "[--markdown] [--json FILE] [--work-dir DIR] [--pipelines LIST]")
    parser.add_argument("dir", type=Path, help="folder with the upstream .ll files")
    parser.add_argument("--opt", default=shutil.which("opt-22") or
                        "/usr/lib/llvm-22/bin/opt", help="opt of the LLVM the "
                        "plugin was built against (default: %(default)s)")
    parser.add_argument("--plugin", default=os.environ.get(
        "COROPTX_PLUGIN", str(here.parents[1] / "build/lib/CoroPTXPasses.so")),
        help="the coroptx pass plugin (default: $COROPTX_PLUGIN or "
             "build/lib/CoroPTXPasses.so)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds per opt run (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="files processed in parallel (default: %(default)s)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the per-file table as markdown")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--work-dir", type=Path, help="keep the retargeted "
                        "inputs here (default: a temporary folder, kept only "
                        "when something crashed)")
    parser.add_argument("--pipelines", default=",".join(PIPELINES),
                        help="comma-separated subset of: " + ", ".join(PIPELINES))
    args = parser.parse_args(argv)
    args.pipelines = [p for p in args.pipelines.split(",") if p]
    unknown = [p for p in args.pipelines if p not in PIPELINES]
    if unknown:
        parser.error(f"unknown pipeline(s): {', '.join(unknown)}")
    if not args.dir.is_dir():
        parser.error(f"{args.dir} is not a folder")
    for tool in (args.opt, args.plugin):
        if not Path(tool).is_file():
            parser.error(f"{tool} does not exist")
    files = sorted(args.dir.glob("*.ll"))
    if not files:
        parser.error(f"no .ll files in {args.dir}")

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="coroptx-upstream-"))
    for sub in ("nvptx", "adapted", "pinned"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    # Run a copy of the plugin, so that a rebuild during the run cannot mix
    # two versions (or catch the file half written).
    plugin_copy = work / Path(args.plugin).name
    shutil.copyfile(args.plugin, plugin_copy)
    print(f"plugin: {args.plugin} (run from the copy {plugin_copy})")
    args.plugin = str(plugin_copy)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda f: process(f, args, work), files))

    for p in args.pipelines:
        print(summary_line(results, p))
    print()
    print_table(results, args.pipelines, args.markdown)

    failures = [(r, p, r.verdicts[p]) for r in results for p in args.pipelines
                if r.verdicts[p].outcome in (CRASH, VERIFIER_FAILURE)]
    if failures:
        print(f"\n{len(failures)} crash(es)/verifier failure(s); reproduce with:")
        for r, p, v in failures:
            print(f"\n## {r.name} [{p}] {v.outcome}: {v.reason}")
            print("$ " + " ".join(quote(a) for a in v.run.cmd))
            tail = v.run.output.strip().splitlines()[-25:]
            print("\n".join("    " + line for line in tail))
        print(f"\nretargeted inputs kept in {work}")
    elif args.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        args.json.write_text(json.dumps({
            "opt": args.opt, "plugin": args.plugin,
            "pipelines": {p: PIPELINES[p][0] for p in args.pipelines},
            "summary": [summary_line(results, p) for p in args.pipelines],
            "files": [{"name": r.name, "abi": r.abi, "adaptations": r.adaptations,
                       "outcomes": {p: {"outcome": v.outcome, "reason": v.reason}
                                    for p, v in r.verdicts.items()}}
                      for r in results]}, indent=1) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
