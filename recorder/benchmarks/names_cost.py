"""What `--native` spends naming variables (`bind` events, once per program statement): the
launch-bound step of launch_bound.py recorded step by step in one process, (1) timing the core's
callback into Python (`NativeRecorder._names`) from inside, and (2) timing whole recorded steps with
that callback as it is and with one that names nothing, in shuffled order, round by round, and
printing the paired difference.

    PYTHONPATH=recorder python3 recorder/benchmarks/names_cost.py [--width 16] [--rounds 30] [--steps 10]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import launch_bound  # noqa: E402

import tapedeck_torch  # noqa: E402
from tapedeck_torch.native.recorder import NativeRecorder  # noqa: E402

Names = Callable[[NativeRecorder, int, int], list[str]]


def recorded_step_ms(step: Callable[[], torch.Tensor], path: str, steps: int) -> float:
    """Process CPU milliseconds per step of `steps` steps, each recorded into its own trace."""
    start = time.process_time()
    for _ in range(steps):
        with tapedeck_torch.record(path, native=True):
            step()
    return (time.process_time() - start) / steps * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--steps", type=int, default=10, help="recorded steps per measurement")
    options = parser.parse_args()
    torch.set_num_threads(1)
    step = launch_bound.make_step(options.width, "cpu")
    path = os.path.join(tempfile.mkdtemp(), "names.tdt")
    for _ in range(3):
        step()

    names: Names = NativeRecorder._names
    inside = [0, 0]

    def timed(recorder: NativeRecorder, line: int, depth: int) -> list[str]:
        start = time.process_time_ns()
        try:
            return names(recorder, line, depth + 1)
        finally:
            inside[0] += time.process_time_ns() - start
            inside[1] += 1

    def nameless(recorder: NativeRecorder, line: int, depth: int) -> list[str]:
        return []

    NativeRecorder._names = timed  # type: ignore[method-assign]
    for _ in range(3):
        inside[:] = [0, 0]
        recorded_step_ms(step, path, options.steps)
        print("inside the callback: %d scans a step, %.3f ms a step, %.1f us a scan" % (
            inside[1] / options.steps, inside[0] / options.steps / 1e6, inside[0] / max(inside[1], 1) / 1e3))

    variants: list[tuple[str, Names]] = [("names", names), ("nameless", nameless)]
    times: dict[str, list[float]] = {name: [] for name, _ in variants}
    shuffle = random.Random(1)
    for _ in range(options.rounds):
        shuffle.shuffle(variants)
        for name, callback in variants:
            NativeRecorder._names = callback  # type: ignore[method-assign]
            times[name].append(recorded_step_ms(step, path, options.steps))
    NativeRecorder._names = names  # type: ignore[method-assign]
    for name, values in times.items():
        print("%-9s median %.2f ms, min %.2f ms a recorded step" % (name, statistics.median(values), min(values)))
    differences = sorted(a - b for a, b in zip(times["names"], times["nameless"], strict=True))
    quarter = len(differences) // 4
    print("paired difference: median %.2f ms, quartiles %.2f and %.2f ms" % (
        statistics.median(differences), differences[quarter], differences[-1 - quarter]))


if __name__ == "__main__":
    main()
