import atexit
import itertools
import json
import locale
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
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


class _Zygotes:
    """Processes that have imported torch and run programs in forks of themselves (zygote.py): one
    per program running at once, started when first needed and ended with the session."""

    def __init__(self):
        self._idle = queue.SimpleQueue()
        self._all = []
        self._lock = threading.Lock()
        self._folder = tempfile.mkdtemp(prefix="tapedeck-zygote-")
        self._runs = itertools.count()

    def run(self, args, cwd, timeout=300):
        """`python3 ARGS` run in `cwd` with `_env()`, as `subprocess.run(..., capture_output=True,
        text=True, timeout=timeout)` would give it."""
        try:
            zygote = self._idle.get_nowait()
        except queue.Empty:
            zygote = self._start()
        try:
            number = next(self._runs)
            out, err = (os.path.join(self._folder, "%d.%s" % (number, kind)) for kind in ("out", "err"))
            zygote.stdin.write(json.dumps({"args": args, "cwd": cwd, "stdout": out, "stderr": err,
                                           "timeout": timeout}) + "\n")
            zygote.stdin.flush()
            reply = json.loads(zygote.stdout.readline())
        except BaseException:
            zygote.kill()
            raise
        self._idle.put(zygote)
        stdout, stderr = (_read_text(path) for path in (out, err))
        if reply.get("timed_out"):
            raise subprocess.TimeoutExpired([sys.executable, *args], timeout, stdout, stderr)
        return subprocess.CompletedProcess([sys.executable, *args], reply["code"], stdout, stderr)

    def _start(self):
        zygote = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "zygote.py")],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env())
        with self._lock:
            self._all.append(zygote)
        return zygote

    def close(self):
        for zygote in self._all:
            zygote.stdin.close()
            zygote.wait()
        shutil.rmtree(self._folder, ignore_errors=True)


def _read_text(path):
    """A child's output file as `subprocess.run(..., text=True)` decodes a pipe."""
    with open(path, encoding=locale.getpreferredencoding(False), newline=None) as f:
        text = f.read()
    os.remove(path)
    return text


ZYGOTES = _Zygotes()
atexit.register(ZYGOTES.close)


def run_python(program, *args):
    """`python3 ARGS` run in `program`'s folder (through a zygote: see zygote.py), where `args` name
    the program by its file name."""
    return Run(ZYGOTES.run(list(args), os.path.dirname(program)), os.path.basename(program))


def run_plain(program):
    return run_python(program, os.path.basename(program))


def run_recorded(program, trace, *extra):
    return run_python(program, "-m", "tapedeck_torch", os.path.basename(program), *extra, "-o", str(trace))


def run_both(program, trace, *extra):
    """Runs `program` plainly and recorded (at once, each a subprocess) on this machine.

    Recording must not change what the program does, and what it prints may depend on the CPU
    (MKL and ATen pick their summation order by CPU), so the recorded run is compared with a plain
    run here, never with text stored from another machine."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        plain = pool.submit(run_plain, program)
        recorded = run_recorded(program, trace, *extra)
        return recorded, plain.result()


@pytest.fixture(scope="session")
def program_runs(tmp_path_factory):
    """Each program of tests/programs recorded (by the Python recorder) and run plainly, once for the
    session, all up front and in parallel: `{name: (recorded run, plain run, trace path)}`, what
    test_programs.py checks and test_native.py compares --native with."""
    folder = tmp_path_factory.mktemp("programs")

    def record(name):
        trace = folder / (name + ".tdt")
        return (*run_both(os.path.join(PROGRAMS_DIR, name + ".py"), trace), str(trace))
    return each_at_once(record, programs())


def each_at_once(record, names):
    """`{name: record(name)}` for each of `names`, as many at once as there are cores (each call
    mostly waits on the programs it runs)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(names, pool.map(record, names), strict=True))


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
