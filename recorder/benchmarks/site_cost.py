"""What `--native` spends resolving call sites (the fields and the call spelling of each site, once
per site in the process): the launch-bound step of launch_bound.py recorded several times in one
process, timing `NativeSites.site` and `callees.spelling` in each recording.

    PYTHONPATH=recorder python3 recorder/benchmarks/site_cost.py [--width 16] [--recordings 3]
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import launch_bound  # noqa: E402

import tapedeck_torch  # noqa: E402
from tapedeck_torch.native import callees, sites  # noqa: E402


def timed(spent: dict[str, list[float]], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding each call's seconds to `spent[name]`."""
    def run(*args: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            spent[name].append(time.perf_counter() - start)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--recordings", type=int, default=3)
    options = parser.parse_args()
    torch.set_num_threads(1)
    step = launch_bound.make_step(options.width, "cpu")
    for _ in range(3):
        step()
    spent: dict[str, list[float]] = {"site": [], "spelling": []}
    sites.NativeSites.site = timed(spent, "site", sites.NativeSites.site)  # type: ignore[method-assign]
    callees.spelling = timed(spent, "spelling", callees.spelling)
    with tempfile.TemporaryDirectory() as folder:
        for recording in range(options.recordings):
            for calls in spent.values():
                calls.clear()
            start = time.perf_counter()
            with tapedeck_torch.record(os.path.join(folder, "step.tdt"), native=True):
                step()
            total = time.perf_counter() - start
            print("recording %d: %.1f ms; sites resolved %d in %.2f ms, of which call spellings %d in %.2f ms"
                  % (recording, total * 1e3, len(spent["site"]), sum(spent["site"]) * 1e3,
                     len(spent["spelling"]), sum(spent["spelling"]) * 1e3))


if __name__ == "__main__":
    main()
