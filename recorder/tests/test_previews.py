"""Deferred value previews (tapedeck_torch/previews.py): a GPU tensor's preview is copied
asynchronously and written in bulk, one device sync per write instead of one per op. No GPU is
needed to check it: CPU tensors are deferred the same way when "cpu" is made a deferred device,
by the Python recorder and by the native core alike."""

import pytest
import torch
from conftest import require_native

import tapedeck_torch
from tapedeck_torch import previews
from trace_schema import load_trace


def test_a_deferred_preview_holds_the_values_of_its_time_and_fills_in_one_wait(monkeypatch):
    waits = []
    monkeypatch.setitem(previews.SYNCHRONIZE, "cpu", waits.append)
    pending = previews.DevicePreviews()
    t = torch.tensor([1.0, float("nan"), 3.0])
    first = pending.defer(t)
    t.add_(1)
    second = pending.defer(t)
    lines = ['{"k":"written"}', '{"k":"tensor","t":0,"val":%s}' % first,
             '{"k":"run","grads":[{"val":%s},{"val":%s}]}' % (first, second)]
    pending.fill(lines, 1)
    assert lines == ['{"k":"written"}', '{"k":"tensor","t":0,"val":[1.0,"nan",3.0]}',
                     '{"k":"run","grads":[{"val":[1.0,"nan",3.0]},{"val":[2.0,"nan",4.0]}]}']
    assert waits == ["cpu"]
    pending.fill(lines, 0)
    assert waits == ["cpu"], "nothing pending, no wait"


def program():
    """Small tensors made, written in place and differentiated: previews in `tensor`, `values` and
    `run` events."""
    w = torch.ones(4, requires_grad=True)
    for i in range(300):
        y = (w * i).sigmoid()
        z = y * 2
        z.add_(1)
        (z * y).sum().backward()


@pytest.mark.parametrize(("native", "keep_steps"), [(False, None), (True, None), (True, 2)],
                         ids=["python", "native", "native-window"])
def test_deferred_previews_give_the_trace_of_immediate_ones(tmp_path, monkeypatch, native, keep_steps):
    """Both recorders: the Python one defers in its registry, the native core copies in C++ and hands
    the copies to the same writer; and through a step window, which takes its lines from the writer."""
    if native:
        require_native()
    _, immediate = _record(tmp_path / "immediate.tdt", native, keep_steps)
    waits = []
    monkeypatch.setattr(previews, "DEFERRED_DEVICES", frozenset({"cpu"}))
    monkeypatch.setitem(previews.SYNCHRONIZE, "cpu", waits.append)
    _, deferred = _record(tmp_path / "deferred.tdt", native, keep_steps)
    if keep_steps is not None:
        assert _comparable(deferred) == _comparable(immediate)
        assert sum(1 for e in deferred if "val" in e) > 20
        assert 1 <= len(waits) <= 300, "at most one wait per step the window takes"
        return
    assert len(deferred) > 8000
    assert _comparable(deferred) == _comparable(immediate)
    previewed = [e for e in deferred if "val" in e or e["k"] == "run"]
    assert len(previewed) > 3000
    assert {e["k"] for e in deferred if "val" in e} >= {"tensor", "values"}
    assert any("val" in g for e in deferred if e["k"] == "run" for g in e["grads"] if g), "incoming gradients"
    assert set(waits) == {"cpu"}
    assert 1 <= len(waits) <= len(deferred) // 4096 + 2, "one wait per chunk written, not one per op"


def _record(path, native=False, keep_steps=None):
    with tapedeck_torch.record(str(path), native=native, keep_steps=keep_steps):
        program()
    return load_trace(str(path))


def _comparable(events):
    """Sequence numbers count on from one recording to the next: each is taken relative to the
    first, so a node made by the recorder's own copies would show as a gap."""
    first = next(e["seq"] for e in events if e.get("seq", _NO_SEQUENCE) != _NO_SEQUENCE)
    return [{k: (v - first if k == "seq" and v != _NO_SEQUENCE else v) for k, v in e.items()} for e in events]


_NO_SEQUENCE = 2**64 - 1
"""AccumulateGrad's sequence number (UINT64_MAX), the same in every recording."""
