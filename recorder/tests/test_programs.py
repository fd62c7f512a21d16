"""Real modules and optimizers: recording keeps the program's behaviour and the trace blames the
right line, naming the library function when the write happened inside one."""

import os

import pytest
from conftest import (
    PROGRAMS_DIR,
    assert_same_behaviour,
    expected_of,
    programs,
)
from reference_explain import explain
from trace_schema import load_trace

# The library function the culprit write ran inside, when it was not the program's own line.
CULPRIT_FRAMES = {"adamw_foreach": "Adam.step", "gan_adam": "Adam.step", "relu_inplace_module": "ReLU.forward"}


@pytest.fixture(scope="module")
def recorded(program_runs):
    """A program's recorded run, plain run and loaded trace."""
    traces = {}

    def get(name):
        run, plain, trace = program_runs[name]
        if name not in traces:
            traces[name] = load_trace(trace)
        return run, plain, traces[name]
    return get


@pytest.mark.parametrize("name", programs())
def test_program_runs_as_without_recording(name, recorded):
    expected = expected_of(os.path.join(PROGRAMS_DIR, name + ".py"))
    run, plain, (_, events) = recorded(name)
    assert_same_behaviour(run, plain)
    assert run.exit_code == expected["exit_code"]
    assert run.last_error_line == (expected["error"] or "")
    assert run.error_line == expected["error_line"]
    assert events[-1] == {"k": "exit", "code": expected["exit_code"]}
    assert not [e for e in events if e["k"] == "recorder_error"]


@pytest.mark.parametrize("name", programs())
def test_program_culprit(name, recorded):
    expected = expected_of(os.path.join(PROGRAMS_DIR, name + ".py"))
    _, _, (_, events) = recorded(name)
    culprit = explain(events)
    if "culprit_line" not in expected:
        assert culprit is None
        assert [e for e in events if e["k"] == "bwend" and "msg" in e] == []
        return
    assert culprit is not None
    assert culprit.line == expected["culprit_line"]
    assert culprit.op.get("frame") == CULPRIT_FRAMES.get(name)
    assert culprit.op.get("file") is None
    failed = [e for e in events if e["k"] == "bwend" and "fail" in e]
    assert failed and failed[0]["msg"] in expected["error"]
    assert culprit.slot == failed[0]["slot"]


def test_batchnorm_running_stats_are_not_bumps(recorded):
    """BatchNorm updates its running mean and variance inside `native_batch_norm` without moving
    their version counters; the trace must not invent bumps for them (they are saved tensors)."""
    _, _, (_, events) = recorded("residual_ok")
    tensors = {e["t"]: e for e in events if e["k"] == "tensor"}
    bn_ops = [e for e in events if e["k"] == "op" and e["name"] == "aten::native_batch_norm"]
    assert bn_ops
    running = {tensors[t]["vc"] for op in bn_ops for t, _ in op["in"][3:5]}
    bumped_by_bn = {e["vc"] for e in events if e["k"] == "bump" and e["op"] in {op["i"] for op in bn_ops}}
    assert running and not (running & bumped_by_bn)


def test_optimizer_writes_name_the_optimizer(recorded):
    _, _, (_, events) = recorded("residual_ok")
    steps = [e for e in events if e["k"] == "op" and e.get("frame") == "Adam.step"]
    assert steps and all(not e["grad"] for e in steps)
    assert {e["line"] for e in steps} == {26}
