"""In-place `torch._foreach_*_` ops under the recorder bump version counters exactly as they do
unrecorded (foreach.py: PyTorch's own dispatch mode support loses these bumps on CPU)."""

import textwrap

import pytest
from conftest import assert_same_behaviour, require_native, run_plain, run_python
from trace_schema import load_trace

# Prints the versions after each kind of foreach write: list and scalar overloads, two views of one
# base in the same list, an inference tensor, ops the optimizers use, and an optimizer step.
VERSIONS = textwrap.dedent("""\
    import torch

    torch.manual_seed(0)
    a, b = torch.randn(3), torch.randn(3)
    torch._foreach_add_([a, b], [torch.ones(3), torch.ones(3)])
    print("add_ list", a._version, b._version)
    torch._foreach_mul_([a], 2.0)
    print("mul_ scalar", a._version)
    base = torch.randn(4)
    torch._foreach_add_([base[:2], base[2:]], 1.0)
    print("two views of one base", base._version)
    torch._foreach_addcdiv_([a], [b], [b.abs() + 1], 0.5)
    torch._foreach_zero_([b])
    torch._foreach_copy_([b], [a])
    print("addcdiv_ zero_ copy_", a._version, b._version)
    with torch.inference_mode():
        frozen = torch.randn(2)
        torch._foreach_add_([frozen], 1.0)
    print("inference tensor", frozen.is_inference())
    w = torch.nn.Parameter(torch.randn(3))
    opt = torch.optim.AdamW([w], lr=0.1, foreach=True)
    (w * w).sum().backward()
    opt.step()
    print("AdamW foreach step", w._version)
    (w * w).sum().backward()
    opt.step()
    print("second step", w._version)
""")


def test_foreach_writes_bump_as_unrecorded(tmp_path, record_snippet):
    run, _, events = record_snippet(VERSIONS, "versions.py")
    plain = run_plain(str(tmp_path / "versions.py"))
    assert plain.exit_code == 0, plain.stderr
    assert_same_behaviour(run, plain)
    assert "add_ list 1 1\n" in plain.stdout
    assert "two views of one base 2\n" in plain.stdout
    assert not [e for e in events if e["k"] == "recorder_error"]


def test_foreach_writes_are_recorded_as_bumps(record_snippet):
    _, _, events = record_snippet(VERSIONS)
    lines = {e["i"]: e["line"] for e in events if e["k"] == "op"}
    bumps: dict[int, list[tuple[int, int, int]]] = {}
    for e in events:
        if e["k"] == "bump":
            bumps.setdefault(lines[e["op"]], []).append((e["vc"], e["from"], e["to"]))
    first, second = bumps[5]
    assert (first[1:], second[1:]) == ((0, 1), (0, 1)) and first[0] != second[0]
    assert bumps[7] == [(first[0], 1, 2)]
    views = bumps[10]
    assert len(views) == 2 and views[0] == views[1] and views[0][1:] == (0, 2)
    assert [len(bumps[line]) for line in (12, 13, 14)] == [1, 1, 1]
    assert 23 in bumps  # AdamW's step writes the parameter
    assert all(before != after for moves in bumps.values() for _, before, after in moves)


# AdamW(fused=True) writes the parameter without moving its version counter: the second backward
# uses the updated `w` and raises nothing (in PyTorch, recorded or not).
FUSED = textwrap.dedent("""\
    import torch

    w = torch.nn.Parameter(torch.ones(3))
    opt = torch.optim.AdamW([w], lr=0.1, fused=True)
    y = w * w
    y.sum().backward(retain_graph=True)
    opt.step()
    print("fused step", w._version)
    y.sum().backward()
    print(w.grad.tolist())
""")


@pytest.mark.parametrize("options", [[], ["--native"]], ids=["python", "native"])
def test_fused_optimizer_writes_are_recorded_as_unbumped(tmp_path, options):
    """Each recorder writes the fused kernel's writes as bumps from a version to itself, which
    `tapedeck explain` reports as `unbumped_write` warnings where they reach a saved tensor."""
    if options:
        require_native()
    program = tmp_path / "fused.py"
    program.write_text(FUSED)
    trace = tmp_path / "fused.tdt"
    run = run_python(str(program), "-m", "tapedeck_torch", *options, "fused.py", "-o", str(trace))
    plain = run_plain(str(program))
    assert_same_behaviour(run, plain)
    assert plain.exit_code == 0 and "fused step 0\n" in plain.stdout
    _, events = load_trace(str(trace))
    w = next(e for e in events if e["k"] == "op" and e["name"] == "aten::mul.Tensor")["in"][0][0]
    fused = [e["i"] for e in events if e["k"] == "op" and e["name"] == "aten::_fused_adamw_"]
    assert len(fused) == 1
    writes = [(e["t"], e["from"], e["to"]) for e in events if e["k"] == "bump" and e["op"] == fused[0]]
    assert (w, 0, 0) in writes
    assert all(before == after for _, before, after in writes)
