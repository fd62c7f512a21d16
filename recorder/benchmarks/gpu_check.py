"""The device check of issue 14, prepared to run once on a lent GPU machine and read back here.

    # on the device (its image has torch with CUDA, transformers and timm; no registry):
    PYTHONPATH=recorder python3 recorder/benchmarks/gpu_check.py record "$OUT"
    # here, on the folder the device run brought back:
    python3 recorder/benchmarks/gpu_check.py compare FOLDER [--tapedeck .build/release/tapedeck]

`record` runs each program of gpu_programs/ (each picks CUDA when torch sees a GPU, else the CPU)
plainly, under the default recorder and under `--native`, checks that the recorded runs exit and fail
as the plain run does, and keeps their traces in OUT/traces; then it runs launch_bound.py's step
plain and recorded (on CUDA too when there is a GPU) into OUT/launch_bound.txt. OUT/record.json says
what each run did. `compare` runs `tapedeck explain` on both traces of each program and says whether
the reports are the same, op and tensor numbers aside (the native core numbers what it sees), prints
each report's first line (the verdict) and how many value previews each trace holds (a GPU tensor's
are copied asynchronously by both recorders, previews.py: a native trace with none where the Python
recorder's has some is reported as a difference).

The native core is built on the device at the start (about a minute; it needs a C++ compiler and
ninja): where the image lacks ninja, copy this machine's (`python3 -c "import ninja;
print(ninja.BIN_DIR)"`) into a folder git ignores, name it in the device call's carry and put it on
PATH. Where the core cannot be built, `record` says why and runs the default recorder alone.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "gpu_programs")
RECORDER = os.path.dirname(HERE)
CHILD_ENV = {**os.environ, "PYTHONPATH": RECORDER}
"""The environment of every python3 this starts: the recorder of this checkout, whatever the folder."""
RECORDERS = {"python": [], "native": ["--native"]}


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _trace(traces: str, name: str, recorder: str) -> str:
    """Where `record` keeps program `name`'s trace by `recorder`."""
    return os.path.join(traces, "%s.%s.tdt" % (name, recorder))


def _run(args: list[str], cwd: str, timeout: int) -> dict[str, object]:
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env=CHILD_ENV)
    except subprocess.TimeoutExpired:
        return {"exit": None, "seconds": timeout, "last_line": "timed out after %d s" % timeout, "stdout": ""}
    return {"exit": proc.returncode, "seconds": round(time.monotonic() - started, 2),
            "last_line": _last_line(proc.stderr), "stdout": proc.stdout}


def record(out: str, timeout: int) -> int:
    """Runs every program three ways and the launch-bound benchmark; returns 1 when a recorded run
    behaved differently from the plain one."""
    import torch

    sys.path.insert(0, RECORDER)
    from tapedeck_torch import native

    traces = os.path.join(out, "traces")
    os.makedirs(traces, exist_ok=True)
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "none (programs run on the CPU)"
    summary: dict[str, object] = {"torch": torch.__version__, "python": sys.version.split()[0], "gpu": device,
                                  "programs": {}}
    print("torch %s, Python %s, GPU: %s" % (summary["torch"], summary["python"], device), flush=True)
    started = time.monotonic()
    unavailable = native.unavailable_reason()
    native_built = unavailable is None
    summary["native_core"] = unavailable or "built or loaded in %.1f s" % (time.monotonic() - started)
    print("native core: %s" % summary["native_core"], flush=True)
    recorders = {name: options for name, options in RECORDERS.items() if name != "native" or native_built}
    differ = False
    for name in sorted(n[:-3] for n in os.listdir(PROGRAMS) if n.endswith(".py")):
        runs = {"plain": _run([name + ".py"], PROGRAMS, timeout)}
        for recorder, options in recorders.items():
            trace = _trace(traces, name, recorder)
            runs[recorder] = _run(["-m", "tapedeck_torch", *options, name + ".py", "-o", trace], PROGRAMS, timeout)
        plain = runs["plain"]
        same = all((r["exit"], r["last_line"], r["stdout"]) == (plain["exit"], plain["last_line"], plain["stdout"])
                   for r in runs.values())
        differ = differ or not same
        skipped = str(plain["stdout"]).startswith("skipped:")
        summary["programs"][name] = {"same_behaviour": same, "skipped": skipped, **runs}
        print("%-28s %s  plain exit %s in %s s, recorded in %s: %s" % (
            name, "skipped" if skipped else "same" if same else "DIFFERENT", plain["exit"], plain["seconds"],
            ", ".join("%s s (%s)" % (runs[r]["seconds"], r) for r in recorders),
            (plain["last_line"] or str(plain["stdout"]).strip())[:100]), flush=True)
    with open(os.path.join(out, "record.json"), "w") as f:
        json.dump(summary, f, indent=1)
    launch = [os.path.join(HERE, "launch_bound.py"), "--width", "16", "32", "--repeats", "7"]
    if torch.cuda.is_available():
        launch.append("--cuda")
    with open(os.path.join(out, "launch_bound.txt"), "w") as f:
        subprocess.run([sys.executable, *launch], stdout=f, stderr=subprocess.STDOUT, timeout=timeout * 4,
                       env=CHILD_ENV)
    with open(os.path.join(out, "launch_bound.txt")) as f:
        print(f.read(), end="")
    return 1 if differ else 0


def _report(tapedeck: str, trace: str) -> str:
    text = subprocess.run([tapedeck, "explain", trace], capture_output=True, text=True, timeout=300).stdout
    return re.sub(r"\bt\d+\b", "tN", re.sub(r"#\d+", "#N", text))


def _previews(trace: str) -> int:
    """How many value previews (`"val"` fields) trace `trace` holds."""
    with open(trace, encoding="utf-8") as f:
        return sum(line.count('"val":') for line in f)


def compare(folder: str, tapedeck: str) -> int:
    """Explains both recorders' traces of each program; returns 1 when a pair's reports differ."""
    traces = os.path.join(folder, "traces")
    names = sorted({n.split(".")[0] for n in os.listdir(traces) if n.endswith(".tdt")})
    differ = False
    for name in names:
        reports = {r: _report(tapedeck, _trace(traces, name, r)) for r in RECORDERS
                   if os.path.exists(_trace(traces, name, r))}
        if "native" not in reports:
            print("%-28s no native trace  %s" % (name, _last_line(reports["python"])))
            continue
        same = reports["python"] == reports["native"]
        previews = {r: _previews(_trace(traces, name, r)) for r in reports}
        previewed = previews["native"] > 0 or previews["python"] == 0
        differ = differ or not same or not previewed
        print("%-28s %s  %s" % (name, "same report" if same else "REPORTS DIFFER", _last_line(reports["python"])))
        print("    %s" % reports["python"].splitlines()[0] if reports["python"] else "    (no report)")
        print("    value previews: python %d, native %d%s" % (previews["python"], previews["native"],
                                                              "" if previewed else "  NATIVE HAS NONE"))
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="run on the device: programs and benchmark into OUT")
    recording.add_argument("out")
    recording.add_argument("--timeout", type=int, default=120, help="seconds a program may run")
    comparing = commands.add_parser("compare", help="run here: explain both recorders' traces")
    comparing.add_argument("folder")
    comparing.add_argument("--tapedeck", default=shutil.which("tapedeck") or os.path.join(
        HERE, "..", "..", ".build", "release", "tapedeck"))
    options = parser.parse_args()
    if options.command == "record":
        sys.exit(record(options.out, options.timeout))
    sys.exit(compare(options.folder, options.tapedeck))


if __name__ == "__main__":
    main()
