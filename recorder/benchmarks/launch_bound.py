"""Per-op cost of recording: a tiny GPT-style training step whose ops are so small that the time per
op (dispatch, Python, recording) dominates, as it does for a real model on a GPU.

    python3 recorder/benchmarks/launch_bound.py [--width 16] [--repeats 15] [--threads 1] [--cuda]

Model: token + position embeddings, 4 pre-norm blocks (causal self-attention written out with
matmul/softmax/masked_fill, a GELU MLP), a final LayerNorm and a tied LM head, cross-entropy, AdamW;
batch 4 x 16 tokens, vocabulary 64. One step is zero_grad + forward + backward + optimizer step.
The configurations run interleaved, round by round, so a change in machine load hits them alike:

  plain           the step as the program runs it
  dispatch mode   under a TorchDispatchMode that only calls the op: the floor of any recorder that
                  sees ops through Python dispatch
  observer        under torch.profiler with only the C++ RecordFunction observer on (no stacks, no
                  shapes): what a recorder built on C++ observers would pay before doing any work
  recorded        under tapedeck_torch.record, one trace file per step
  rec. --values 0 the same without value previews (`values=0`): what formatting previews costs
  native          under tapedeck_torch.record(native=True), the recorder with the C++ core
                  (tapedeck_torch/native), one trace file per step; skipped with the reason when
                  the core cannot be built here
  native --values 0  the same without value previews: what the core's previews cost
  C++ observer    (with --cpp-observer) under record_function_floor.cpp, a C++ RecordFunction
                  callback that keeps each op's name, input ids and versions and output ids in
                  memory:
                  the floor of a recorder that leaves Python dispatch

With `--window STEPS`, it times instead one recording of STEPS steps in a row (after 3 warm-up
steps), as a long run is recorded: plain, everything recorded, and `keep_steps=2` (the step window,
which drops all but the last steps at each step boundary), and the same two through the native
recorder, each repeated and interleaved.

Figures are the median and minimum of the process's CPU time per step (`time.process_time`, so other
processes on a shared machine do not add to them; torch runs on one thread) and the ratio to plain.
When a GPU is present the same step also runs on CUDA, with a synchronize at the end of each step;
without one that part says it was skipped (`--cuda` makes that an error).
"""

import argparse
import atexit
import contextlib
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tapedeck_torch  # noqa: E402


class Block(nn.Module):
    def __init__(self, width: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width)
        self.up = nn.Linear(width, 4 * width)
        self.down = nn.Linear(4 * width, width)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(c, dim=2)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(c // self.heads))
        att = att.masked_fill(mask[:t, :t] == 0, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.proj(y)
        return x + self.down(F.gelu(self.up(self.ln2(x))))


class TinyGPT(nn.Module):
    def __init__(self, width: int, vocab: int = 64, context: int = 16, layers: int = 4, heads: int = 2) -> None:
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)
        self.head.weight = self.tokens.weight
        self.register_buffer("mask", torch.tril(torch.ones(context, context)))

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        t = idx.shape[1]
        x = self.tokens(idx) + self.positions(torch.arange(t, device=idx.device))
        for block in self.blocks:
            x = block(x, self.mask)
        return self.head(self.ln(x))


class DoNothingMode(TorchDispatchMode):
    """Sees every aten op and only runs it."""

    def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        return func(*args, **(kwargs or {}))


def make_step(width: int, device: str) -> Callable[[], torch.Tensor]:
    torch.manual_seed(0)
    model = TinyGPT(width).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, foreach=True)
    idx = torch.randint(0, 64, (4, 16), device=device)
    target = torch.randint(0, 64, (4, 16), device=device)

    def step() -> torch.Tensor:
        optimizer.zero_grad(set_to_none=True)
        logits = model(idx)
        loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), target.view(-1))
        loss.backward()
        optimizer.step()
        return loss
    return step


def count_ops(step: Callable[[], torch.Tensor]) -> int:
    class Counter(TorchDispatchMode):
        ops = 0

        def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
            Counter.ops += 1
            return func(*args, **(kwargs or {}))
    with Counter():
        step()
    return Counter.ops


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silences file descriptor 2: the profiler's C++ side logs two lines per start and stop."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def cpp_observer() -> Any:
    """The compiled record_function_floor.cpp module (start/stop), or None with the reason printed."""
    try:
        from torch.utils import cpp_extension
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "record_function_floor.cpp")
        with open(source) as f:
            return cpp_extension.load_inline("tapedeck_record_function_floor", cpp_sources=f.read(),
                                             functions=["start", "stop"], extra_cflags=["-O2", "-DNDEBUG"],
                                             extra_include_paths=[os.path.dirname(source)])
    except Exception as e:
        print("C++ observer: skipped, could not build record_function_floor.cpp (%s)" % str(e).splitlines()[0])
        return None


def native_available() -> bool:
    """Whether the native core builds here, printing why not."""
    from tapedeck_torch.native import unavailable_reason
    reason = unavailable_reason()
    if reason is not None:
        print("native: skipped (%s)" % reason)
    return reason is None


def configurations(step: Callable[[], torch.Tensor], trace: str, sync: Callable[[], None], floor: Any,
                   native: bool) -> list[tuple[str, Callable[[], None]]]:
    def plain() -> None:
        step()
        sync()

    def dispatch_mode() -> None:
        with DoNothingMode():
            step()
        sync()

    def observer() -> None:
        with quiet_stderr(), torch.autograd.profiler.profile(use_cpu=True, record_shapes=False, with_stack=False):
            step()
            sync()

    def cpp() -> None:
        floor.start()
        step()
        sync()
        floor.stop()

    def recorded() -> None:
        with tapedeck_torch.record(trace):
            step()
            sync()

    def recorded_no_values() -> None:
        with tapedeck_torch.record(trace + ".novalues", values=0):
            step()
            sync()

    def recorded_native() -> None:
        with tapedeck_torch.record(trace + ".native", native=True):
            step()
            sync()

    def recorded_native_no_values() -> None:
        with tapedeck_torch.record(trace + ".native-novalues", native=True, values=0):
            step()
            sync()
    configs = [("plain", plain), ("dispatch mode", dispatch_mode), ("observer", observer), ("recorded", recorded),
               ("rec. --values 0", recorded_no_values)]
    if floor is not None:
        configs.insert(1, ("C++ observer", cpp))
    if native:
        configs[1:1] = [("native", recorded_native), ("native --values 0", recorded_native_no_values)]
    return configs


def interleaved(configs: list[tuple[str, Callable[[], None]]], repeats: int, per: int) -> dict[str, list[float]]:
    """CPU seconds of each configuration's action, `repeats` times, the configurations taking turns
    so a change in the machine's load falls on all of them alike; each sample divided by `per`."""
    samples: dict[str, list[float]] = {config: [] for config, _ in configs}
    for _ in range(repeats):
        for config, action in configs:
            start = time.process_time()
            action()
            samples[config].append((time.process_time() - start) / per)
    return samples


def measure(name: str, step: Callable[[], torch.Tensor], sync: Callable[[], None], repeats: int,
            folder: str, floor: Any, native: bool) -> dict[str, float]:
    trace = os.path.join(folder, "%s.tdt" % name.replace(" ", "-"))
    configs = configurations(step, trace, sync, floor, native)
    for _, action in configs:
        for _ in range(3):
            action()
    samples = interleaved(configs, repeats, per=1)
    base = statistics.median(samples["plain"])
    base_min = min(samples["plain"])
    with open(trace) as f:
        events = sum(1 for _ in f) - 1
    print("%s: %d aten ops per step, %d trace events per step, %d bytes" % (
        name, count_ops(step), events, os.path.getsize(trace)))
    if native:
        with open(trace + ".native") as f:
            events = sum(1 for _ in f) - 1
        print("  native: %d trace events per step, %d bytes" % (events, os.path.getsize(trace + ".native")))
    print("  %-16s %11s %7s %11s %7s" % ("config", "median ms", "x", "min ms", "x"))
    ratios = {}
    for config, _ in configs:
        median = statistics.median(samples[config])
        low = min(samples[config])
        ratios[config] = median / base
        print("  %-16s %11.2f %7.2f %11.2f %7.2f" % (config, median * 1e3, median / base, low * 1e3, low / base_min))
    return ratios


def measure_window(width: int, steps: int, repeats: int, folder: str, native: bool) -> None:
    """Times `steps` steps recorded into one trace, whole and with `keep_steps=2`, against plain; with
    `native`, also through the native recorder."""
    step = make_step(width, "cpu")

    def plain() -> None:
        for _ in range(steps):
            step()

    def recorded(keep: int | None, fast: bool = False) -> Callable[[], None]:
        def run() -> None:
            path = os.path.join(folder, "window-%s%s.tdt" % (keep, "-native" if fast else ""))
            with tapedeck_torch.record(path, keep_steps=keep, native=fast):
                for _ in range(steps):
                    step()
        return run
    configs = [("plain", plain), ("recorded", recorded(None)), ("keep_steps=2", recorded(2))]
    if native:
        configs += [("native", recorded(None, True)), ("native keep=2", recorded(2, True))]
    for _ in range(3):
        step()
    samples = interleaved(configs, repeats, per=steps)
    base = statistics.median(samples["plain"])
    print("cpu width %d, %d steps in one recording:" % (width, steps))
    print("  %-16s %11s %7s %11s %7s %10s" % ("config", "median ms", "x", "min ms", "x", "bytes"))
    for config, _ in configs:
        keep = {"recorded": "None", "keep_steps=2": "2", "native": "None-native",
                "native keep=2": "2-native"}.get(config)
        size = os.path.getsize(os.path.join(folder, "window-%s.tdt" % keep)) if keep else 0
        median, low = statistics.median(samples[config]), min(samples[config])
        print("  %-16s %11.2f %7.2f %11.2f %7.2f %10d" % (config, median * 1e3, median / base, low * 1e3,
                                                           low / min(samples["plain"]), size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, nargs="+", default=[16, 32], help="model widths (16-32)")
    parser.add_argument("--repeats", type=int, default=15, help="timed steps per configuration")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--cuda", action="store_true", help="fail rather than skip when there is no GPU")
    parser.add_argument("--cpp-observer", action="store_true",
                        help="also time record_function_floor.cpp (needs a C++ compiler and ninja)")
    parser.add_argument("--no-native", action="store_true", help="leave out the native recorder")
    parser.add_argument("--window", type=int, metavar="STEPS",
                        help="time STEPS steps in one recording, whole and with keep_steps=2, instead")
    options = parser.parse_args()
    floor = cpp_observer() if options.cpp_observer else None
    native = native_available() and not options.no_native
    torch.set_num_threads(options.threads)
    warnings.simplefilter("ignore")
    folder = tempfile.mkdtemp(prefix="tapedeck-launch-")
    atexit.register(shutil.rmtree, folder, True)  # the traces written while timing
    print("machine: %s, %d CPUs, Python %s, torch %s; torch threads %d, %d interleaved repeats, load %.2f" % (
        platform.platform(), os.cpu_count(), platform.python_version(), torch.__version__, options.threads,
        options.repeats, os.getloadavg()[0]))
    if options.window:
        for width in options.width:
            measure_window(width, options.window, options.repeats, folder, native)
        return
    for width in options.width:
        measure("cpu width %d" % width, make_step(width, "cpu"), lambda: None, options.repeats, folder, floor, native)
    if torch.cuda.is_available():
        print("cuda: %s" % torch.cuda.get_device_name())
        for width in options.width:
            measure("cuda width %d" % width, make_step(width, "cuda"), torch.cuda.synchronize, options.repeats,
                    folder, floor, native)
    elif options.cuda:
        sys.exit("launch_bound: --cuda given but torch.cuda.is_available() is False")
    else:
        print("cuda: skipped (torch.cuda.is_available() is False on this machine)")


if __name__ == "__main__":
    main()
