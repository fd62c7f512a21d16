"""What the trace says about small programs: identities, saved versions, call sites, backward."""

import pytest

from tapedeck_torch.__main__ import Options, parse


def tensor_events(events):
    return {e["t"]: e for e in events if e["k"] == "tensor"}


def ops_at(events, line):
    return [e for e in events if e["k"] == "op" and e["line"] == line]


def out_tensor(events, line, name):
    """The tensor id of the first output of the op named `name` on `line`."""
    return next(e for e in ops_at(events, line) if e["name"] == name)["out"][0][0]


def test_version_counters_and_storages_follow_pytorch(record_snippet):
    _, _, events = record_snippet(
        "import torch\n"                          # 1
        "x = torch.ones(4, requires_grad=True)\n"  # 2
        "y = x * 2\n"                               # 3
        "v = y[1:3]\n"                              # 4
        "d = y.detach()\n"                          # 5
        "raw = y.data\n"                            # 6
        "c = y.clone()\n"                           # 7
        "p = torch.nn.Parameter(torch.zeros(2))\n"  # 8
        "p.data.add_(1)\n"                          # 9
    )
    tensors = tensor_events(events)
    y = tensors[out_tensor(events, 3, "aten::mul.Tensor")]
    view = tensors[out_tensor(events, 4, "aten::slice.Tensor")]
    detached = tensors[out_tensor(events, 5, "aten::detach")]
    data = tensors[out_tensor(events, 6, "aten::detach")]
    clone = tensors[out_tensor(events, 7, "aten::clone")]
    assert view["base"] == y["t"] and (view["vc"], view["st"]) == (y["vc"], y["st"])
    assert (detached["vc"], detached["st"]) == (y["vc"], y["st"]) and "base" not in detached
    assert data["st"] == y["st"] and data["vc"] != y["vc"]
    assert clone["st"] != y["st"] and clone["vc"] != y["vc"]
    assert ops_at(events, 4)[0].get("view") is True


def test_write_through_data_bumps_only_the_data_counter(record_snippet):
    _, _, events = record_snippet(
        "import torch\n"
        "y = torch.ones(3, requires_grad=True).sigmoid()\n"
        "d = y.data\n"
        "d.zero_()\n"
    )
    tensors = tensor_events(events)
    y = tensors[out_tensor(events, 2, "aten::sigmoid")]
    bumps = [e for e in events if e["k"] == "bump"]
    assert len(bumps) == 1 and bumps[0]["vc"] != y["vc"] and tensors[bumps[0]["t"]]["st"] == y["st"]


def test_saved_versions_follow_the_rule(record_snippet):
    """Saved inputs carry the version at op start, saved outputs the version after the op."""
    _, _, events = record_snippet(
        "import torch\n"
        "x = torch.ones(3, requires_grad=True)\n"
        "z = x * 1\n"
        "z.mul_(z)\n"          # saves `other` = z at 0 while the op takes z to 1
        "h = x * 3\n"
        "h.exp_()\n"           # saves `result` = h after its bump, at 1
    )
    saves = {(e["n"], e["slot"]): e for e in events if e["k"] == "save"}
    nodes = {e["n"]: e for e in events if e["k"] == "node"}
    mul_ = next(n for n, e in nodes.items() if e.get("op") == ops_at(events, 4)[-1]["i"])
    exp_ = next(n for n, e in nodes.items() if e["name"] == "ExpBackward0")
    assert saves[(mul_, "other")]["v"] == 0 and not saves[(mul_, "other")]["out"]
    assert saves[(exp_, "result")]["v"] == 1 and saves[(exp_, "result")]["out"]
    bumps = [e for e in events if e["k"] == "bump"]
    assert [(b["from"], b["to"]) for b in bumps] == [(0, 1), (0, 1)]


def test_saved_output_lists_name_the_outputs(record_snippet):
    """A foreach op saves its own outputs in one vector slot: each item is the output the program
    holds (out, with its output_nr), not the saved variable's shallow copy, so a write to it is
    blamed through the tensor the user knows."""
    _, _, events = record_snippet(
        "import torch\n"
        "a = torch.ones(3, requires_grad=True)\n"
        "b = torch.ones(3, requires_grad=True)\n"
        "x, y = a * 1, b * 1\n"
        "outs = torch._foreach_pow([x, y], [y, x])\n"  # 5: ForeachPowBackward0 saves result[0..1]
    )
    op = next(e for e in ops_at(events, 5) if e["name"].startswith("aten::_foreach_pow"))
    node = next(e["n"] for e in events if e["k"] == "node" and e["name"] == "ForeachPowBackward0")
    results = [e for e in events if e["k"] == "save" and e["n"] == node and e["slot"].startswith("result")]
    assert [(e["slot"], e["t"], e["out"], e["nr"]) for e in results] == [
        ("result[0]", op["out"][0][0], True, 0), ("result[1]", op["out"][1][0], True, 1)]


def test_call_sites_spell_the_operator(record_snippet):
    _, _, events = record_snippet(
        "import torch\n"
        "t = torch.zeros(4)\n"
        "t += 1\n"
        "t[0] = 3.0\n"
        "u = -t\n"
        "w = t.mul(2)\n"
    )
    assert [e["call"] for e in ops_at(events, 3)] == ["+="]
    assert ops_at(events, 3)[0]["col"] == 1 and ops_at(events, 3)[0]["end"] == 7
    assert {e["call"] for e in ops_at(events, 4)} == {"x[...] ="}
    assert [e["call"] for e in ops_at(events, 5)] == ["-x"]
    assert [e["call"] for e in ops_at(events, 6)] == ["Tensor.mul"]


def test_helper_module_lines_name_their_file(record_snippet, tmp_path):
    (tmp_path / "helper.py").write_text("def bump(t):\n    t.add_(1)\n")
    _, _, events = record_snippet(
        "import torch\n"
        "from helper import bump\n"
        "t = torch.zeros(2)\n"
        "bump(t)\n"
    )
    op = next(e for e in events if e["k"] == "op" and e["name"] == "aten::add_.Tensor")
    assert op["line"] == 2 and op["file"].endswith("helper.py") and "frame" not in op


def test_backward_runs_nodes_in_engine_order_and_releases(record_snippet):
    _, _, events = record_snippet(
        "import torch\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "y = (x * x).sum()\n"
        "y.backward()\n"
    )
    nodes = {e["n"]: e["name"] for e in events if e["k"] == "node"}
    runs = [nodes[e["n"]] for e in events if e["k"] == "run"]
    assert runs == ["SumBackward0", "MulBackward0", "torch::autograd::AccumulateGrad"]
    assert [e["grads"] for e in events if e["k"] == "run"] == [
        [{"shape": [], "val": [1.0]}], [{"shape": [2], "val": [1.0, 1.0]}], [{"shape": [2], "val": [2.0, 2.0]}]]
    released = [nodes[e["n"]] for e in events if e["k"] == "release"]
    assert released == runs
    start = next(e for e in events if e["k"] == "backward")
    assert start["line"] == 4 and start["retain"] is False and nodes[start["roots"][0][0]] == "SumBackward0"
    assert [e for e in events if e["k"] == "bwend"] == [{"k": "bwend", "b": 0}]


def test_caught_errors_are_recorded(record_snippet):
    run, _, events = record_snippet(
        "import torch\n"
        "x = torch.ones(3, requires_grad=True)\n"
        "try:\n"
        "    x.add_(1)\n"
        "except RuntimeError as e:\n"
        "    print('caught')\n"
    )
    assert run.stdout == "caught\n"
    errors = [e for e in events if e["k"] == "error"]
    assert len(errors) == 1 and errors[0]["line"] == 4 and errors[0]["type"] == "RuntimeError"
    assert [e for e in events if e["k"] == "print"] == [{"k": "print", "text": "caught\n"}]


def test_uncaught_python_error_is_recorded_with_its_line(record_snippet):
    run, _, events = record_snippet("import torch\nx = torch.ones(2)\nraise ValueError('bad')\n")
    assert run.exit_code == 1 and run.last_error_line == "ValueError: bad" and run.error_line == 3
    assert [e for e in events if e["k"] == "error"][0] == {
        "k": "error", "type": "ValueError", "msg": "bad", "line": 3, "col": 1, "end": 24}
    assert events[-1] == {"k": "exit", "code": 1}


def test_script_arguments_and_exit_code(record_snippet, tmp_path):
    run, _, events = record_snippet(
        "import sys\n"
        "print(sys.argv[1:], __name__, __file__.endswith('snippet.py'))\n"
        "sys.exit(3)\n"
    )
    assert run.exit_code == 3
    assert run.stdout == "[] __main__ True\n"
    assert events[-1] == {"k": "exit", "code": 3}


def test_non_finite_values_are_strings(record_snippet):
    _, _, events = record_snippet("import torch\nt = torch.tensor([1.0, float('nan')])\nu = -t / 0\n")
    values = [e["val"] for e in events if e["k"] == "tensor"]
    assert [1.0, "nan"] in values and ["-inf", "nan"] in values


@pytest.mark.parametrize("argv, expected", [
    (["train.py", "--lr", "1", "-o", "out.tdt"], Options("train.py", ["--lr", "1"], "out.tdt")),
    (["-o", "a.tdt", "--values", "0", "train.py", "-o", "x"], Options("train.py", ["-o", "x"], "a.tdt", values=0)),
    (["train.py"], Options("train.py", [], "train.tdt")),
    (["--keep-steps", "3", "train.py"], Options("train.py", [], "train.tdt", keep_steps=3)),
    (["--max-steps", "10", "--max-memory", "512", "t.py"], Options("t.py", [], "t.tdt", max_steps=10,
                                                                    max_memory=512 << 20)),
    (["--no-trace", "--max-steps", "5", "t.py", "-o", "x"], Options("t.py", ["-o", "x"], None, max_steps=5)),
    (["--native", "train.py", "-o", "n.tdt"], Options("train.py", [], "n.tdt", native=True)),
    (["--prefer-native", "--values", "0", "t.py"], Options("t.py", [], "t.tdt", values=0, prefer_native=True)),
])
def test_command_line(argv, expected):
    assert parse(argv) == expected


def test_command_line_rejects_bad_usage():
    with pytest.raises(ValueError, match="missing the script"):
        parse(["-o", "x.tdt"])
    with pytest.raises(ValueError, match="expects an integer"):
        parse(["--values", "many", "t.py"])
    with pytest.raises(ValueError, match="at least 1"):
        parse(["--keep-steps", "0", "t.py"])
    with pytest.raises(ValueError, match="at least 1"):
        parse(["--max-steps", "0", "t.py"])
    with pytest.raises(ValueError, match="expects an integer"):
        parse(["--max-memory", "4G", "t.py"])


def test_names_are_bound_to_tensors(record_snippet):
    _, _, events = record_snippet(
        "import torch\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "a = x * 2\n"
        "a = a + 1\n"
        "loss = a.sum()\n"
        "loss.backward()\n"
    )
    binds = [(e["name"], e["line"]) for e in events if e["k"] == "bind"]
    assert binds == [("x", 2), ("a", 3), ("a", 4), ("loss", 5)]
    tensors = {e["t"] for e in events if e["k"] == "tensor"}
    assert all(e["t"] in tensors for e in events if e["k"] == "bind")


def test_frames_name_the_library_method(record_snippet):
    _, _, events = record_snippet(
        "import torch\n"
        "import torch.nn.functional as F\n"
        "h = torch.ones(3, requires_grad=True) * 1\n"
        "F.relu(h, inplace=True)\n"
        "torch.nn.ReLU(inplace=True)(h)\n"
    )
    assert [e.get("frame") for e in ops_at(events, 4)] == [None]
    assert [e.get("frame") for e in ops_at(events, 5) if e["name"] == "aten::relu_"] == ["ReLU.forward"]


def test_tensor_properties_that_run_ops_are_calls_on_the_users_line(record_snippet):
    """`x.T`, `x.mT`, `x.H`, `x.mH`, `z.real`, `z.imag` and `x.type(dtype)` run aten ops from a
    property getter or a metadata-looking method: each is a call of its own, named as written, with
    no library frame (the recorder's own `__torch_function__` once showed up there)."""
    _, _, events = record_snippet(
        "import torch\n"                                                          # 1
        "x = torch.ones(3, 3, requires_grad=True) * 2\n"                          # 2
        "z = torch.ones(2, dtype=torch.complex64, requires_grad=True) * 2\n"      # 3
        "a = x.T\n"                                                               # 4
        "b = x.mT\n"                                                              # 5
        "c = x.H\n"                                                               # 6
        "d = x.mH\n"                                                              # 7
        "r = z.real\n"                                                            # 8
        "i = z.imag\n"                                                            # 9
        "f = x.type(torch.float64)\n"                                             # 10
    )
    calls = {line: {(e["call"], e.get("frame")) for e in ops_at(events, line)} for line in range(4, 11)}
    assert calls == {4: {("Tensor.T", None)}, 5: {("Tensor.mT", None)}, 6: {("Tensor.H", None)},
                     7: {("Tensor.mH", None)}, 8: {("Tensor.real", None)}, 9: {("Tensor.imag", None)},
                     10: {("Tensor.type", None)}}
    assert not any("__torch_function__" in e.get("frame", "") for e in events)
