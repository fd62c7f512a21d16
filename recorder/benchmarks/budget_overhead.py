"""Cost of the step and memory budgets (`--max-steps`, `--max-memory`, tapedeck_torch/budget.py):
the step call before each of the program's statements and the memory reads every 128 steps.

    python3 recorder/benchmarks/budget_overhead.py [--repeats 15] [--lines 200000]

Two workloads, each timed without and with the budgets (limits far above what it uses, so it runs to
its end), the configurations interleaved round by round so a change in machine load hits them alike:

  python loop     `--lines` iterations of a one-statement pure-Python loop, compiled as the
                  program's code is: the worst case, every statement is counted
  launch-bound    the tiny GPT-style training step of launch_bound.py (width 16), plain and recorded,
                  launch_bound.py imported as the program's module (instrumented): the common case of
                  a PyTorch program, whose time goes to torch and the recorder, which run unchanged

Figures are the median and minimum of the process's CPU time (`time.process_time`) per iteration or
step, and the ratio to the same configuration without budgets.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable
from types import FrameType

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import launch_bound  # noqa: E402

import tapedeck_torch  # noqa: E402
from tapedeck_torch.budget import Budget, instrument  # noqa: E402

_STEPS = 10**15
_MEMORY = 1 << 40
_LOOP = """
def run(lines):
    total = 0
    for i in range(lines):
        total += i
"""


def _stopped(message: str, frame: FrameType) -> None:
    raise SystemExit("budget_overhead: a budget ran out, which the limits should prevent: " + message)


def counted(source: str, filename: str, name: str) -> types.ModuleType:
    """A module of `source` compiled as a program's code under budgets is (`instrument`)."""
    module = types.ModuleType(name)
    module.__file__ = filename
    budgeted(lambda: exec(instrument(source, filename), module.__dict__))()
    return module


def budgeted(action: Callable[[], None]) -> Callable[[], None]:
    """`action` run under budgets too large to run out."""
    def run() -> None:
        budget = Budget(lambda name: False, _STEPS, _MEMORY, _stopped)
        budget.start()
        try:
            action()
        finally:
            budget.end()
    return run


def interleaved(configs: list[tuple[str, Callable[[], None]]], repeats: int, per: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name, _ in configs}
    for _ in range(repeats):
        for name, action in configs:
            start = time.process_time()
            action()
            samples[name].append((time.process_time() - start) / per)
    return samples


def report(title: str, unit: str, scale: float, samples: dict[str, list[float]], pairs: list[tuple[str, str]]) -> None:
    print(title)
    print("  %-22s %12s %12s %8s" % ("config", "median " + unit, "min " + unit, "x"))
    for base, budgeted_name in pairs:
        for name in (base, budgeted_name):
            median = statistics.median(samples[name])
            ratio = median / statistics.median(samples[base])
            print("  %-22s %12.3f %12.3f %8.3f" % (name, median * scale, min(samples[name]) * scale, ratio))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per configuration")
    parser.add_argument("--lines", type=int, default=200000, help="iterations of the pure-Python loop")
    options = parser.parse_args()
    torch.set_num_threads(1)
    print("python %s, torch %s, %s, load average %.2f %.2f %.2f" % (
        platform.python_version(), torch.__version__, platform.machine(), *os.getloadavg()))

    plain_loop: dict = {}
    exec(compile(_LOOP, "loop.py", "exec"), plain_loop)
    counted_loop = counted(_LOOP, "loop.py", "loop")

    def loop() -> None:
        plain_loop["run"](options.lines)

    def loop_counted() -> None:
        counted_loop.run(options.lines)
    configs = [("python loop", loop), ("python loop + budget", budgeted(loop_counted))]
    for _, action in configs:
        action()
    samples = interleaved(configs, options.repeats, per=options.lines)
    report("python loop, per iteration (1 statement counted):", "ns", 1e9, samples,
           [("python loop", "python loop + budget")])

    step = launch_bound.make_step(16, "cpu")
    with open(launch_bound.__file__) as f:
        counted_step = counted(f.read(), launch_bound.__file__, "launch_bound_counted").make_step(16, "cpu")
    with tempfile.TemporaryDirectory() as folder:
        trace = os.path.join(folder, "step.tdt")

        def plain() -> None:
            step()

        def plain_counted() -> None:
            counted_step()

        def recorded() -> None:
            with tapedeck_torch.record(trace):
                step()

        def recorded_counted() -> None:
            with tapedeck_torch.record(trace):
                counted_step()
        configs = [("plain", plain), ("plain + budget", budgeted(plain_counted)),
                   ("recorded", recorded), ("recorded + budget", budgeted(recorded_counted))]
        for _, action in configs:
            for _ in range(3):
                action()
        samples = interleaved(configs, options.repeats, per=1)
        steps = Budget(lambda name: False, _STEPS, None, _stopped)
        steps.start()
        counted_step()
        steps.end()
    report("launch-bound step (width 16, %d aten ops, %d statements counted per step):" % (
        launch_bound.count_ops(step), steps.steps), "ms", 1e3, samples,
        [("plain", "plain + budget"), ("recorded", "recorded + budget")])


if __name__ == "__main__":
    main()
