"""Every conformance case behaves the same recorded and unrecorded on this machine, and its trace
is well formed and explains the culprit line written in its expected.json.

What a case prints may depend on the CPU (see docs/testing.md), so printed text is compared with a
plain run of the same program here; only the exit code, the error and the culprit line, which do
not depend on the CPU, are compared with the stored expected.json."""

import json
import os
import sys

import pytest
import torch
from conftest import (
    CASES_DIR,
    SCRIPTS_DIR,
    TRACES_DIR,
    assert_same_behaviour,
    cases,
    committed_traces,
    each_at_once,
    expected_of,
    run_both,
)
from reference_explain import explain
from trace_schema import load_trace

sys.path.insert(0, SCRIPTS_DIR)
from regenerate_fixtures import trace_events  # noqa: E402  (what --check calls stale, in one place)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Records and plainly runs every case once, all of them up front and in parallel."""
    folder = tmp_path_factory.mktemp("traces")

    def record(case):
        trace = folder / (case + ".tdt")
        return (*run_both(os.path.join(CASES_DIR, case + ".py"), trace), str(trace))
    return each_at_once(record, cases()).__getitem__


@pytest.mark.parametrize("case", cases())
def test_recording_does_not_change_the_program(case, recorded):
    expected = expected_of(os.path.join(CASES_DIR, case + ".py"))
    run, plain, _ = recorded(case)
    assert_same_behaviour(run, plain)
    assert run.exit_code == expected["exit_code"]
    if expected["exit_code"] != 0:
        assert run.last_error_line == expected["error"]
        assert run.error_line == expected["error_line"]
    else:
        assert "Traceback" not in run.stderr


@pytest.mark.parametrize("case", cases())
def test_trace_follows_the_format(case, recorded):
    _, plain, trace = recorded(case)
    header, events = load_trace(trace)
    assert header["path"] == case + ".py"
    with open(os.path.join(CASES_DIR, case + ".py")) as f:
        assert header["source"] == f.read()
    assert events[-1] == {"k": "exit", "code": expected_of(os.path.join(CASES_DIR, case + ".py"))["exit_code"]}
    assert not [e for e in events if e["k"] == "recorder_error"]
    printed = "".join(e["text"] for e in events if e["k"] == "print")
    assert printed == plain.stdout


@pytest.mark.parametrize("case", [c for c in cases()
                                  if "culprit_line" in expected_of(os.path.join(CASES_DIR, c + ".py"))])
def test_trace_explains_the_culprit(case, recorded):
    _, _, trace = recorded(case)
    _, events = load_trace(trace)
    culprit = explain(events)
    assert culprit is not None
    assert culprit.line == expected_of(os.path.join(CASES_DIR, case + ".py"))["culprit_line"]


@pytest.mark.parametrize("case", cases())
def test_every_write_to_a_saved_tensor_is_a_bump(case, recorded):
    """No version change of a saved tensor's counter escaped the recorder (a `sync` event marks a
    change it only noticed later, such as gradient accumulation inside backward)."""
    _, _, trace = recorded(case)
    _, events = load_trace(trace)
    counter = {e["t"]: e["vc"] for e in events if e["k"] == "tensor"}
    saved = {counter[e["t"]] for e in events if e["k"] == "save"}
    assert [e for e in events if e["k"] == "sync" and e["vc"] in saved] == []



@pytest.mark.parametrize("case", committed_traces())
def test_committed_trace_is_current(case, recorded):
    """Tests/DebuggerTests/Traces/CASE.tdt holds what the recorder writes for CASE today, values aside
    (scripts/regenerate-fixtures.sh --check's rule): a recorder change that leaves a committed trace
    stale fails here, reusing the recording made above. The fixtures are recorded with one PyTorch;
    under another one the recorder rightly writes another producer (and maybe other events)."""
    path = os.path.join(TRACES_DIR, case + ".tdt")
    with open(path, "rb") as f:
        committed = f.read()
    producer = json.loads(committed.splitlines()[0])["producer"]
    if f"(torch {torch.__version__})" not in producer:
        pytest.skip(f"{case}.tdt was recorded by {producer}; this is torch {torch.__version__}")
    _, _, trace = recorded(case)
    with open(trace, "rb") as f:
        fresh = trace_events(f.read())
    old = trace_events(committed)
    where = next((i for i, (a, b) in enumerate(zip(old, fresh, strict=False)) if a != b), min(len(old), len(fresh)))
    assert old == fresh, (
        f"{path} is stale at line {where + 1}: committed {old[where] if where < len(old) else 'nothing'}, "
        f"recorded now {fresh[where] if where < len(fresh) else 'nothing'}; "
        f"re-record it with scripts/regenerate-fixtures.sh {case}")
