"""The `tapedeck_torch.record()` context manager, used in-process around a region of code."""

import pytest
import torch

import tapedeck_torch
from reference_explain import explain
from trace_schema import load_trace


def test_region_is_recorded_and_explained(tmp_path):
    path = tmp_path / "region.tdt"
    x = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        with tapedeck_torch.record(str(path)):
            y = x.sigmoid()
            y.mul_(2)
            y.sum().backward()
    header, events = load_trace(str(path))
    assert header["path"] == __file__ and "tapedeck_torch.record" in header["source"]
    culprit = explain(events)
    assert culprit.slot == "result" and culprit.node_name == "SigmoidBackward0"
    assert culprit.op["call"] == "Tensor.mul_" and "file" not in culprit.op
    assert events[-1] == {"k": "exit", "code": 1}


def test_recording_stops_cleanly(tmp_path):
    before = (torch.autograd._engine_run_backward, torch.autograd.Function.__dict__["apply"])
    with tapedeck_torch.record(str(tmp_path / "a.tdt")):
        (torch.ones(2, requires_grad=True) * 2).sum().backward()
    assert (torch.autograd._engine_run_backward, torch.autograd.Function.__dict__["apply"]) == before
    assert torch.overrides._get_current_function_mode_stack() == []
    _, events = load_trace(str(tmp_path / "a.tdt"))
    assert events[-1] == {"k": "exit", "code": 0}


def test_long_runs_keep_ids_consistent(tmp_path):
    """Thousands of short-lived tensors: the registry forgets dead ones without losing live ones."""
    path = tmp_path / "loop.tdt"
    w = torch.ones(2, requires_grad=True)
    with tapedeck_torch.record(str(path)):
        for i in range(3000):
            h = torch.ones(2) * i
        loss = (w * h).sum()
        loss.backward()
    _, events = load_trace(str(path))
    assert not [e for e in events if e["k"] in ("recorder_error", "sync")]
    assert [e for e in events if e["k"] == "bwend"] == [{"k": "bwend", "b": 0}]
    assert w.grad.tolist() == [2999.0, 2999.0]
