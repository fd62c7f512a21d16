#!/usr/bin/env python3
"""Re-records every fixture the tests compare against from the PyTorch installed here.

- `Tests/Conformance/cases/*.expected.json` and `recorder/tests/programs/*.expected.json`: what
  `python3 CASE.py` did (stdout, exit code, last stderr line, raising line). A hand-written
  `culprit_line` is kept. Printed floats may differ in the last digit with the matrix-product kernel
  MKL runs (see docs/testing.md): the text of an Intel CPU with AVX-512 is the case's own `stdout`,
  and any other machine's text, where it differs, sits under `"other"`. Each machine rewrites only
  its own kernel's text and keeps the other one.
- `Tests/DebuggerTests/Traces/NAME.tdt`: `python3 -m tapedeck_torch NAME.py -o ...` in the cases folder.
- `samples/NAME.tdt`: `tapedeck record samples/NAME.py -o samples/NAME.tdt` from the repository root
  (`--tapedeck` names the binary; scripts/regenerate-fixtures.sh builds it).

A trace counts as changed only when more than its tensors' values and printed text changed: values
may differ in the last bit between CPUs (and `torch.empty` fills them with whatever memory held), and
so may printed floats. With `--check` nothing is written: it lists every fixture that differs from
a fresh recording and exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "Tests" / "Conformance" / "cases"
PROGRAMS = REPO / "recorder" / "tests" / "programs"
TRACES = REPO / "Tests" / "DebuggerTests" / "Traces"
SAMPLES = REPO / "samples"
OTHER_KERNEL = "other"  # MKLKernel.other's raw value in Sources/Autograd/MKLKernel.swift
AVX512_FLAGS = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}


def mkl_kernel() -> str:
    """The MKL kernel this machine runs, by the rule of Sources/Autograd/MKLKernel.swift."""
    try:
        first_cpu = Path("/proc/cpuinfo").read_text().split("\n\n")[0]
    except OSError:
        return OTHER_KERNEL
    fields = dict(line.split(":", 1) for line in first_cpu.splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    has_avx512 = AVX512_FLAGS <= set(fields.get("flags", "").split())
    limit = os.environ.get("MKL_ENABLE_INSTRUCTIONS", "AVX512").upper()
    allows_avx512 = limit.startswith(("AVX512", "AVX10"))
    return "intel_avx512" if fields.get("vendor_id") == "GenuineIntel" and has_avx512 and allows_avx512 else OTHER_KERNEL


def run_case(program: Path) -> dict[str, Any]:
    """What `python3 PROGRAM` did, in the fields of an expected.json."""
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    proc = subprocess.run([sys.executable, program.name], cwd=program.parent, capture_output=True, text=True,
                          timeout=300, env=env, check=False)
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    line = None
    for match in re.finditer(r'File "([^"]+)", line (\d+)', proc.stderr):
        if os.path.basename(match.group(1)) == program.name:
            line = int(match.group(2))
    failed = proc.returncode != 0
    return {"stdout": proc.stdout, "exit_code": proc.returncode,
            "error": (errors[-1] if errors else "") if failed else None, "error_line": line if failed else None}


def merged_expectation(old: dict[str, Any] | None, run: dict[str, Any], kernel: str) -> dict[str, Any]:
    """`run` written into `old` as this machine's kernel's text, keeping culprit_line and the other kernel's text."""
    new = dict(run)
    if old is None:
        return new
    if "culprit_line" in old:
        new["culprit_line"] = old["culprit_line"]
    if kernel == OTHER_KERNEL:
        new["stdout"] = old["stdout"]
        if run["stdout"] != old["stdout"]:
            new[OTHER_KERNEL] = {"stdout": run["stdout"]}
    elif OTHER_KERNEL in old and old[OTHER_KERNEL]["stdout"] != run["stdout"]:
        new[OTHER_KERNEL] = old[OTHER_KERNEL]
    return new


def expectation_text(expected: dict[str, Any]) -> str:
    return json.dumps(expected, indent=1, sort_keys=True) + "\n"


def without_values(item: Any) -> Any:
    """`item` with every `val` field left out."""
    if isinstance(item, dict):
        return {key: without_values(value) for key, value in item.items() if key != "val"}
    if isinstance(item, list):
        return [without_values(value) for value in item]
    return item


def cpu_independent(event: Any) -> Any:
    """`event` without what may differ between CPUs: tensor values, and the text a `print` event
    holds (printed floats follow MKL's kernel; the recorder tests compare that text with a plain run)."""
    event = without_values(event)
    if isinstance(event, dict) and event.get("k") == "print":
        event.pop("text", None)
    return event


def trace_events(text: bytes) -> list[Any]:
    """A trace's lines (header first) as JSON objects without their CPU-dependent parts: what a fixture
    must keep to count as current (recorder/tests/test_conformance.py compares committed traces by it)."""
    return [cpu_independent(json.loads(line)) for line in text.decode().splitlines() if line.strip()]


def same_trace(old: bytes, new: bytes) -> bool:
    """Whether two traces hold the same events, values and printed text aside."""
    try:
        return trace_events(old) == trace_events(new)
    except ValueError:
        return False


def record_trace(program: Path, trace: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO / "recorder") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    subprocess.run([sys.executable, "-m", "tapedeck_torch", program.name, "-o", str(trace)], cwd=program.parent,
                   capture_output=True, timeout=300, env=env, check=False)


def record_sample(tapedeck: str, program: Path, trace: Path) -> None:
    subprocess.run([tapedeck, "record", str(program.relative_to(REPO)), "-o", str(trace)], cwd=REPO,
                   capture_output=True, timeout=300, check=False)


def regenerate(check: bool, tapedeck: str | None, names: set[str], samples_only: bool = False) -> list[Path]:
    """Re-records every fixture (only those of programs named in `names` when it is not empty, only
    samples/*.tdt with `samples_only`); returns those that changed (with `check`, leaves them as they are)."""
    kernel = mkl_kernel()
    changed: list[Path] = []

    def wanted(path: Path) -> bool:
        return not names or path.name.split(".")[0] in names

    def update(target: Path, fresh: Callable[[Path], None], same: Callable[[bytes, bytes], bool] = bytes.__eq__) -> None:
        with tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder) / target.name
            fresh(scratch)
            text = scratch.read_bytes() if scratch.exists() else b""
        if not target.exists() or not same(target.read_bytes(), text):
            changed.append(target)
            if not check:
                target.write_bytes(text)

    for folder in () if samples_only else (CASES, PROGRAMS):
        for program in filter(wanted, sorted(folder.glob("*.py"))):
            target = program.with_suffix(".expected.json")
            old = json.loads(target.read_text()) if target.exists() else None
            expected = merged_expectation(old, run_case(program), kernel)
            update(target, lambda scratch, e=expected: scratch.write_text(expectation_text(e)))
    for trace in filter(wanted, [] if samples_only else sorted(TRACES.glob("*.tdt"))):
        update(trace, lambda scratch, t=trace: record_trace(CASES / (t.stem + ".py"), scratch), same_trace)
    if tapedeck is not None:
        for trace in filter(wanted, sorted(SAMPLES.glob("*.tdt"))):
            update(trace, lambda scratch, t=trace: record_sample(tapedeck, t.with_suffix(".py"), scratch), same_trace)
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a fixture is stale")
    parser.add_argument("--tapedeck", help="the tapedeck binary that records samples/*.tdt (skipped without it)")
    parser.add_argument("--samples-only", action="store_true",
                        help="only samples/*.tdt, which need no PyTorch (ExplainCommandTests checks them so)")
    parser.add_argument("names", nargs="*", help="only the fixtures of these programs (file names without .py)")
    args = parser.parse_args()
    if args.samples_only and args.tapedeck is None:
        parser.error("--samples-only needs --tapedeck, the binary that records the samples")
    changed = regenerate(args.check, args.tapedeck, set(args.names), args.samples_only)
    for path in changed:
        print(("stale: " if args.check else "rewrote: ") + str(path.relative_to(REPO)))
    print(f"{len(changed)} fixture(s) {'stale' if args.check else 'rewritten'} (MKL kernel here: {mkl_kernel()})")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
