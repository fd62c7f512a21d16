"""`record(..., keep_steps=N)` / `--keep-steps N`: a bounded window over a long run."""

import json
import os
import signal
import subprocess
import sys

import pytest
import torch

import tapedeck_torch
from tapedeck_torch import window
from conftest import Run, _env, assert_same_behaviour, require_native, run_plain
from reference_explain import explain
from trace_schema import load_trace


def train(steps: int, break_at: int | None = None) -> None:
    """A small Adam training loop; at step `break_at` a saved sigmoid output is bumped by `mul_`."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    x = torch.randn(16, 4)
    for step in range(steps):
        optimizer.zero_grad()
        out = model(x).sigmoid()
        if step == break_at:
            out.mul_(2)
        out.sum().backward()
        optimizer.step()


@pytest.fixture(params=["python", "native"])
def native(request):
    """Each test that takes it runs with the Python recorder and with the `--native` core: both
    keep the same window."""
    if request.param == "native":
        require_native()
    return request.param == "native"


def record(path, keep_steps, action, *args, native=False):
    """Records `action(*args)` into `path` and loads the trace; the RuntimeError a training loop
    raises on purpose is expected, a refusal of the native core (also a RuntimeError) is not."""
    from tapedeck_torch.native import NativeUnsupported
    try:
        with tapedeck_torch.record(str(path), keep_steps=keep_steps, native=native):
            action(*args)
    except NativeUnsupported:
        raise
    except RuntimeError:
        pass
    return load_trace(str(path))


def options(native):
    return ["--native"] if native else []


def test_window_keeps_the_failing_step_and_names_the_same_culprit(tmp_path, native):
    full_header, full = record(tmp_path / "full.tdt", None, train, 30, 25, native=native)
    header, kept = record(tmp_path / "kept.tdt", 3, train, 30, 25, native=native)
    assert full_header["version"] == "1.0" and "dropped" not in full_header
    assert header["version"] == "1.1"
    assert header["dropped"]["steps"] == 22  # 25 finished steps, 3 kept, and the failing one
    assert header["dropped"]["errors"] == 0
    assert len([e for e in kept if e["k"] == "backward"]) == 4
    a, b = explain(full), explain(kept)
    assert (a.slot, a.node_name, a.message) == (b.slot, b.node_name, b.message)
    assert (a.op["call"], a.op["line"], a.op["col"]) == (b.op["call"], b.op["line"], b.op["col"])
    assert kept[-1] == {"k": "exit", "code": 1}


def test_window_bounds_the_trace(tmp_path, native):
    record(tmp_path / "short.tdt", 2, train, 20, native=native)
    record(tmp_path / "long.tdt", 2, train, 200, native=native)
    short, long = os.path.getsize(tmp_path / "short.tdt"), os.path.getsize(tmp_path / "long.tdt")
    assert long < 1.2 * short
    header, _ = load_trace(str(tmp_path / "long.tdt"))
    assert header["dropped"]["steps"] == 198


def test_short_runs_are_written_unchanged(tmp_path, native):
    _, full = record(tmp_path / "full.tdt", None, train, 3, native=native)
    header, kept = record(tmp_path / "kept.tdt", 5, train, 3, native=native)
    assert "dropped" not in header

    def comparable(events: list[dict]) -> list[dict]:
        """Without previews (nn.Linear's init reads torch.empty() memory) and sequence numbers
        (they count on from the earlier recording)."""
        return [{k: v for k, v in e.items() if k not in ("val", "seq")} for e in events]
    assert comparable(full) == comparable(kept)


def test_culprit_in_a_dropped_step_leaves_the_counter_ahead_of_the_saved_version(tmp_path, native):
    """The graph of step 2 outlives its step; the optimizer steps that bumped its saved parameter
    were dropped, so the header carries the parameter's version at the cut."""
    def run() -> None:
        w = torch.nn.Parameter(torch.ones(3))
        optimizer = torch.optim.SGD([w], lr=0.1)
        kept = None
        for i in range(6):
            optimizer.zero_grad()
            loss = (w * w).sum()
            if i == 2:
                kept = (w * w).sum()
            loss.backward()
            optimizer.step()
        kept.backward()
    header, events = record(tmp_path / "kept.tdt", 1, run, native=native)
    dropped = header["dropped"]
    assert dropped["steps"] == 5
    saves = [e for e in events if e["k"] == "save" and e["v"] == 2]
    assert len(saves) == 2  # MulBackward0 of step 2 saved w at version 2
    counter = next(e["vc"] for e in events if e["k"] == "tensor" and e["t"] == saves[0]["t"])
    assert [counter, 5] in dropped["versions"]
    end = next(e for e in events if e["k"] == "bwend" and "msg" in e)
    assert "is at version 6; expected version 2" in end["msg"]


def test_errors_of_dropped_steps_are_kept(tmp_path, native):
    def run() -> None:
        w = torch.ones(3, requires_grad=True)
        for i in range(8):
            y = (w * i).sigmoid()
            if i == 1:
                y.add_(1)
            try:
                y.sum().backward()
            except RuntimeError:
                pass
    header, events = record(tmp_path / "kept.tdt", 2, run, native=native)
    assert header["dropped"]["errors"] == 1
    errors = [e for e in events if e["k"] == "error"]
    assert len(errors) == 1 and "modified by an inplace operation" in errors[0]["msg"]
    assert "b" not in errors[0]  # its backward call was dropped


def test_backward_calls_end_steps_without_an_optimizer(tmp_path, native):
    program = tmp_path / "loop.py"
    program.write_text(
        "import torch\n"
        "w = torch.ones(3, requires_grad=True)\n"
        "for i in range(10):\n"
        "    y = (w * i).sigmoid()\n"
        "    if i == 7:\n"
        "        y.add_(1)\n"
        "    y.sum().backward()\n"
    )
    trace = tmp_path / "loop.tdt"
    command = [sys.executable, "-m", "tapedeck_torch", *options(native), "--keep-steps", "2", "-o", str(trace),
               "loop.py"]
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=_env())
    assert_same_behaviour(Run(proc, "loop.py"), run_plain(str(program)))
    header, events = load_trace(str(trace))
    assert header["dropped"]["steps"] == 5
    culprit = explain(events)
    assert culprit.op["name"] == "aten::add_.Tensor" and culprit.line == 6


def test_header_field_is_valid_json(tmp_path, native):
    record(tmp_path / "kept.tdt", 1, train, 4, native=native)
    with open(tmp_path / "kept.tdt") as f:
        header = json.loads(f.readline())
    assert set(header["dropped"]) == {"steps", "events", "errors", "versions"}


def test_keep_steps_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        with tapedeck_torch.record(str(tmp_path / "x.tdt"), keep_steps=0):
            pass


# Trains for three seconds of CPU time (so checkpoints, at most one a second, are due), prints, then
# kills itself.
_KILLED = """\
import os, signal, time
import torch
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(8, 4)
start = time.process_time()
steps = 0
while time.process_time() - start < 3:
    optimizer.zero_grad()
    model(x).sigmoid().sum().backward()
    optimizer.step()
    steps += 1
print("steps", steps, flush=True)
os.kill(os.getpid(), signal.%s)
"""


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_killed_windowed_run_leaves_its_kept_steps(tmp_path, signal_name, native):
    """Before, the window held every line until the end: a killed run left only the header."""
    program = tmp_path / "loop.py"
    program.write_text(_KILLED % signal_name)
    trace = tmp_path / "loop.tdt"
    command = [sys.executable, "-m", "tapedeck_torch", *options(native), "--keep-steps", "2", "-o", str(trace),
               "loop.py"]
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=_env())
    assert proc.returncode == -getattr(signal, signal_name), proc.stderr
    steps = int(proc.stdout.split()[1])
    assert sorted(os.listdir(tmp_path)) == ["loop.py", "loop.tdt.partial"], "no final trace, no temporary file"
    header, events = load_trace(str(tmp_path / "loop.tdt.partial"))
    assert header["version"] == "1.1"
    assert 0 < header["dropped"]["steps"] < steps
    assert len([e for e in events if e["k"] == "backward"]) == 2, "the two kept steps of the last checkpoint"
    assert len([e for e in events if e["k"] == "bwend"]) == 2
    assert not [e for e in events if e["k"] == "exit"], "no exit event: tapedeck calls the run incomplete"


def test_a_run_killed_before_any_step_was_dropped_keeps_its_chunks(tmp_path):
    """Until the window drops a step, lines are appended in chunks as without a window."""
    program = tmp_path / "loop.py"
    program.write_text("import os, signal\nimport torch\nx = torch.ones(3, requires_grad=True)\n"
                       "for i in range(3000):\n    y = x * 2\nos.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-m", "tapedeck_torch", "--keep-steps", "2", "-o", "loop.tdt", "loop.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env=_env())
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    header, events = load_trace(str(tmp_path / "loop.tdt.partial"))
    assert header["version"] == "1.0"
    assert len([e for e in events if e["k"] == "op"]) >= 1000, "whole chunks (4,096 lines each) were written"


def test_each_checkpoint_is_the_trace_so_far_without_its_end(tmp_path, monkeypatch, native):
    """With a checkpoint at every step boundary, the partial trace is at each boundary a whole
    trace: every line until the first drop, then the kept steps with what was dropped."""
    monkeypatch.setattr(window, "CHECKPOINT_SECONDS", 0.0)
    monkeypatch.setattr(window, "CHECKPOINT_SHARE", float("inf"))
    path = tmp_path / "run.tdt"
    partial = tmp_path / "run.tdt.partial"
    snapshots = []

    def run() -> None:
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
        x = torch.randn(16, 4)
        for step in range(13):
            optimizer.zero_grad()
            out = model(x).sigmoid()
            if step == 12:
                out.mul_(2)
            out.sum().backward()
            optimizer.step()
            snapshots.append(load_trace(str(partial)))
    header, events = record(path, 2, run, native=native)
    assert sorted(os.listdir(tmp_path)) == ["run.tdt"]
    early_header, early = snapshots[1]
    assert early_header["version"] == "1.0" and len([e for e in early if e["k"] == "backward"]) == 2
    ninth_header, ninth = snapshots[9]
    assert ninth_header["dropped"]["steps"] == 8
    assert len([e for e in ninth if e["k"] == "backward"]) == 2
    assert not [e for e in ninth if e["k"] == "exit"]
    assert header["dropped"]["steps"] == 10
    culprit = explain(events)
    assert culprit.op["name"] == "aten::mul_.Tensor"


def test_a_node_freed_in_a_dropped_step_keeps_no_saves(tmp_path, native):
    """`kept`'s graph is freed by its backward call in step 1, which is dropped with its `release`
    events; `w` is bumped by every optimizer step since. Keeping the node's `save` of `w` would make
    the second backward read as a stale save whose write was dropped (what `tapedeck explain` said);
    without the saves it reads as what PyTorch raised: backward through a freed graph."""
    def run() -> None:
        w = torch.nn.Parameter(torch.ones(3))
        optimizer = torch.optim.SGD([w], lr=0.1)
        kept = None
        for i in range(6):
            optimizer.zero_grad()
            loss = (w * 2).sum()
            if i == 1:
                kept = (w * w).sum()
                kept.backward()
            loss.backward()
            optimizer.step()
        kept.backward()
    _, full = record(tmp_path / "full.tdt", None, run, native=native)
    header, events = record(tmp_path / "kept.tdt", 1, run, native=native)
    assert header["dropped"]["steps"] == 5
    for trace in (full, events):
        end = [e for e in trace if e["k"] == "bwend" and "msg" in e][-1]
        assert "backward through the graph a second time" in end["msg"]
    end = [e for e in events if e["k"] == "bwend" and "msg" in e][-1]
    failed = next(e for e in events if e["k"] == "node" and e["n"] == end["fail"])
    assert failed["name"] == "MulBackward0"
    assert not [e for e in events if e["k"] == "save" and e["n"] == end["fail"]]
    full_end = [e for e in full if e["k"] == "bwend" and "msg" in e][-1]
    assert len([e for e in full if e["k"] == "save" and e["n"] == full_end["fail"]]) == 2
    assert explain(events) is None, "no in-place write is blamed"
