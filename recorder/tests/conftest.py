import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

RECORDER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(RECORDER_DIR)
CASES_DIR = os.path.join(REPO_DIR, "Tests", "Conformance", "cases")
PROGRAMS_DIR = os.path.join(RECORDER_DIR, "tests", "programs")
TRACES_DIR = os.path.join(REPO_DIR, "Tests", "DebuggerTests", "Traces")
SCRIPTS_DIR = os.path.join(REPO_DIR, "scripts")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, RECORDER_DIR)


class Run:
    """What a program did: stdout, exit code, last stderr line, and the program line that raised."""

    def __init__(self, proc, name):
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.exit_code = proc.returncode
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        self.last_error_line = lines[-1] if lines else ""
        self.error_line = None
        for match in re.finditer(r'File "([^"]+)", line (\d+)', proc.stderr):
            if os.path.basename(match.group(1)) == name:
                self.error_line = int(match.group(2))


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = RECORDER_DIR + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def run_plain(program):
    name = os.path.basename(program)
    proc = subprocess.run([sys.executable, name], cwd=os.path.dirname(program), capture_output=True, text=True,
                          timeout=300, env=_env())
    return Run(proc, name)


def run_recorded(program, trace, *extra):
    name = os.path.basename(program)
    proc = subprocess.run([sys.executable, "-m", "tapedeck_torch", name, *extra, "-o", str(trace)],
                          cwd=os.path.dirname(program), capture_output=True, text=True, timeout=300, env=_env())
    return Run(proc, name)


def run_both(program, trace, *extra):
    """Runs `program` plainly and recorded (at once, each a subprocess) on this machine.

    Recording must not change what the program does, and what it prints may depend on the CPU
    (MKL and ATen pick their summation order by CPU), so the recorded run is compared with a plain
    run here, never with text stored from another machine."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        plain = pool.submit(run_plain, program)
        recorded = run_recorded(program, trace, *extra)
        return recorded, plain.result()


def assert_same_behaviour(recorded, plain):
    """The recorded run printed, exited and failed exactly as the plain run of the same program."""
    assert recorded.stdout == plain.stdout
    assert recorded.exit_code == plain.exit_code
    assert recorded.last_error_line == plain.last_error_line
    assert recorded.error_line == plain.error_line


def expected_of(program):
    with open(program[:-3] + ".expected.json") as f:
        return json.load(f)


def cases():
    return sorted(n[:-3] for n in os.listdir(CASES_DIR) if n.endswith(".py"))


def committed_traces():
    """The cases whose trace is committed in Tests/DebuggerTests/Traces for the Swift tests."""
    return sorted(n[:-4] for n in os.listdir(TRACES_DIR) if n.endswith(".tdt"))


def programs():
    return sorted(n[:-3] for n in os.listdir(PROGRAMS_DIR) if n.endswith(".py"))


@pytest.fixture
def record_snippet(tmp_path):
    """Writes `source` to a program file, records it, and returns (run, header, events)."""
    from trace_schema import load_trace

    def record(source, name="snippet.py"):
        program = tmp_path / name
        program.write_text(source)
        trace = tmp_path / "snippet.tdt"
        run = run_recorded(str(program), trace)
        header, events = load_trace(str(trace))
        return run, header, events
    return record


def require_native():
    """Skips the calling test (or module, when called at its top) where the `--native` core cannot be
    built, saying why; under CI=true that fails instead (scripts/bootstrap.sh installs ninja), so CI
    never passes without the native tests."""
    from tapedeck_torch import native
    try:
        native.load()
    except native.NativeUnavailable as unavailable:
        if os.environ.get("CI") == "true":
            pytest.fail("tapedeck_torch --native is not available (CI=true: its tests must run): %s" % unavailable,
                        pytrace=False)
        pytest.skip("tapedeck_torch --native is not available here: %s" % unavailable, allow_module_level=True)
