"""`tapedeck explain` (or `record`) of a real PyTorch program as a user runs it, whole commands timed:
the program alone (`python3 PROGRAM`), with the Python recorder (`--recorder python`, the default of
`explain` before stop 30 and of `record` and the debugger before stop 32) and as it is now (the
native core where it can be built). The program is launch_bound.py's width-16 training step, STEPS
times, on one torch thread: many tiny ops, as on a GPU. `record` writes the trace the debugger opens
(with value previews); `explain` records none.

Usage: python3 recorder/benchmarks/explain_end_to_end.py [--command explain|record] [--steps 150]
       [--repeats 2] [--tapedeck .build/release/tapedeck]
Prints each configuration's wall times (interleaved runs), their median and its ratio to the plain
run's, measured in the same run, and whether the two reports are the same (for `record`: the
reports `tapedeck explain` gives of the two traces, not timed).
"""

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

PROGRAM = """\
import sys

import torch

sys.path.insert(0, %r)
import launch_bound  # noqa: E402

torch.set_num_threads(1)
step = launch_bound.make_step(16, "cpu")
for _ in range(%d):
    step()
print("done")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=150, help="training steps the program runs")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each configuration")
    parser.add_argument("--tapedeck", default=os.path.join(REPO, ".build", "release", "tapedeck"))
    parser.add_argument("--command", choices=("explain", "record"), default="explain")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tapedeck-explain-")
    atexit.register(shutil.rmtree, folder, True)
    with open(os.path.join(folder, "program.py"), "w") as f:
        f.write(PROGRAM % (HERE, options.steps))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = options.command
    # `record`'s trace of each recorder, explained after the timed runs.
    traces = {"python": "python.tdt", "native": "native.tdt"} if command == "record" else {}
    output = {recorder: ["-o", trace] for recorder, trace in traces.items()}
    configs = {
        "python3 program.py": [sys.executable, "program.py"],
        "%s --recorder python" % command: [options.tapedeck, command, "--engine", "torch", "--recorder", "python",
                                           "program.py", *output.get("python", [])],
        "%s (native core)" % command: [options.tapedeck, command, "--engine", "torch", "program.py",
                                       *output.get("native", [])],
    }
    print("tapedeck %s, %d steps, %d interleaved runs each, load %.2f" % (
        options.tapedeck, options.steps, options.repeats, os.getloadavg()[0]))
    times: dict[str, list[float]] = {name: [] for name in configs}
    reports: dict[str, str] = {}
    for _ in range(options.repeats):
        for name, command in configs.items():
            started = time.perf_counter()
            proc = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
            times[name].append(time.perf_counter() - started)
            if proc.returncode != 0:
                raise SystemExit("%s exited %d:\n%s" % (name, proc.returncode, proc.stderr))
            if name.startswith("explain"):
                reports[name] = proc.stdout
    for trace in traces.values():
        reports[trace] = subprocess.run([options.tapedeck, "explain", trace], cwd=folder, capture_output=True,
                                        text=True).stdout
    plain = statistics.median(times["python3 program.py"])
    for name, runs in times.items():
        median = statistics.median(runs)
        print("  %-26s %s  median %.2f s  %.2fx" % (name, " ".join("%.2f" % t for t in runs), median,
                                                      median / plain))
    print("reports: %s" % ("the same" if len(set(reports.values())) == 1 else "DIFFERENT"))


if __name__ == "__main__":
    main()
