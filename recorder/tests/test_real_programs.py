"""Real programs beyond single-process training: DistributedDataParallel under torchrun (one trace per
rank), checkpointing, in-place dropout and inference-mode tensors. Each recorded run must behave as
the plain run on the same torch, and the trace must blame the line PyTorch's error comes from."""

import os
import subprocess
import sys

import pytest

from conftest import (RECORDER_DIR, _env, assert_same_behaviour, require_native, run_plain, run_python,
                      run_recorded)
from reference_explain import explain
from trace_schema import load_trace

DISTRIBUTED_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs_distributed")


def torchrun(args, cwd):
    """`torchrun --nproc_per_node 2 ARGS` (gloo on CPU), as a subprocess of this interpreter, with its
    temporary folder in `cwd` (torchrun leaves a `torchelastic_*` folder of logs there)."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**_env(), "TMPDIR": str(cwd)})


RECORDERS = pytest.mark.parametrize("options", [[], ["--native"]], ids=["python", "native"])
"""Each recorder: the Python one and the `--native` core (which writes hooked slots the same way)."""


def record(program, trace, options):
    """Records `program` (a path) into `trace` with the recorder `options` choose, skipping (or, under
    CI, failing) a `--native` run where its core cannot be built."""
    if options:
        require_native()
    return run_python(str(program), "-m", "tapedeck_torch", *options, os.path.basename(program), "-o", str(trace))


def record_distributed(name, tmp_path, options=()):
    """Records programs_distributed/NAME.py under torchrun into tmp_path/run.rankN.tdt."""
    if options:
        require_native()
    program = os.path.join(DISTRIBUTED_DIR, name + ".py")
    return torchrun(["-m", "tapedeck_torch", *options, program, "-o", str(tmp_path / "run.tdt")], tmp_path)


TEARDOWN_ABORT = "terminate called without an active exception"
"""What a rank prints when torch 2.14.1's c10d/gloo aborts it (SIGABRT) after the program has ended:
3 of 31 plain `torchrun` runs of ddp_batchnorm_broadcast_buffers.py, without the recorder
(docs/torch-versions.md)."""


def to_the_end(run, ranks=2):
    """`run()` (a torchrun), made again, at most twice more, while a rank died in torch's own teardown
    after every rank had printed its `rank N done` line: that abort is torch's, not the program's."""
    for _ in range(2):
        proc = run()
        finished = all("rank %d done" % rank in proc.stdout for rank in range(ranks))
        if proc.returncode == 0 or not finished or TEARDOWN_ABORT not in proc.stderr:
            return proc
    return run()


def test_rank_path_names_one_trace_per_rank():
    sys.path.insert(0, RECORDER_DIR)
    from tapedeck_torch.distributed import rank_path
    assert rank_path("run.tdt", {"RANK": "1", "WORLD_SIZE": "2"}) == "run.rank1.tdt"
    assert rank_path("out/run", {"RANK": "0"}) == "out/run.rank0.tdt"
    assert rank_path("run.tdt", {}) == "run.tdt"


@RECORDERS
def test_ddp_broadcast_in_init_is_blamed_in_every_rank(tmp_path, options):
    """A forward pass before wrapping in DDP saves the weights; DDP.__init__ broadcasts rank 0's
    parameters into them in place, so the later backward fails in every rank."""
    recorded = record_distributed("ddp_forward_before_wrap", tmp_path, options)
    assert recorded.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tdt") == ["run.rank0.tdt", "run.rank1.tdt"]
    for rank in (0, 1):
        _, events = load_trace(str(tmp_path / ("run.rank%d.tdt" % rank)))
        culprit = explain(events)
        assert culprit is not None, "rank %d" % rank
        assert culprit.line == 11, "the user's `model = DDP(net)` line"
        assert culprit.op.get("frame") == "DistributedDataParallel.__init__"
        assert culprit.op["name"] == "aten::copy_", "the broadcast's copy into the saved weight"
        assert culprit.op["call"] == "", "issued from C++: no Python spelling, and never a bare 'aten'"
        assert "[rank%d]: RuntimeError: %s" % (rank, culprit.message) in recorded.stderr


@RECORDERS
def test_ddp_batchnorm_broadcast_buffers_behaves_as_plain_torch(tmp_path, options):
    """The classic report (BatchNorm, broadcast_buffers=True, two forwards before one backward) no
    longer fails in torch 2.13 (DDP broadcasts buffers under _unsafe_preserve_version_counter); the
    recorded run must do whatever the plain run does on this torch, and blame a line if it fails."""
    program = os.path.join(DISTRIBUTED_DIR, "ddp_batchnorm_broadcast_buffers.py")
    plain = to_the_end(lambda: torchrun([program], tmp_path))
    recorded = to_the_end(lambda: record_distributed("ddp_batchnorm_broadcast_buffers", tmp_path, options))
    assert recorded.returncode == plain.returncode
    assert sorted(recorded.stdout.splitlines()) == sorted(plain.stdout.splitlines())
    for rank in (0, 1):
        _, events = load_trace(str(tmp_path / ("run.rank%d.tdt" % rank)))
        assert not [e for e in events if e["k"] == "recorder_error"]
        failed = [e for e in events if e["k"] == "bwend" and "fail" in e]
        assert bool(failed) == (plain.returncode != 0)
        if failed:
            assert explain(events) is not None


SINGLE_PROCESS = {
    "dropout_inplace.py": """\
import torch
import torch.nn.functional as F

torch.manual_seed(0)
w = torch.randn(4, 4, requires_grad=True)
h = torch.sigmoid(torch.randn(2, 4) @ w)
F.dropout(h, p=0.5, training=True, inplace=True)
h.sum().backward()
""",
    "inference_tensors.py": """\
import torch

with torch.inference_mode():
    table = torch.ones(3, 4)
w = torch.randn(3, 4, requires_grad=True)
h = table + w
print(h.requires_grad, table.is_inference())
h.sum().backward()
print(w.grad.sum().item())
try:
    table.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
x = torch.randn(4, requires_grad=True)
with torch.inference_mode():
    y = x * 2
print(y.requires_grad, y.is_inference())
""",
    "checkpoint_inplace.py": """\
import torch
from torch.utils.checkpoint import checkpoint

w = torch.randn(4, 4, requires_grad=True)
x = torch.randn(2, 4)
h = x @ w
out = checkpoint(lambda t: t.sigmoid() * 2, h, use_reentrant=False)
h.mul_(3)
out.sum().backward()
""",
    "checkpoint_ok.py": """\
import torch
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(8, 4)
for step in range(2):
    h = x * 2
    out = checkpoint(model, h, use_reentrant=False)
    loss = out.pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
""",
    "checkpoint_custom_function.py": """\
import torch
from torch.utils.checkpoint import checkpoint


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return 2 * x * grad


w = torch.randn(4, requires_grad=True)
h = w * 3
out = checkpoint(lambda t: Square.apply(t).sum(), h, use_reentrant=False)
h.mul_(2)
out.backward()
""",
    "saved_tensors_hooks.py": """\
import torch

a = torch.randn(3, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
    b = a * 2
    c = b.sin()
b.add_(1)
c.sum().backward()
print(b._version, a.grad.shape)
with torch.autograd.graph.save_on_cpu():
    d = (a * 3).exp()
d.sum().backward()
print(a.grad.shape)
""",
}


@RECORDERS
@pytest.mark.parametrize("name", sorted(SINGLE_PROCESS))
def test_single_process_program_records_as_it_runs(name, tmp_path, options):
    program = tmp_path / name
    program.write_text(SINGLE_PROCESS[name])
    plain = run_plain(str(program))
    recorded = record(program, tmp_path / "run.tdt", options)
    assert (recorded.stdout, recorded.exit_code, recorded.last_error_line) == (
        plain.stdout, plain.exit_code, plain.last_error_line)
    _, events = load_trace(str(tmp_path / "run.tdt"))
    assert not [e for e in events if e["k"] == "recorder_error"]


@RECORDERS
def test_hooks_the_program_installs_are_not_version_checked(tmp_path, options):
    """Under saved-tensor hooks of the program's own (here a clone, and `save_on_cpu`) PyTorch checks
    no version, so `b.add_(1)` after `b.sin()` saved `b` breaks nothing, and nothing is blamed. (The
    Python recorder writes a slot whose pack hook returned a tensor as a save of that tensor, here the
    clone; the native core leaves every hooked slot outside a checkpoint out.)"""
    program = tmp_path / "saved_tensors_hooks.py"
    program.write_text(SINGLE_PROCESS["saved_tensors_hooks.py"])
    recorded = record(program, tmp_path / "run.tdt", options)
    assert recorded.exit_code == 0 and recorded.stdout.startswith("1 torch.Size([3])")
    _, events = load_trace(str(tmp_path / "run.tdt"))
    assert [e for e in events if e["k"] == "bwend"] and not [e for e in events if e["k"] == "bwend" and "msg" in e]
    assert explain(events) is None


def test_inplace_dropout_is_the_culprit(tmp_path):
    program = tmp_path / "dropout_inplace.py"
    program.write_text(SINGLE_PROCESS["dropout_inplace.py"])
    run_recorded(str(program), tmp_path / "run.tdt")
    culprit = explain(load_trace(str(tmp_path / "run.tdt"))[1])
    assert culprit is not None and culprit.line == 7
    assert culprit.node_name == "SigmoidBackward0" and culprit.slot == "result"


@RECORDERS
def test_write_to_a_checkpoint_input_is_the_culprit(tmp_path, options):
    """Inside a non-reentrant checkpoint, saved tensors go through checkpoint's pack hooks; what
    PyTorch checks is the checkpoint's saved input, when backward recomputes from it. The hooked
    slot is recorded as a save of that input, so the in-place write to it is named."""
    program = tmp_path / "checkpoint_inplace.py"
    program.write_text(SINGLE_PROCESS["checkpoint_inplace.py"])
    recorded = record(program, tmp_path / "run.tdt", options)
    assert_same_behaviour(recorded, run_plain(str(program)))
    _, events = load_trace(str(tmp_path / "run.tdt"))
    failed = [e for e in events if e["k"] == "bwend" and "fail" in e]
    nodes = {e["n"]: e["name"] for e in events if e["k"] == "node"}
    assert failed and nodes[failed[0]["fail"]] == "SigmoidBackward0" and failed[0]["slot"] == "result"
    assert "modified by an inplace operation" in failed[0]["msg"]
    culprit = explain(events)
    assert culprit is not None
    assert (culprit.line, culprit.op["name"], culprit.slot) == (8, "aten::mul_.Tensor", "result")


@RECORDERS
def test_custom_function_inside_a_checkpoint_saves_the_checkpoint_input(tmp_path, options):
    """`ctx.save_for_backward` inside a checkpoint goes through its pack hook too: the custom node's
    hooked slot stands for the checkpoint's input, so the write to it after the checkpoint is named."""
    program = tmp_path / "checkpoint_custom_function.py"
    program.write_text(SINGLE_PROCESS["checkpoint_custom_function.py"])
    recorded = record(program, tmp_path / "run.tdt", options)
    assert_same_behaviour(recorded, run_plain(str(program)))
    culprit = explain(load_trace(str(tmp_path / "run.tdt"))[1])
    assert culprit is not None
    assert (culprit.line, culprit.node_name, culprit.slot) == (20, "SquareBackward", "tensors[0]")


@RECORDERS
def test_checkpoint_without_writes_blames_nothing(tmp_path, options):
    """Two training steps through a checkpointed model, the optimizer writing its weights between
    them: the hooked slots stand for the checkpoint's input only, so nothing is stale."""
    program = tmp_path / "checkpoint_ok.py"
    program.write_text(SINGLE_PROCESS["checkpoint_ok.py"])
    recorded = record(program, tmp_path / "run.tdt", options)
    assert recorded.exit_code == 0
    assert_same_behaviour(recorded, run_plain(str(program)))
    _, events = load_trace(str(tmp_path / "run.tdt"))
    assert [e for e in events if e["k"] == "save" and e["slot"] == "result"], "hooked slots are written"
    assert explain(events) is None
