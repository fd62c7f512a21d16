"""Runs cut short: the trace is written under `RUN.tdt.partial` and renamed to `RUN.tdt` only when the
run ends, so a killed run never leaves a cut-off trace under the final name (issue 8, "Nothing is lost")."""

import os
import signal
import subprocess
import sys

import pytest
import torch

import tapedeck_torch
from conftest import _env
from trace_schema import load_trace

# 400 forward+backward steps write well over one chunk (TraceWriter.CHUNK lines) before the end.
_LOOP = """\
import os, signal
import torch
x = torch.ones(3, requires_grad=True)
for i in range(400):
    (x * 2).sum().backward()
print("steps done", flush=True)
os.kill(os.getpid(), signal.%s)
print("not reached")
"""


def _default_sigint() -> None:
    """Gives the recording child SIGINT's default action, however the suite was started: a shell
    starts a background job (`pytest ... &`) with SIGINT ignored, the child inherits that, and
    python3 then installs no KeyboardInterrupt handler, so Ctrl-C would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _record(tmp_path, signal_name):
    program = tmp_path / "loop.py"
    program.write_text(_LOOP % signal_name)
    trace = tmp_path / "loop.tdt"
    proc = subprocess.run([sys.executable, "-m", "tapedeck_torch", "loop.py", "-o", str(trace)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=_env(), preexec_fn=_default_sigint)
    return proc, trace


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_killed_run_leaves_a_partial_trace_and_no_final_one(tmp_path, signal_name):
    proc, trace = _record(tmp_path, signal_name)
    assert proc.returncode == -getattr(signal, signal_name), proc.stderr
    assert not trace.exists(), "the final name never holds a cut-off trace"
    partial = tmp_path / "loop.tdt.partial"
    text = partial.read_text()
    assert text.endswith("\n"), "whole chunks reach the file, never half a line"
    header, events = load_trace(str(partial))
    assert header["path"] == "loop.py"
    assert sum(1 for e in events if e["k"] == "bwend") >= 100, "the events written before the kill are kept"
    assert not [e for e in events if e["k"] == "exit"], "no exit event: tapedeck calls the run incomplete"


def test_ctrl_c_records_keyboard_interrupt_and_exits_130(tmp_path):
    proc, trace = _record(tmp_path, "SIGINT")
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.rstrip().endswith("KeyboardInterrupt"), proc.stderr
    assert not (tmp_path / "loop.tdt.partial").exists()
    _, events = load_trace(str(trace))
    assert events[-2]["k"] == "error" and events[-2]["type"] == "KeyboardInterrupt" and events[-2]["line"] == 7
    assert events[-1] == {"k": "exit", "code": 130}


def test_a_finished_run_is_renamed_into_place(tmp_path):
    program = tmp_path / "ok.py"
    program.write_text("import torch\n(torch.ones(2, requires_grad=True) * 2).sum().backward()\n")
    proc = subprocess.run([sys.executable, "-m", "tapedeck_torch", "ok.py", "-o", "ok.tdt"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=_env())
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["ok.py", "ok.tdt"]
    _, events = load_trace(str(tmp_path / "ok.tdt"))
    assert events[-1] == {"k": "exit", "code": 0}


def test_a_region_is_written_under_the_partial_name_until_it_ends(tmp_path):
    path = tmp_path / "region.tdt"
    with tapedeck_torch.record(str(path)):
        (torch.ones(2, requires_grad=True) * 2).sum().backward()
        assert not path.exists()
        header, _ = load_trace(str(tmp_path / "region.tdt.partial"))
        assert header["path"] == __file__, "the header is on disk from the start"
    assert os.listdir(tmp_path) == ["region.tdt"]


def test_an_earlier_trace_stays_until_the_new_one_is_complete(tmp_path):
    path = tmp_path / "run.tdt"
    path.write_text("earlier\n")
    recording = tapedeck_torch.record(str(path))
    recording.__enter__()
    assert path.read_text() == "earlier\n"
    recording.__exit__(None, None, None)
    _, events = load_trace(str(path))
    assert events[-1] == {"k": "exit", "code": 0}
