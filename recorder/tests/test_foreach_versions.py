"""In-place `torch._foreach_*_` ops under the recorder bump version counters exactly as they do
unrecorded (foreach.py: PyTorch's own dispatch mode support loses these bumps on CPU)."""

import textwrap

from conftest import assert_same_behaviour, run_plain

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
