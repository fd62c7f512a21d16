"""`--native` (tapedeck_torch/native): the recorder with the C++ core gives every program it accepts
the same behaviour and the same verdict as the Python recorder — the failing node, the stale saved
slot, the culprit op, its line, columns and library frame, the error — and stops with a message
naming what it does not support. Skipped, with the reason, where the core cannot be built."""

import math
import os
import random
import re
import struct
import subprocess
import sys
import threading

import pytest
from conftest import (
    CASES_DIR,
    PROGRAMS_DIR,
    REPO_DIR,
    _env,
    assert_same_behaviour,
    cases,
    each_at_once,
    expected_of,
    programs,
    require_native,
    run_plain,
    run_python,
)
from reference_explain import explain
from trace_schema import load_trace

from tapedeck_torch import native
from tapedeck_torch.writer import number_list

require_native()


def run_native(program, trace, *options):
    return run_python(program, "-m", "tapedeck_torch", "--native", *options, os.path.basename(program), "-o",
                      str(trace))


def verdict(events):
    """What `tapedeck explain` concludes from a trace: the culprit op (aten name, call, site, frame),
    the stale slot and failing node, and the failed backward's node and message."""
    culprit = explain(events)
    failed = [e for e in events if e["k"] == "bwend" and "msg" in e]
    nodes = {e["n"]: e["name"] for e in events if e["k"] == "node"}
    ended = [(nodes.get(e.get("fail")), e.get("slot"), e["msg"]) for e in failed[:1]]
    if culprit is None:
        return None, ended
    op = culprit.op
    return (op.get("name"), op.get("call"), op["line"], op.get("col"), op.get("end"), op.get("file"), op.get("frame"),
            culprit.slot, culprit.node_name, culprit.message), ended


@pytest.fixture(scope="module")
def recorded_programs(tmp_path_factory, program_runs):
    """Each program run plainly, recorded by the Python recorder (conftest's `program_runs`) and
    recorded with --native: `{name: (plain, python, python trace, native, native trace)}`."""
    folder = tmp_path_factory.mktemp("native-programs")

    def record(name):
        fast = folder / (name + ".native.tdt")
        return run_native(os.path.join(PROGRAMS_DIR, name + ".py"), fast), str(fast)
    native = each_at_once(record, programs())
    return {name: (plain, python, python_trace, *native[name])
            for name, (python, plain, python_trace) in program_runs.items()}


@pytest.fixture(scope="module")
def recorded_cases(tmp_path_factory):
    """Each conformance case recorded with --native (test_conformance.py runs the others)."""
    folder = tmp_path_factory.mktemp("native-cases")

    def record(case):
        trace = folder / (case + ".tdt")
        return run_native(os.path.join(CASES_DIR, case + ".py"), trace), str(trace)
    return each_at_once(record, cases())


@pytest.mark.parametrize("name", programs())
def test_program_has_the_python_recorders_verdict(name, recorded_programs):
    plain, python, python_trace, fast, fast_trace = recorded_programs[name]
    assert_same_behaviour(fast, plain)
    _, events = load_trace(fast_trace)
    _, python_events = load_trace(python_trace)
    assert events[-1] == {"k": "exit", "code": plain.exit_code}
    assert not [e for e in events if e["k"] == "recorder_error"]
    assert "".join(e["text"] for e in events if e["k"] == "print") == plain.stdout
    assert verdict(events) == verdict(python_events)


@pytest.mark.parametrize("case", cases())
def test_conformance_case(case, recorded_cases):
    """Every conformance case either behaves as its expected.json says, recorded with --native, with
    the culprit line it names, or is refused by name."""
    run, trace = recorded_cases[case]
    _, events = load_trace(trace)
    assert events[-1]["k"] == "exit"
    if "NativeUnsupported" in run.last_error_line:
        assert run.last_error_line.startswith("tapedeck_torch.native.NativeUnsupported: tapedeck_torch --native "
                                              "does not support ")
        return
    expected = expected_of(os.path.join(CASES_DIR, case + ".py"))
    assert run.exit_code == expected["exit_code"]
    assert not [e for e in events if e["k"] == "recorder_error"]
    assert "".join(e["text"] for e in events if e["k"] == "print") == run.stdout
    if expected["exit_code"] != 0:
        assert run.last_error_line == expected["error"]
        assert run.error_line == expected["error_line"]
    if "culprit_line" in expected:
        assert explain(events) is not None
        assert explain(events).line == expected["culprit_line"]


def calls_by_site(events):
    """The spellings of the calls behind the ops written at each aten name and site."""
    calls = {}
    for e in events:
        if e["k"] == "op":
            site = (e["name"], e["line"], e.get("col"), e.get("end"), e.get("file"), e.get("frame"))
            calls.setdefault(site, set()).add(e["call"])
    return calls


@pytest.mark.parametrize("name", programs())
def test_calls_are_spelled_as_the_python_recorder_spells_them(name, recorded_programs):
    """The core reads the Python call behind each op from the calling frame's bytecode (callees.py):
    `Tensor.addcdiv_`, `torch._foreach_mul_`, `torch.nn.functional.relu`, `Tensor.backward`. At each
    aten name and site both recorders write, two spellings never disagree, and most of the Python
    recorder's are there. Either may be empty where the other is not: the core leaves an operator
    below a library frame and a callee that is not a dotted name unspelled, and PyTorch hands a
    TorchFunctionMode no call for a few methods (`Tensor.set_`, as unpickling a DataLoader worker's
    batch calls it), which the core spells as the frame's bytecode shows."""
    _, _, python_trace, _, fast_trace = recorded_programs[name]
    python = calls_by_site(load_trace(python_trace)[1])
    fast = calls_by_site(load_trace(fast_trace)[1])
    shared = [(python[site] - {""}, fast[site] - {""}) for site in python.keys() & fast.keys()]
    assert len(shared) >= 0.8 * len(python)
    assert [pair for pair in shared if all(pair) and pair[0] != pair[1]] == []
    assert len([ours for theirs, ours in shared if theirs and ours]) >= 0.8 * len([1 for theirs, _ in shared if theirs])


def test_most_conformance_cases_are_recorded(recorded_cases):
    """The refusals are the exception (custom Functions applied before the recording started, a node
    whose saved slots the core cannot name), not everyday programs."""
    refused = [case for case, (run, _) in recorded_cases.items() if "NativeUnsupported" in run.last_error_line]
    assert len(refused) <= len(recorded_cases) // 5, refused


def _tapedeck():
    for build in ("release", "debug"):
        path = os.path.join(REPO_DIR, ".build", build, "tapedeck")
        if os.access(path, os.X_OK):
            return path
    return os.environ.get("TAPEDECK")


@pytest.mark.skipif(not _tapedeck() and os.environ.get("CI") != "true",
                    reason="no built tapedeck binary (.build/*/tapedeck or $TAPEDECK)")
@pytest.mark.parametrize("name", programs())
def test_tapedeck_explain_says_the_same(name, recorded_programs):
    """`tapedeck explain` on both traces gives the same report, word for word: diagnosis, source
    excerpt, error, version timeline, the variables named alike, the culprit's call spelled alike.
    Op and tensor numbers aside (--native numbers what the C++ observer sees, and tells tensors
    apart by PyTorch's own objects)."""
    assert _tapedeck(), "no built tapedeck binary (CI=true: scripts/test.sh builds it before these tests)"
    _, _, python_trace, _, fast_trace = recorded_programs[name]

    def report(trace):
        text = subprocess.run([_tapedeck(), "explain", trace], capture_output=True, text=True, timeout=120).stdout
        return re.sub(r"\bt\d+\b", "tN", re.sub(r"#\d+", "#N", text))
    assert report(fast_trace) == report(python_trace)


NAMES = """\
import torch

x = torch.ones(3, requires_grad=True)


def scaled(a):
    b = a * 2
    c = b.exp()
    return c


y = scaled(x)
y = scaled(y)
w = y.detach().mul(0.5)
w.add_(1)
z = (y * w).sum()
z.backward()
for step in range(2):
    h = x * step
    g = h + 1
"""
"""Names bound in a function's frame, in the program's, again in a second call of the function, by
the statement before a backward call (which no op starts), and in a loop."""


def test_variables_are_named_as_the_python_recorder_names_them(tmp_path):
    """The core hands NameBinder the program frame when the program's ops move to another statement
    or frame (and before a backward call): the `bind` events are the Python recorder's, each after
    the same op."""
    runs = record_each(tmp_path, "names", NAMES)
    bound = {}
    for with_native, (run, trace) in runs.items():
        assert run.exit_code == 0, run.stderr
        _, events = load_trace(trace)
        shapes, after, bound[with_native] = {}, None, []
        for e in events:
            if e["k"] == "tensor":
                shapes[e["t"]] = e["shape"]
            elif e["k"] in ("op", "backward"):
                after = (e["k"], e["line"], e.get("name"))
            elif e["k"] == "bind":
                bound[with_native].append((e["name"], e["line"], shapes[e["t"]], after))
    assert bound[True] == bound[False]
    assert [(name, line) for name, line, *_ in bound[True]] == [
        ("a", 7), ("b", 7), ("a", 8), ("b", 7), ("x", 14), ("y", 14), ("w", 14), ("z", 16), ("h", 19), ("g", 20),
        ("h", 19)]


def run_record_block(tmp_path, name, body):
    """Runs a program that records `body` (indented lines, with `x` a leaf of three ones) through
    `tapedeck_torch.record(NAME.tdt, native=True)`; returns the finished process and the trace's events."""
    program = tmp_path / (name + ".py")
    program.write_text(
        "import torch, tapedeck_torch\n"
        "x = torch.ones(3, requires_grad=True)\n"
        "with tapedeck_torch.record('%s.tdt', native=True):\n" % name + body)
    proc = subprocess.run([sys.executable, str(program)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=_env())
    assert proc.returncode == 0, proc.stderr
    _, events = load_trace(str(tmp_path / (name + ".tdt")))
    return proc, events


def test_record_api(tmp_path):
    proc, events = run_record_block(tmp_path, "api", (
        "    y = x.sigmoid()\n"
        "    y.mul_(2)\n"
        "    try:\n"
        "        y.sum().backward()\n"
        "    except RuntimeError as e:\n"
        "        print(type(e).__name__)\n"))
    assert proc.stdout == "RuntimeError\n", proc.stderr
    culprit = explain(events)
    assert (culprit.op["name"], culprit.line, culprit.slot, culprit.node_name) == (
        "aten::mul_.Tensor", 5, "result", "SigmoidBackward0")


def test_a_custom_node_made_before_the_recording_is_refused(tmp_path):
    """`y`'s node was made before the block: the core cannot read its saves, and must not give it the
    saves of the node being added (the second Square's, whose edge leads to it)."""
    program = tmp_path / "before.py"
    program.write_text(
        "import torch, tapedeck_torch\n"
        "class Square(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        ctx.save_for_backward(x)\n"
        "        return x * x\n"
        "    @staticmethod\n"
        "    def backward(ctx, grad):\n"
        "        (x,) = ctx.saved_tensors\n"
        "        return 2 * x * grad\n"
        "x = torch.ones(3, requires_grad=True)\n"
        "y = Square.apply(x)\n"
        "with tapedeck_torch.record('before.tdt', native=True):\n"
        "    z = Square.apply(y)\n"
        "    z.sum().backward()\n")
    proc = subprocess.run([sys.executable, str(program)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=_env())
    message = ("tapedeck_torch --native does not support custom autograd Functions applied before the recording "
               "started; record without --native")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == "tapedeck_torch.native.NativeUnsupported: " + message
    _, events = load_trace(str(tmp_path / "before.tdt"))
    assert (events[-2]["k"], events[-2]["msg"]) == ("error", message)
    assert [e["k"] for e in events].count("error") == 1, "the refusal the program raised is written once"
    before, inside = [e["n"] for e in events if e["k"] == "node" and e["name"] == "SquareBackward"]
    y = next(e for e in events if e["k"] == "op")["in"][0][0]
    assert [(e["n"], e["t"]) for e in events if e["k"] == "save"] == [(inside, y)], "each node its own saves"


def test_events_are_written_in_the_order_the_program_ran(tmp_path):
    """The core's formatted blocks (ops, tensors, node runs) and the lines Python writes between them
    (printed text, backward, bwend, exit) reach the file in program order, and two prints with no
    op between them stay one `print` event."""
    proc, events = run_record_block(tmp_path, "order", (
        "    y = x * 2\n"
        "    print('a')\n"
        "    print('b')\n"
        "    z = y.sum()\n"
        "    z.backward()\n"
        "    print('c')\n"
        "    w = x + 1\n"))
    assert proc.stdout == "a\nb\nc\n", proc.stderr
    story = []
    for event in events:
        if event["k"] == "op" and event["name"] in ("aten::mul.Tensor", "aten::sum", "aten::add.Tensor"):
            story.append(event["name"])
        elif event["k"] == "print":
            story.append(event["text"])
        elif event["k"] in ("backward", "run", "bwend", "exit") and story[-1:] != [event["k"]]:
            story.append(event["k"])
    assert story == ["aten::mul.Tensor", "a\nb\n", "aten::sum", "backward", "run", "bwend", "c\n",
                     "aten::add.Tensor", "exit"]


def record_each(tmp_path, name, text):
    """Writes `text` to tmp_path/NAME.py and records it with the Python recorder and with --native:
    `{with_native: (run, trace path)}`, for tests that compare what the two write."""
    program = tmp_path / (name + ".py")
    program.write_text(text)
    runs = {}
    for with_native in (False, True):
        trace = str(tmp_path / ("%s.%s.tdt" % (name, "native" if with_native else "python")))
        options = ["--native"] if with_native else []
        runs[with_native] = run_python(str(program), "-m", "tapedeck_torch", *options, program.name, "-o", trace), trace
    return runs


PREVIEWED = """\
import torch

torch.manual_seed(0)
w = torch.randn(4, 3, requires_grad=True)
x = torch.tensor([[1e-5, -0.0, 1e16], [123.456, 1e15, 0.0001], [float("nan"), float("inf"), -float("inf")]])
h = (x.nan_to_num(0.0, 1.0, -1.0) @ w.t()).tanh()
b = torch.arange(6).reshape(2, 3) > 2
half = torch.linspace(-1, 1, 5, dtype=torch.float16)
bf = torch.linspace(-1, 1, 5, dtype=torch.bfloat16)
u = w.t()[1:] * 3
d = torch.ones(2, 2, dtype=torch.float64) / 3
small = torch.tensor([1, -2, 3], dtype=torch.int8) + torch.tensor(200, dtype=torch.uint8)
big = torch.zeros(65)
h2 = h * 1
h2.mul_(2)
(h2 * u.sum()).sum().backward()
print(small.tolist(), half.tolist(), b.tolist())
"""
"""Values of every kind the previews write: float32 around the points where `repr` changes notation,
-0.0, NaN and the infinities, float16, bfloat16, float64, int8 and uint8 (wrapped), bool, a strided
view, 65 elements (over the limit), a write in place (a `values` event) and backward's gradients."""


def test_value_previews_are_the_python_recorders(tmp_path):
    """The core previews the values of the tensors it sees, of in-place writes and of the gradients
    nodes receive, in the same text as the Python recorder (`repr` of each float), so the debugger
    shows the same numbers whichever recorded."""
    texts = {}
    for with_native, (run, trace) in record_each(tmp_path, "previewed", PREVIEWED).items():
        assert run.exit_code == 0, run.stderr
        with open(trace) as f:
            lines = f.read().splitlines()[1:]
        texts[with_native] = {kind: {v for line in lines if line.startswith('{"k":"%s"' % kind)
                                     for v in re.findall(r'"val":(\[[^\]]*\])', line)}
                              for kind in ("tensor", "values", "run")}
    python, fast = texts[False], texts[True]
    assert fast["tensor"] == python["tensor"] and fast["values"] == python["values"]
    assert fast["run"] and fast["run"] == python["run"]
    assert '[9.999999747378752e-06,-0.0,1.0000000272564224e+16,123.45600128173828,999999986991104.0,' \
           '9.999999747378752e-05,"nan","inf","-inf"]' in fast["tensor"]
    assert len(fast["values"]) == 1 and "[-55,-58,-53]" in fast["tensor"] and "[0,0,0,1,1,1]" in fast["tensor"]


def test_float_previews_are_written_as_repr_writes_them(tmp_path):
    """The core writes each previewed float as Python's `repr` does (the shortest decimal that reads
    back as it), from its own digits where 128-bit arithmetic holds them exactly (2^-130 to 2^63) and
    from std::to_chars elsewhere: values at the edges of both and of `repr`'s notations, powers of
    two (a nearer neighbour below), zeros, subnormals, random doubles of every magnitude and random
    float32 values."""
    rng = random.Random(14)
    edges = [1e-4, 1e16, 1e-14, 1e18, 1e17, 1e-13, 2.0 ** 53, 0.1, 1 / 3, 2.0 ** -130, 2.0 ** 63, 2.0 ** 56,
             2.0 ** -60, 123456789.125, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.0, -0.0,
             -2.5, 3.0, 1.2345678901234567e-05, 1.234567890123456e16]
    edges += [math.nextafter(value, toward) for value in edges[:13] for toward in (0.0, math.inf)]
    doubles = edges + [rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30) for _ in range(150)]
    singles = [struct.unpack("f", struct.pack("f", rng.gauss(0, 10.0 ** rng.randint(-8, 8))))[0] for _ in range(192)]
    chunks = [("float64", doubles[i:i + 64]) for i in range(0, len(doubles), 64)]
    chunks += [("float32", singles[i:i + 64]) for i in range(0, len(singles), 64)]
    run_record_block(tmp_path, "floats", "".join("    t%d = torch.tensor(%r, dtype=torch.%s) * 1\n" % (i, values, dtype)
                                                 for i, (dtype, values) in enumerate(chunks)))
    with open(tmp_path / "floats.tdt") as f:
        written = set(re.findall(r'"val":(\[[^\]]*\])', f.read()))
    for _, values in chunks:
        assert number_list(values) in written


def test_node_runs_and_releases_are_the_python_recorders(tmp_path):
    """Every node a backward call runs, AccumulateGrad included (it has no sequence number: the
    engine's current node names it), and each release of saved tensors, in the Python recorder's
    order: the backward pane replays the same steps whichever recorded."""
    steps = {}
    for with_native, (run, trace) in record_each(tmp_path, "runs", (
            "import torch\n"
            "w = torch.ones(3, requires_grad=True)\n"
            "b = torch.ones(3, requires_grad=True)\n"
            "y = (w * 2 + b).sum()\n"
            "y.backward(retain_graph=True)\n"
            "y.backward()\n"
            "print(w.grad.tolist(), b.grad.tolist())\n")).items():
        assert run.exit_code == 0, run.stderr
        _, events = load_trace(trace)
        nodes = {e["n"]: e["name"] for e in events if e["k"] == "node"}
        steps[with_native] = [(e["k"], e.get("b"), nodes[e["n"]]) for e in events if e["k"] in ("run", "release")]
    assert steps[True] == steps[False]
    assert ("run", 0, "torch::autograd::AccumulateGrad") in steps[True]
    assert [k for k, b, _ in steps[True] if b == 0] == ["run"] * 5, "retain_graph=True releases nothing"


RAISING = """\
import sys

import torch

lines = []


def tracer(frame, event, arg):
    if event == "line" and frame.f_code.co_name == "traced":
        lines.append(frame.f_lineno)
    return tracer


def traced():
    a = 1
    return a + 1


w = torch.ones(3, requires_grad=True)
lin = torch.nn.Linear(4, 2)
sys.settrace(tracer)
traced()
try:
    w.add_(1)
except RuntimeError as e:
    print("caught:", e)
traced()
sys.settrace(None)
print("traced lines", len(lines))
try:
    lin(torch.ones(3, 5))
except RuntimeError as e:
    print("caught shape:", str(e)[:40])
try:
    w[5]
except IndexError as e:
    print("caught index:", e)
print((w * 2).sum().item())
try:
    (w * 2).backward()
except RuntimeError as e:
    print("caught backward:", e)
w.mul_(3)
"""
"""Ops that raise: caught in the program (under the program's own trace function, and inside
`Linear.forward`), raised by indexing before any op, raised by `backward()`'s own checks in Python
before the engine runs (a non-scalar output), and one the program does not catch."""


def test_exceptions_ops_raise_are_written_as_the_python_recorder_writes_them(tmp_path):
    """An op that raises is not written as an op; its exception is written as an `error` event at the
    op's call site when it reaches the program, caught or not, once, exactly as the Python recorder
    writes it, and the program's own trace function keeps running; so is one `torch.autograd.backward`
    raises in Python before any op runs. An exception a torch call raises before any op runs
    (`w[5]`: Python-level indexing) is not seen by the core, and is the one the Python recorder has
    and the native trace lacks."""
    runs = record_each(tmp_path, "raising", RAISING)
    plain = run_plain(str(tmp_path / "raising.py"))
    errors = {}
    for with_native, (run, trace) in runs.items():
        assert_same_behaviour(run, plain)
        _, events = load_trace(trace)
        errors[with_native] = [e for e in events if e["k"] == "error"]
        ops = [e["name"] for e in events if e["k"] == "op"]
        assert "aten::add_.Tensor" not in ops and "aten::mul_.Tensor" not in ops, "ops that raised are not written"
    assert "traced lines 4\n" in plain.stdout
    assert errors[True] == [e for e in errors[False] if e["type"] != "IndexError"]
    assert [(e["line"], e.get("frame")) for e in errors[True]] == [(24, None), (31, "Linear.forward"), (40, None),
                                                                    (43, None)]
    assert errors[True][2]["msg"] == "grad can be implicitly created only for scalar outputs"


def test_a_build_is_announced_only_when_one_is_due(tmp_path):
    """`load` says on stderr that it builds (about a minute) when ninja will compile: no built core
    in the folder, or one older than core.cpp (ninja rebuilds by modification time)."""
    assert native._stale(str(tmp_path))
    built = tmp_path / "tapedeck_torch_native.so"
    built.write_bytes(b"")
    source = os.path.getmtime(native._SOURCE)
    os.utime(built, (source + 10, source + 10))
    assert not native._stale(str(tmp_path))
    os.utime(built, (source - 10, source - 10))
    assert native._stale(str(tmp_path))


def _killed_while_holding_the_build_lock(folder, lock):
    """Starts a process that takes the build lock of `folder` and leaves torch's `lock` file as a build
    does; enters the lock on a thread, checks that it waits while the holder lives, kills the holder
    with SIGKILL and checks that the thread then goes on."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "open(sys.argv[2], 'w').close()\n"
        "print('holding', flush=True)\n"
        "time.sleep(120)\n"), str(folder / "tapedeck.lock"), str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "holding\n"
        entered = threading.Event()

        def take() -> None:
            with native._BuildLock(str(folder), baton=True):
                entered.set()
        taker = threading.Thread(target=take)
        taker.start()
        assert not entered.wait(1.0), "the lock is taken while its holder lives"
        assert lock.exists()
        holder.kill()
        taker.join(30)
        assert entered.is_set()
    finally:
        holder.kill()
        holder.wait()


def test_a_build_killed_midway_is_waited_for_and_its_lock_removed(tmp_path, capsys):
    """torch's build lock (up to 2.13 a file whose existence torch waits on), left by a process killed
    mid-build (a test's timeout), made every later `load` wait forever. `load` waits, saying so,
    while a live process builds; once that process is killed with SIGKILL, it goes on at once and
    removes the lock file torch's build left behind, but where torch flocks that file (2.14 on).
    Waiting for a process that only loads a built core is not worth a word."""
    lock = tmp_path / "lock"
    _killed_while_holding_the_build_lock(tmp_path, lock)
    err = capsys.readouterr().err
    assert "waiting for another process building the native recorder core in %s" % tmp_path in err
    assert "removing %s, left by a build that never finished" % lock in err
    assert not lock.exists()
    with native._BuildLock(str(tmp_path), baton=True):
        pass
    assert capsys.readouterr().err == "", "no other build, no lock left: nothing said"
    lock.write_bytes(b"")
    with native._BuildLock(str(tmp_path), baton=False):
        pass
    assert lock.exists() and capsys.readouterr().err == "", "torch's own flocked file stays"
    built = tmp_path / "tapedeck_torch_native.so"
    built.write_bytes(b"")
    later = os.path.getmtime(native._SOURCE) + 10
    os.utime(built, (later, later))
    _killed_while_holding_the_build_lock(tmp_path, lock)
    assert "waiting" not in capsys.readouterr().err, "the holder was loading a built core"


def test_each_copy_of_the_core_builds_in_its_own_folder(monkeypatch):
    """Two copies of core.cpp (a checkout and a `pip install`) sharing a folder rebuilt each other's
    core at every load, since ninja's build file names the source's path."""
    here = native.build_directory()
    monkeypatch.setattr(native, "_SOURCE", "/elsewhere/tapedeck_torch/native/core.cpp")
    assert native.build_directory() != here
    assert os.path.dirname(native.build_directory()) == os.path.dirname(here)


def test_a_core_that_cannot_be_built_says_why(monkeypatch):
    from torch.utils import cpp_extension
    monkeypatch.setattr(native, "_module", None)
    monkeypatch.setattr(cpp_extension, "is_ninja_available", lambda: False)
    with pytest.raises(native.NativeUnavailable, match="needs ninja, which is not installed"):
        native.load()


def test_a_failed_build_is_not_tried_again_until_the_source_changes(monkeypatch, tmp_path):
    """A core that fails to build (a torch whose internals it does not know, no compiler) fails again:
    later loads say so at once instead of spending a minute on it, until core.cpp changes."""
    from torch.utils import cpp_extension
    monkeypatch.setattr(native, "_module", None)
    monkeypatch.setenv("TAPEDECK_TORCH_CACHE", str(tmp_path))
    monkeypatch.setattr(cpp_extension, "is_ninja_available", lambda: True)
    builds = []

    def failing(*args, **kwargs):
        builds.append(kwargs["build_directory"])
        raise RuntimeError("Error building extension 'tapedeck_torch_native'\ncore.cpp:12:3: error: 'Thing' was "
                           "not declared in this scope")
    monkeypatch.setattr(cpp_extension, "load", failing)
    with pytest.raises(native.NativeUnavailable, match="could not be built in .*error: 'Thing' was not declared"):
        native.load()
    marker = os.path.join(builds[0], "build-failed")
    with pytest.raises(native.NativeUnavailable) as earlier:
        native.load()
    assert len(builds) == 1, "not built again"
    assert "error: 'Thing' was not declared in this scope), at an earlier load; remove %s to try again" % marker \
        in str(earlier.value)
    before = os.path.getmtime(native._SOURCE) - 10
    os.utime(marker, (before, before))
    with pytest.raises(native.NativeUnavailable, match="error: 'Thing' was not declared in this scope\\)$"):
        native.load()
    assert len(builds) == 2, "a source newer than the failure is built again"
