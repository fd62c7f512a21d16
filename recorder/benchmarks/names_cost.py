"""What `--native` spends naming variables (`bind` events, once per program statement): the
launch-bound step of launch_bound.py recorded step by step in one process, with names as the
recorder writes them and with none (the core handed no `names` callback), in shuffled order round
by round, printing the paired difference and the `bind` events a step writes.

    PYTHONPATH=recorder python3 recorder/benchmarks/names_cost.py [--width 16] [--rounds 30] [--steps 10]
"""

import argparse
import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import launch_bound  # noqa: E402

import tapedeck_torch  # noqa: E402
from tapedeck_torch.native.recorder import NativeRecorder  # noqa: E402


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
    folder = tempfile.mkdtemp(prefix="tapedeck-names-")
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "names.tdt")
    for _ in range(3):
        step()
    names: Any = NativeRecorder._names
    variants: list[tuple[str, Any]] = [("names", names), ("nameless", None)]
    times: dict[str, list[float]] = {name: [] for name, _ in variants}
    binds: dict[str, int] = {}
    shuffle = random.Random(1)
    for _ in range(options.rounds):
        shuffle.shuffle(variants)
        for name, callback in variants:
            NativeRecorder._names = callback  # type: ignore[method-assign]
            times[name].append(recorded_step_ms(step, path, options.steps))
            with open(path, "rb") as trace:
                binds[name] = sum(1 for line in trace if line.startswith(b'{"k":"bind"'))
    NativeRecorder._names = names  # type: ignore[method-assign]
    for name, values in times.items():
        print("%-9s median %.2f ms, min %.2f ms a recorded step, %d bind events a step" % (
            name, statistics.median(values), min(values), binds[name]))
    differences = sorted(a - b for a, b in zip(times["names"], times["nameless"], strict=True))
    quarter = len(differences) // 4
    print("paired difference: median %.2f ms, quartiles %.2f and %.2f ms" % (
        statistics.median(differences), differences[quarter], differences[-1 - quarter]))


if __name__ == "__main__":
    main()
