"""Command line: python3 -m tapedeck_torch [OPTIONS] SCRIPT [ARGS...] [-o OUT]"""

import os
import sys
from typing import NamedTuple

from .distributed import rank_path
from .recording import run_program

USAGE = """usage: python3 -m tapedeck_torch [-o OUT.tdt] [--values N] [--keep-steps N] [--max-steps N]
                              [--max-memory MIB] [--no-trace] [--native | --prefer-native]
                              SCRIPT.py [ARGS...] [-o OUT.tdt]

Runs SCRIPT.py as __main__ with ARGS and records it into a tapedeck trace (default SCRIPT.tdt).
A trailing `-o OUT` after the script's arguments is taken by the recorder, not the script.
  -o, --output OUT   trace file to write (under torchrun, one per rank: OUT.rankN.tdt)
  --values N         preview the values of tensors with at most N elements (default 64, 0 = off)
  --keep-steps N     keep only the last N steps (each optimizer.step(), or each backward() in a
                     program without an optimizer) and the step running at the end; the trace
                     says what was dropped (default: keep everything)
  --max-steps N      stop the program after N lines of its own files executed (default: no limit;
                     tapedeck passes its own --max-steps)
  --max-memory MIB   stop the program once it holds more than MIB MiB (resident, and a limit on
                     its data segment; default: no limit); a stopped run exits 1, its trace ending
                     with a tapedeck.BudgetExceeded error
  --no-trace         run SCRIPT.py as python3 would, with the budgets, and write no trace
  --native           record through the C++ core (built on first use; needs a C++ compiler and
                     ninja): several times cheaper per op, value previews of CPU and GPU
                     tensors alike; stops with a message at what it does not support (a custom autograd
                     Function's node made before the recording started)
  --prefer-native    record through the C++ core where it can be built, else through the Python
                     recorder, saying why on stderr (what `tapedeck` asks for unless --recorder names one)"""


class Options(NamedTuple):
    """The command line, parsed."""

    script: str
    args: list[str]
    output: str | None
    """The trace to write, None under `--no-trace`."""
    values: int = 64
    keep_steps: int | None = None
    max_steps: int | None = None
    max_memory: int | None = None
    """Bytes."""
    native: bool = False
    """`--native`: the C++ core or nothing (exit 2 where it cannot be built)."""
    prefer_native: bool = False
    """`--prefer-native`: the C++ core where it can be built, else the Python recorder."""


def _integer(option: str, text: str, least: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError("%s expects an integer, got %r" % (option, text)) from None
    if least is not None and value < least:
        raise ValueError("%s expects at least %d, got %d" % (option, least, value))
    return value


def parse(argv: list[str]) -> Options:
    """The options of the command line; raises ValueError on bad usage."""
    output = None
    values = 64
    keep_steps = None
    max_steps = None
    max_memory = None
    trace = True
    native = False
    prefer_native = False
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        option = argv[i]
        if option in ("-h", "--help"):
            raise ValueError(None)
        if option == "--no-trace":
            trace = False
            i += 1
            continue
        if option in ("--native", "--prefer-native"):
            native = native or option == "--native"
            prefer_native = prefer_native or option == "--prefer-native"
            i += 1
            continue
        if i + 1 >= len(argv):
            raise ValueError("option %s needs a value" % option)
        if option in ("-o", "--output"):
            output = argv[i + 1]
        elif option == "--values":
            values = _integer(option, argv[i + 1])
        elif option == "--keep-steps":
            keep_steps = _integer(option, argv[i + 1], 1)
        elif option == "--max-steps":
            max_steps = _integer(option, argv[i + 1], 1)
        elif option == "--max-memory":
            max_memory = _integer(option, argv[i + 1], 1) << 20
        else:
            raise ValueError("unknown option %s" % option)
        i += 2
    if i >= len(argv):
        raise ValueError("missing the script to run")
    script = argv[i]
    rest = list(argv[i + 1:])
    if trace and output is None and len(rest) >= 2 and rest[-2] in ("-o", "--output"):
        output = rest[-1]
        rest = rest[:-2]
    if not trace:
        output = None
    elif output is None:
        output = os.path.splitext(os.path.basename(script))[0] + ".tdt"
    return Options(script, rest, output, values, keep_steps, max_steps, max_memory, native, prefer_native)


def main(argv: list[str] | None = None) -> int:
    try:
        options = parse(sys.argv[1:] if argv is None else argv)
    except ValueError as e:
        if e.args[0]:
            print("tapedeck_torch: %s" % e.args[0], file=sys.stderr)
        print(USAGE, file=sys.stderr)
        return 2
    if not os.path.isfile(options.script):
        print("tapedeck_torch: cannot open %s: no such file" % options.script, file=sys.stderr)
        return 2
    output = None if options.output is None else rank_path(options.output)
    native = False
    if (options.native or options.prefer_native) and output is not None:
        from .native import NativeUnavailable, load
        try:
            load()
            native = True
        except NativeUnavailable as e:
            if options.native:
                print("tapedeck_torch: --native is not available here: %s; record without --native" % e,
                      file=sys.stderr)
                return 2
            print("tapedeck_torch: recording with the Python recorder, several times slower per op, since the "
                  "native core is not available here: %s" % e, file=sys.stderr, flush=True)
    return run_program(options.script, options.args, output, options.values, options.keep_steps,
                       options.max_steps, options.max_memory, native)


if __name__ == "__main__":
    sys.exit(main())
