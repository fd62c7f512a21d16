"""Command line: python3 -m tapedeck_torch [-o OUT] [--values N] [--keep-steps N] SCRIPT [ARGS...] [-o OUT]"""

import os
import sys

from .distributed import rank_path
from .recording import run_program

USAGE = """usage: python3 -m tapedeck_torch [-o OUT.tdt] [--values N] [--keep-steps N] SCRIPT.py [ARGS...] [-o OUT.tdt]

Runs SCRIPT.py as __main__ with ARGS and records it into a tapedeck trace (default SCRIPT.tdt).
A trailing `-o OUT` after the script's arguments is taken by the recorder, not the script.
  -o, --output OUT   trace file to write (under torchrun, one per rank: OUT.rankN.tdt)
  --values N         preview the values of tensors with at most N elements (default 64, 0 = off)
  --keep-steps N     keep only the last N steps (each optimizer.step(), or each backward() in a
                     program without an optimizer) and the step running at the end; the trace
                     says what was dropped (default: keep everything)"""


def parse(argv: list[str]) -> tuple[str, list[str], str, int, int | None]:
    """(script, script_args, output, values, keep_steps) from the command line; raises ValueError on
    bad usage."""
    output = None
    values = 64
    keep_steps = None
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        option = argv[i]
        if option in ("-h", "--help"):
            raise ValueError(None)
        if i + 1 >= len(argv):
            raise ValueError("option %s needs a value" % option)
        if option in ("-o", "--output"):
            output = argv[i + 1]
        elif option == "--values":
            try:
                values = int(argv[i + 1])
            except ValueError:
                raise ValueError("--values expects an integer, got %r" % argv[i + 1]) from None
        elif option == "--keep-steps":
            try:
                keep_steps = int(argv[i + 1])
            except ValueError:
                raise ValueError("--keep-steps expects an integer, got %r" % argv[i + 1]) from None
            if keep_steps < 1:
                raise ValueError("--keep-steps expects at least 1, got %d" % keep_steps)
        else:
            raise ValueError("unknown option %s" % option)
        i += 2
    if i >= len(argv):
        raise ValueError("missing the script to run")
    script = argv[i]
    rest = list(argv[i + 1:])
    if output is None and len(rest) >= 2 and rest[-2] in ("-o", "--output"):
        output = rest[-1]
        rest = rest[:-2]
    if output is None:
        output = os.path.splitext(os.path.basename(script))[0] + ".tdt"
    return script, rest, output, values, keep_steps


def main(argv: list[str] | None = None) -> int:
    try:
        script, args, output, values, keep_steps = parse(sys.argv[1:] if argv is None else argv)
    except ValueError as e:
        if e.args[0]:
            print("tapedeck_torch: %s" % e.args[0], file=sys.stderr)
        print(USAGE, file=sys.stderr)
        return 2
    if not os.path.isfile(script):
        print("tapedeck_torch: cannot open %s: no such file" % script, file=sys.stderr)
        return 2
    return run_program(script, args, rank_path(output), values, keep_steps)


if __name__ == "__main__":
    sys.exit(main())
