"""Can a compiled extension read an autograd node's saved slots, for every generated node, without code
per node type or torch version, and cheaply? Measures saved_slots_probe.cpp against the recorder's
Python path on launch_bound.py's tiny GPT training step.

    python3 recorder/benchmarks/saved_slots_probe.py [--width 16 32] [--repeats 11] [--threads 1]

1. Agreement: for every grad_fn node of the step's graph (walked from the loss before backward, so
   no in-place write has happened yet) the C++ enumeration (through `Node::compiled_args`) is compared
   slot by slot with what the recorder reads through the generated Python getters (graph.py: the
   `_raw_saved_<slot>` names in order, `.data`, `_saved_<slot>`, `grad_fn is node`, `output_nr`):
   the tensor (TensorImpl address, or the node and output_nr for a saved output), is_output and the
   saved version (the tensor's `_version` now, as no in-place write has happened). Then the cases
   that must fall back to Python without crashing: a custom Function (PyNode), AccumulateGrad,
   CopySlices, a slot packed by saved-tensor hooks, a slot modified in place after it was saved.
2. Cost per node: the C++ enumeration of all the graph's nodes in a loop, against the recorder's
   Python getters over the same nodes.
3. The whole step, interleaved round by round, per-step process CPU time: plain, a do-nothing
   TorchDispatchMode, the C++ RecordFunction observer (record_function_floor.cpp itself, and this
   file's copy of its work), the same observer enumerating the saved slots of each node an op
   creates (the projected floor of a C++ recorder core), and that plus the Python stack (code
   objects and instruction offsets, taken under the GIL from C++) at each new node, which a core
   would need for the nodes' call sites.

It needs a C++ compiler and ninja (torch.utils.cpp_extension.load_inline); without them it says so
and exits 0. It is a measurement, not part of the recorder or its tests.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch.autograd.graph import Node

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from launch_bound import DoNothingMode, TinyGPT, cpp_observer, interleaved, make_step  # noqa: E402
from tapedeck_torch.graph import is_custom, saved_slot_names  # noqa: E402

NATIVE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tapedeck_torch", "native")
"""Where saved_variable_members.h is, which the probe shares with the native core."""

Slot = tuple[int, int, bool, int, bool]
"""One saved slot: (tensor, saved version, is_output, output_nr, hooked), where tensor is the
TensorImpl address of a saved input (`Tensor._cdata`) or the node's address for a saved output."""


def build() -> Any:
    """The compiled saved_slots_probe.cpp, or None with the reason printed."""
    try:
        from torch.utils import cpp_extension
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "saved_slots_probe.cpp")
        with open(source) as f:
            return cpp_extension.load_inline("tapedeck_saved_slots_probe", cpp_sources=f.read(),
                                             functions=["slots_of", "node_address", "enumerate_many", "start",
                                                        "stop"],
                                             extra_cflags=["-O2", "-DNDEBUG"],
                                             extra_include_paths=[os.path.dirname(source), NATIVE_DIR])
    except Exception as e:
        print("saved slots probe: skipped, could not build saved_slots_probe.cpp (%s)" % str(e).splitlines()[0])
        return None


def graph_nodes(root: Node) -> list[Node]:
    """Every node reachable from `root`, each once."""
    found: list[Node] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        stack.extend(child for child, _ in node.next_functions if child is not None)
    return found


def python_slots(node: Node, address: int) -> list[Slot]:
    """The node's saved slots as the recorder's Python path reads them (graph.py `_emit_save`)."""
    slots: list[Slot] = []
    for slot in saved_slot_names(type(node)):
        raw = getattr(node, "_raw_saved_" + slot)
        items = raw if isinstance(raw, (list, tuple)) else [raw]
        for item in items:
            data = item.data
            if not isinstance(data, torch.Tensor):
                if data is not None:
                    slots.append((0, 0, False, 0, True))
                continue
            if isinstance(raw, (list, tuple)):
                slots.append((data._cdata, data._version, False, 0, False))
                continue
            unpacked = getattr(node, "_saved_" + slot)
            is_output = unpacked is not None and unpacked.grad_fn is node
            if is_output:
                slots.append((address, data._version, True, unpacked.output_nr, False))
            else:
                slots.append((data._cdata, data._version, False, 0, False))
    return slots


def python_getters(nodes: list[Node]) -> list[tuple[torch.Tensor, int, bool, int]]:
    """The getter calls the recorder makes per node (graph.py), collecting what they give
    (tensor, version, is_output, output_nr) without writing events."""
    found: list[tuple[torch.Tensor, int, bool, int]] = []
    for node in nodes:
        if is_custom(node):
            found.extend((t.data, 0, False, 0) for t in node._raw_saved_tensors)
            continue
        for slot in saved_slot_names(type(node)):
            raw = getattr(node, "_raw_saved_" + slot)
            if isinstance(raw, (list, tuple)):
                found.extend((item.data, item.data._version, False, 0) for item in raw)
                continue
            data = raw.data
            if isinstance(data, torch.Tensor):
                unpacked = getattr(node, "_saved_" + slot)
                is_output = unpacked is not None and unpacked.grad_fn is node
                found.append((data, data._version, is_output, unpacked.output_nr if is_output else 0))
    return found


def forward_graph(probe: Any, width: int) -> tuple[torch.Tensor, list[Node], dict[int, tuple[str, list[Slot]]]]:
    """The launch-bound step's loss after two full AdamW steps (so the parameters' versions are not
    0), every node of its graph, and what the observer enumerated as each node was created."""
    torch.manual_seed(0)
    model = TinyGPT(width)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, foreach=True)
    idx = torch.randint(0, 64, (4, 16))
    target = torch.randint(0, 64, (4, 16))

    def forward() -> torch.Tensor:
        logits = model(idx)
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), target.view(-1))
    for _ in range(2):
        optimizer.zero_grad(set_to_none=True)
        forward().backward()
        optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    probe.start(True, False)
    loss = forward()
    created = probe.stop(True)[4]
    assert loss.grad_fn is not None
    return loss, graph_nodes(loss.grad_fn), created


def check(probe: Any, nodes: list[Node], created: dict[int, tuple[str, list[Slot]]]) -> None:
    """Compares the C++ enumeration, as the observer made it at each node's creation and as slots_of
    makes it now, with the Python path node by node, and prints the tally."""
    types: dict[str, str] = {}
    agree = disagree = fallback = slots = at_creation = unseen = 0
    for node in nodes:
        address = probe.node_address(node)
        outcome, why, now = probe.slots_of(node)
        name = node.name()
        if outcome != "covered":
            fallback += 1
            types[name] = "fallback: %s %s" % (outcome, why.splitlines()[0] if why else "")
            continue
        expected = python_slots(node, address)
        slots += len(expected)
        cpp_slots = [tuple(s) for s in now]
        if address in created:
            creation_outcome, creation_slots = created[address]
            if creation_outcome == "covered" and [tuple(s) for s in creation_slots] == expected:
                at_creation += 1
        elif name != "torch::autograd::AccumulateGrad":
            unseen += 1
        if cpp_slots == expected:
            agree += 1
            types.setdefault(name, "agrees")
        else:
            disagree += 1
            types[name] = "DISAGREES: C++ %s, Python %s" % (cpp_slots, expected)
    versions = sorted({s[1] for node in nodes for s in python_slots(node, 0)})
    print("  %d nodes, %d node types, %d saved slots (saved versions seen: %s): slots_of agrees on %d nodes, "
          "disagrees on %d, falls back on %d; the observer's enumeration at creation agrees on %d of the %d "
          "non-AccumulateGrad nodes (%d not seen by it)" % (
              len(nodes), len(types), slots, versions, agree, disagree, fallback, at_creation,
              sum(1 for n in nodes if n.name() != "torch::autograd::AccumulateGrad"), unseen))
    for name, verdict in sorted(types.items()):
        if verdict != "agrees":
            print("    %s: %s" % (name, verdict))
    print("    agreeing types: %s" % ", ".join(sorted(n for n, v in types.items() if v == "agrees")))


class Twice(torch.autograd.Function):
    """A custom Function: its node is a PyNode."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return x * 2

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        return grad * 2


def edge_cases(probe: Any) -> None:
    """The nodes that must fall back to Python (or hold no slots), and what the probe says for each."""
    x = torch.randn(3, requires_grad=True)

    def custom() -> Node:
        return Twice.apply(x).grad_fn

    def accumulate() -> Node:
        return x.sin().grad_fn.next_functions[0][0]

    def copy_slices() -> Node:
        y = x.clone()
        y[0].mul_(2)
        return y.grad_fn

    def hooked() -> Node:
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            return x.sin().grad_fn

    def stale_output() -> Node:
        z = (x * 1).exp()
        z.add_(1)
        return z.grad_fn.next_functions[0][0]

    def stale_input() -> Node:
        y = x * 1
        z = y.sin()
        y.add_(1)
        return z.grad_fn
    cases: list[tuple[str, Callable[[], Node]]] = [
        ("custom Function (PyNode)", custom), ("AccumulateGrad", accumulate), ("CopySlices", copy_slices),
        ("saved_tensors_hooks", hooked), ("saved output, in-place after", stale_output),
        ("saved input, in-place after", stale_input)]
    for label, make in cases:
        node = make()
        outcome, why, cpp = probe.slots_of(node)
        try:
            expected: list[Slot] | str = python_slots(node, probe.node_address(node)) if not is_custom(node) else \
                "custom: %d tensors" % len(node._raw_saved_tensors)
        except RuntimeError as e:
            expected = "Python getter raises: %s" % str(e).splitlines()[0][:90]
        print("  %-30s %-10s %s: C++ %s%s; Python %s" % (label, node.name(), outcome, [tuple(s) for s in cpp],
                                                         " (%s)" % why.splitlines()[0][:90] if why else "",
                                                         expected))


def foreach_cases(probe: Any) -> None:
    """Foreach ops under autograd (two vector slots; saved output vectors), which the OpInfo sweep
    does not reach: what C++ and the Python getters each see."""
    a = [torch.randn(3, requires_grad=True) for _ in range(3)]
    b = [torch.randn(3, requires_grad=True) for _ in range(3)]
    cases = [("_foreach_mul(a, b)", torch._foreach_mul(a, b)), ("_foreach_exp(a)", torch._foreach_exp(a)),
             ("_foreach_pow(a, b)", torch._foreach_pow(a, b)), ("_foreach_addcmul(a, a, b)",
                                                                 torch._foreach_addcmul(a, a, b))]
    for label, outputs in cases:
        node = outputs[0].grad_fn
        outcome, _, cpp = probe.slots_of(node)
        cpp_slots = [tuple(s) for s in cpp]
        expected = python_slots(node, probe.node_address(node))
        same = sum(1 for x, y in zip(cpp_slots, expected, strict=False) if x == y)
        print("  %-26s %-30s Python getters %s give %d slots, C++ (%s) %d slots (%d output slots), %d equal" % (
            label, node.name(), saved_slot_names(type(node)), len(expected), outcome, len(cpp_slots),
            sum(1 for slot in cpp_slots if slot[2]), same))


def op_sweep(probe: Any, samples_per_op: int) -> None:
    """Beyond the GPT step: every OpInfo in torch's own test database that supports autograd, a few
    sample inputs each (CPU, float64), every node of the resulting graphs compared as in `check`."""
    try:
        from torch.testing._internal.common_methods_invocations import op_db
    except ImportError as e:
        print("  op sweep: skipped, torch's OpInfo database cannot be imported (%s)" % e)
        return
    from torch.utils._pytree import tree_leaves
    verdicts: dict[str, dict[str, int]] = {}
    first: dict[str, str] = {}
    shapes: dict[str, set[str]] = {"a vector slot": set(), "a saved output": set(), "an output_nr > 0": set(),
                                   "one tensor in two slots": set()}
    ops_run = 0
    for info in op_db:
        if not info.supports_autograd:
            continue
        try:
            samples = list(info.sample_inputs("cpu", torch.float64, requires_grad=True))[:samples_per_op]
        except Exception:  # noqa: BLE001 - a sample generator that fails on this build is not ours to judge
            continue
        for sample in samples:
            try:
                result = info.op(sample.input, *sample.args, **sample.kwargs)
            except Exception:  # noqa: BLE001 - the same for an op that rejects its own sample here
                continue
            ops_run += 1
            roots = [t.grad_fn for t in tree_leaves(result) if isinstance(t, torch.Tensor) and t.grad_fn is not None]
            seen: set[int] = set()
            for root in roots:
                for node in graph_nodes(root):
                    if id(node) in seen:
                        continue
                    seen.add(id(node))
                    name = node.name()
                    outcome, why, cpp = probe.slots_of(node)
                    if outcome != "covered":
                        verdict = "fallback: %s" % outcome
                        first.setdefault(name, why.splitlines()[0][:100] if why else "")
                    else:
                        try:
                            expected = python_slots(node, probe.node_address(node))
                        except RuntimeError as e:
                            expected = None
                            first.setdefault(name, "Python getter raises: %s" % str(e).splitlines()[0][:80])
                        cpp_slots = [tuple(s) for s in cpp]
                        if expected is None:
                            verdict = "python raises"
                        elif cpp_slots == expected:
                            verdict = "agrees" if expected else "agrees (no slots)"
                            if any(isinstance(getattr(node, "_raw_saved_" + slot), (list, tuple))
                                   for slot in saved_slot_names(type(node))):
                                shapes["a vector slot"].add(name)
                            if any(slot[2] for slot in expected):
                                shapes["a saved output"].add(name)
                            if any(slot[3] > 0 for slot in expected):
                                shapes["an output_nr > 0"].add(name)
                            if len({slot[0] for slot in expected}) < len(expected):
                                shapes["one tensor in two slots"].add(name)
                        else:
                            verdict = "disagrees"
                            first.setdefault(name, "C++ %s, Python %s" % (cpp_slots, expected))
                    counts = verdicts.setdefault(name, {})
                    counts[verdict] = counts.get(verdict, 0) + 1
    by_verdict: dict[str, int] = {}
    for counts in verdicts.values():
        worst = min(counts, key=lambda v: (v.startswith("agrees"), v))
        by_verdict[worst] = by_verdict.get(worst, 0) + 1
    print("  op sweep: %d OpInfo samples run, %d node types met; node types by their worst verdict: %s" % (
        ops_run, len(verdicts), ", ".join("%s %d" % kv for kv in sorted(by_verdict.items()))))
    for name, counts in sorted(verdicts.items()):
        if not all(v.startswith("agrees") for v in counts):
            print("    %s %s: %s" % (name, counts, first.get(name, "")))
    for shape, names in shapes.items():
        print("    agreeing types with %s: %d (%s)" % (shape, len(names), ", ".join(sorted(names)[:8])))


def per_node_cost(probe: Any, nodes: list[Node], rounds: int) -> None:
    """Process CPU time per node: C++ enumeration against the recorder's Python getters, over all the
    graph's nodes and over those that hold at least one saved tensor."""
    holding = [node for node in nodes if python_slots(node, 0)]
    for label, group in (("all nodes", nodes), ("nodes with saved tensors", holding)):
        loops = 50
        cpp: list[float] = []
        python: list[float] = []
        for _ in range(rounds):
            start = time.process_time()
            probe.enumerate_many(group, loops)
            cpp.append((time.process_time() - start) / (loops * len(group)))
            start = time.process_time()
            for _ in range(loops):
                python_getters(group)
            python.append((time.process_time() - start) / (loops * len(group)))
        print("  per node, %s (%d nodes x %d loops, %d rounds): C++ enumeration %.2f us median (%.2f min), "
              "Python getters %.2f us median (%.2f min)" % (
                  label, len(group), loops, rounds, statistics.median(cpp) * 1e6, min(cpp) * 1e6,
                  statistics.median(python) * 1e6, min(python) * 1e6))


def whole_step(probe: Any, floor: Any, width: int, repeats: int) -> None:
    """The step plain, under a do-nothing mode, under record_function_floor.cpp (`floor`, when it
    built), under this file's observer alone, enumerating each new node's saved slots, and keeping the
    Python stack too; interleaved; per-step process CPU time."""
    step = make_step(width, "cpu")
    tallies: list[tuple[int, int, int, int]] = []

    def plain() -> None:
        step()

    def mode() -> None:
        with DoNothingMode():
            step()

    def floor_observer() -> None:
        floor.start()
        step()
        floor.stop()

    def observer() -> None:
        probe.start(False, False)
        step()
        probe.stop(False)

    def enumerating() -> None:
        probe.start(True, False)
        step()
        tallies.append(tuple(probe.stop(False)[:4]))

    def with_stacks() -> None:
        probe.start(True, True)
        step()
        frames.append(probe.stop(False)[5])
    frames: list[int] = []
    configs = [("plain", plain), ("dispatch mode", mode), ("probe observer", observer),
               ("observer + slots", enumerating), ("+ Python stacks", with_stacks)]
    if floor is not None:
        configs.insert(2, ("floor observer", floor_observer))
    for _, action in configs:
        for _ in range(3):
            action()
    samples = interleaved(configs, repeats, per=1)
    ops, nodes, slots, fallbacks = tallies[-1]
    print("  whole step: %d observed ops, %d nodes enumerated, %d saved slots, %d fell back; %d Python frames "
          "kept at node creation" % (ops, nodes, slots, fallbacks, frames[-1]))
    base, base_min = statistics.median(samples["plain"]), min(samples["plain"])
    print("  %-18s %11s %7s %11s %7s" % ("config", "median ms", "x", "min ms", "x"))
    for config, _ in configs:
        median, low = statistics.median(samples[config]), min(samples[config])
        print("  %-18s %11.2f %7.2f %11.2f %7.2f" % (config, median * 1e3, median / base, low * 1e3, low / base_min))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, nargs="+", default=[16, 32], help="model widths (16-32)")
    parser.add_argument("--repeats", type=int, default=11, help="timed steps per configuration")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--sweep", type=int, default=0, metavar="N",
                        help="also compare on N sample inputs of every OpInfo with autograd (needs expecttest)")
    options = parser.parse_args()
    probe = build()
    if probe is None:
        return
    floor = cpp_observer()
    torch.set_num_threads(options.threads)
    warnings.simplefilter("ignore")
    print("machine: %s, %d CPUs, Python %s, torch %s; torch threads %d, %d interleaved repeats, load %.2f" % (
        platform.platform(), os.cpu_count(), platform.python_version(), torch.__version__, options.threads,
        options.repeats, os.getloadavg()[0]))
    print("edge cases:")
    edge_cases(probe)
    foreach_cases(probe)
    if options.sweep:
        op_sweep(probe, options.sweep)
    for width in options.width:
        print("cpu width %d:" % width)
        loss, nodes, created = forward_graph(probe, width)
        check(probe, nodes, created)
        per_node_cost(probe, nodes, rounds=5)
        del loss
        whole_step(probe, floor, width, options.repeats)
    print("load at the end %.2f" % os.getloadavg()[0])


if __name__ == "__main__":
    main()
