"""Overhead of recording a training step with tapedeck_torch, against the same step unrecorded and
under PyTorch's anomaly mode, plus how the trace grows with steps.

    python3 recorder/benchmarks/overhead.py [--repeats 7] [--growth 3] [--threads 1] [--no-native]

Model: a 6-layer nn.TransformerEncoder (d_model 256, 8 heads, feed-forward 1024, dropout on) with a
Linear head and cross-entropy, batch 8 x 128 tokens; one step is forward + backward on CPU. The
configurations run interleaved, round by round, so a change in machine load hits them alike; the
figures are the median and the minimum of the step's CPU time (`time.process_time`, all threads),
with the median wall time next to them. Each recorded step opens, writes and closes its own trace file.
The `--native` row records through the C++ core (tapedeck_torch/native); it is left out, with the
reason, where the core cannot be built.
"""

import argparse
import atexit
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tapedeck_torch  # noqa: E402


def build_model() -> tuple[nn.Module, nn.Module, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=256, nhead=8, dim_feedforward=1024, batch_first=True)
    encoder = nn.TransformerEncoder(layer, num_layers=6, enable_nested_tensor=False)
    head = nn.Linear(256, 16)
    tokens = torch.randn(8, 128, 256)
    target = torch.randint(0, 16, (8,))
    return encoder, head, tokens, target


def step(encoder: nn.Module, head: nn.Module, tokens: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    encoder.zero_grad(set_to_none=True)
    head.zero_grad(set_to_none=True)
    logits = head(encoder(tokens).mean(dim=1))
    loss = nn.functional.cross_entropy(logits, target)
    loss.backward()
    return loss


def native_available() -> bool:
    """Whether the native core builds here, printing why not."""
    from tapedeck_torch.native import unavailable_reason
    reason = unavailable_reason()
    if reason is not None:
        print("--native: skipped (%s)" % reason)
    return reason is None


def timed(action: Callable[[], None]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed steps per configuration")
    parser.add_argument("--growth", type=int, default=3, help="record traces of 1..N steps")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--no-native", action="store_true", help="leave out the native recorder")
    options = parser.parse_args()
    torch.set_num_threads(options.threads)
    model = build_model()
    folder = tempfile.mkdtemp(prefix="tapedeck-bench-")
    atexit.register(shutil.rmtree, folder, True)  # the traces written while timing
    trace = os.path.join(folder, "step.tdt")

    def plain() -> None:
        step(*model)

    def recorded() -> None:
        with tapedeck_torch.record(trace):
            step(*model)

    def anomaly() -> None:
        with torch.autograd.detect_anomaly(check_nan=False):
            step(*model)

    def recorded_native() -> None:
        with tapedeck_torch.record(trace + ".native", native=True):
            step(*model)

    configs = [("unrecorded", plain), ("tapedeck_torch", recorded), ("anomaly mode", anomaly)]
    if not options.no_native and native_available():
        configs.insert(2, ("--native", recorded_native))
    import warnings
    warnings.simplefilter("ignore")
    for _, action in configs:
        action()
    samples = {name: [] for name, _ in configs}
    load_before = os.getloadavg()
    for _ in range(options.repeats):
        for name, action in configs:
            samples[name].append(timed(action))
    load_after = os.getloadavg()
    trace_bytes = os.path.getsize(trace)
    with open(trace) as f:
        events = sum(1 for _ in f) - 1

    growth = []
    for steps in range(1, options.growth + 1):
        path = os.path.join(folder, "growth%d.tdt" % steps)
        with tapedeck_torch.record(path):
            for _ in range(steps):
                step(*model)
        growth.append(os.path.getsize(path))

    base_cpu = statistics.median(c for c, _ in samples["unrecorded"])
    base_wall = statistics.median(w for _, w in samples["unrecorded"])
    figures = {"machine": "%s, %d CPUs, Python %s, torch %s" % (
                   platform.platform(), os.cpu_count(), platform.python_version(), torch.__version__),
               "threads": options.threads, "repeats": options.repeats,
               "load_avg_before": load_before, "load_avg_after": load_after,
               "configs": {}, "trace_bytes_per_step": trace_bytes, "events_per_step": events,
               "growth_bytes": growth}
    print("machine: %s" % figures["machine"])
    print("torch threads %d, %d interleaved repeats, load average %.2f -> %.2f" % (
        options.threads, options.repeats, load_before[0], load_after[0]))
    base_min = min(c for c, _ in samples["unrecorded"])
    print("%-16s %14s %7s %12s %7s %14s %7s" % ("config", "median cpu ms", "x", "min cpu ms", "x",
                                                "median wall ms", "x"))
    for name, _ in configs:
        cpu = statistics.median(c for c, _ in samples[name])
        low = min(c for c, _ in samples[name])
        wall = statistics.median(w for _, w in samples[name])
        figures["configs"][name] = {"cpu_ms": cpu * 1e3, "min_cpu_ms": low * 1e3, "wall_ms": wall * 1e3,
                                    "cpu_ratio": cpu / base_cpu, "min_cpu_ratio": low / base_min,
                                    "wall_ratio": wall / base_wall}
        print("%-16s %14.1f %7.3f %12.1f %7.3f %14.1f %7.3f" % (
            name, cpu * 1e3, cpu / base_cpu, low * 1e3, low / base_min, wall * 1e3, wall / base_wall))
    print("trace: %d bytes, %d events per step; traces of 1..%d steps: %s bytes" % (
        trace_bytes, events, options.growth, ", ".join(str(g) for g in growth)))
    if options.json:
        with open(options.json, "w") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
