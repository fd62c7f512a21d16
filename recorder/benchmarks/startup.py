"""Start-up cost of recording: `python3 -m tapedeck_torch PROGRAM` (and with `--native`) against
`python3 PROGRAM`, each a fresh process, for a program that does almost nothing (a few ops and one
backward call), which is what a minimal repro of an autograd error looks like. Whatever the recorder
adds before and after the program's own work (imports, the first op through its dispatch mode,
writing the trace) shows here whole.

Usage: PYTHONPATH=recorder python3 recorder/benchmarks/startup.py [--repeats N]
Prints the median and min-max wall time of each configuration, runs interleaved, and each median's
ratio to the plain run's, measured in the same run.
"""

import argparse
import atexit
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import torch

PROGRAM = """\
import torch

x = torch.ones(3, requires_grad=True)
y = (x * 2).sin()
loss = y.sum()
loss.backward()
print(x.grad.tolist())
"""


def native_reason() -> str | None:
    """Why `--native` cannot run here, or None when it can (building the core on first use)."""
    from tapedeck_torch.native import unavailable_reason
    return unavailable_reason()


def configurations(folder: str, native: bool) -> list[tuple[str, list[str]]]:
    trace = os.path.join(folder, "startup.tdt")
    configs = [("plain", ["program.py"]),
               ("recorded", ["-m", "tapedeck_torch", "program.py", "-o", trace])]
    if native:
        configs.append(("recorded --native", ["-m", "tapedeck_torch", "--native", "program.py", "-o", trace]))
    return configs


def time_run(args: list[str], folder: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=folder, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit("%s failed (exit %d):\n%s" % (" ".join(args), proc.returncode, proc.stderr))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="runs of each configuration")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tapedeck-startup-")
    atexit.register(shutil.rmtree, folder, True)  # the traces written while timing
    with open(os.path.join(folder, "program.py"), "w") as f:
        f.write(PROGRAM)
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    reason = native_reason()
    configs = configurations(folder, reason is None)
    print("machine: %s, %d CPUs, Python %s, torch %s; %d interleaved runs each, load %.2f" % (
        platform.platform(), os.cpu_count(), platform.python_version(), torch.__version__, options.repeats,
        os.getloadavg()[0]))
    if reason is not None:
        print("--native left out: %s" % reason)
    for _, args in configs:
        time_run(args, folder, env)  # warm the file cache (and build the native core) before timing
    times: dict[str, list[float]] = {name: [] for name, _ in configs}
    for _ in range(options.repeats):
        for name, args in configs:
            times[name].append(time_run(args, folder, env))
    plain = statistics.median(times["plain"])
    print("  %-18s %9s %7s %15s" % ("config", "median s", "x", "min-max s"))
    for name, _ in configs:
        median = statistics.median(times[name])
        print("  %-18s %9.2f %7.2f %7.2f-%-7.2f" % (name, median, median / plain, min(times[name]), max(times[name])))


if __name__ == "__main__":
    main()
