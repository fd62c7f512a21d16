"""What a GPU run's value previews cost the recorder, measured without a GPU: launch_bound.py's tiny
training step recorded with CPU tensors made a deferred device (`previews.DEFERRED_DEVICES`), so each
small tensor's preview takes the path a CUDA tensor's takes (an asynchronous copy to the host, a
placeholder, the texts filled in when the writer writes a chunk) instead of being read at once.

    python3 recorder/benchmarks/deferred_previews.py [--width 16] [--repeats 31] [--no-python]

Configurations, interleaved round by round, one trace file per step, process CPU time per step
(one torch thread; the device wait is a no-op on the CPU, so what is left is the recorder's own
work): plain; each recorder with previews read at once (what a CPU run pays), with every preview
deferred (what a GPU run pays besides the copies' transfers and the device waits), and without
previews (`values=0`). Prints medians, minima and ratios to plain of the same run.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import launch_bound  # noqa: E402
import tapedeck_torch  # noqa: E402
from tapedeck_torch import previews  # noqa: E402

IMMEDIATE = previews.DEFERRED_DEVICES
"""The deferred devices as the recorder ships them (CUDA): CPU previews are read at once."""


def recorded(step: Callable[[], torch.Tensor], path: str, native: bool, values: int,
             deferred: bool) -> Callable[[], None]:
    """One step recorded into `path`, with CPU previews deferred or not."""
    def run() -> None:
        previews.DEFERRED_DEVICES = frozenset({"cpu"}) if deferred else IMMEDIATE
        try:
            with tapedeck_torch.record(path, native=native, values=values):
                step()
        finally:
            previews.DEFERRED_DEVICES = IMMEDIATE
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--no-python", action="store_true", help="leave out the Python recorder")
    options = parser.parse_args()
    torch.set_num_threads(1)
    previews.SYNCHRONIZE["cpu"] = lambda device: None
    step = launch_bound.make_step(options.width, "cpu")
    folder = tempfile.mkdtemp(prefix="tapedeck-deferred-")
    trace = os.path.join(folder, "step.tdt")
    recorders = [("native", True)] if launch_bound.native_available() else []
    if not options.no_python:
        recorders.append(("python", False))
    def plain() -> None:
        step()

    configs: list[tuple[str, Callable[[], None]]] = [("plain", plain)]
    for name, native in recorders:
        configs += [("%s, previews at once" % name, recorded(step, trace, native, 64, False)),
                    ("%s, previews deferred" % name, recorded(step, trace, native, 64, True)),
                    ("%s --values 0" % name, recorded(step, trace, native, 0, False))]
    launch_bound.interleaved(configs, 3, 1)
    samples = launch_bound.interleaved(configs, options.repeats, 1)
    shutil.rmtree(folder, ignore_errors=True)
    print("%s, Python %s, torch %s, width %d, %d interleaved repeats, load %.2f, %s" % (
        platform.processor() or platform.machine(), platform.python_version(), torch.__version__, options.width,
        options.repeats, os.getloadavg()[0], time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    plain = statistics.median(samples["plain"])
    print("  %-30s %9s %7s %9s" % ("configuration", "median ms", "ratio", "min ms"))
    for config, values in samples.items():
        median = statistics.median(values)
        print("  %-30s %9.2f %6.2fx %9.2f" % (config, median * 1e3, median / plain, min(values) * 1e3))


if __name__ == "__main__":
    main()
