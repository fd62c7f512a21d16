"""GraphRecorder: emits `node`, `save` events for grad_fn nodes the first time they are reached."""

from collections.abc import Callable

import torch
from torch.autograd.graph import Node

from . import schema
from .registry import TensorInfo, TensorRegistry
from .schema import js_name
from .writer import TraceWriter, int_list

_Tensor = torch.Tensor

SavedVersion = Callable[[TensorInfo, bool], int]
"""`saved_version(tensor_info, is_output)`: the version a saved tensor carries (Recorder)."""

HookedInputs = Callable[[], list[tuple[torch.Tensor, int]]]
"""What a slot packed by saved-tensor hooks stands for: the running checkpoint's inputs with their
saved versions (CheckpointInputs.current), empty when the hooks are not a checkpoint's."""

_ACCUMULATE_GRAD = "torch::autograd::AccumulateGrad"


_SLOTS: dict[type, list[str]] = {}


def saved_slot_names(node_type: type) -> list[str]:
    """The node type's saved-tensor slots in `Functions.h` declaration order, which is the order
    `apply` unpacks (and checks) them: the type's attribute table keeps that order."""
    names = _SLOTS.get(node_type)
    if names is None:
        names = [key[11:] for key in node_type.__dict__ if key.startswith("_raw_saved_")]
        _SLOTS[node_type] = names
    return names


def is_custom(node: Node) -> bool:
    """Whether `node` is the grad_fn of a custom `torch.autograd.Function`."""
    return hasattr(node, "_forward_cls")


class GraphRecorder:
    """Gives grad_fn nodes dense ids, stamped into `node.metadata` under a key unique to this
    recording, and emits each node after the nodes its `next_functions` point to."""

    def __init__(self, writer: TraceWriter, registry: TensorRegistry, key: str, hooked_inputs: HookedInputs) -> None:
        self._writer = writer
        self._registry = registry
        self._hooked_inputs = hooked_inputs
        self.key = key
        self.hook_key = key + ":hooked"
        self._next_node = 0

    def nid(self, node: Node) -> int | None:
        return node.metadata.get(self.key)

    def new_nodes(self, roots: list[Node]) -> list[Node]:
        """Nodes reachable from `roots` that have no id yet, children before parents."""
        key = self.key
        found = []
        seen = set()
        stack = [(r, False) for r in roots if r is not None]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                found.append(node)
                continue
            if id(node) in seen or key in node.metadata:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for child, _ in node.next_functions:
                if child is not None and id(child) not in seen and key not in child.metadata:
                    stack.append((child, False))
        return found

    def emit(self, node: Node, op: int | None, saved_versions: SavedVersion,
             outputs: dict[tuple[int, int], torch.Tensor]) -> int:
        """Emits the `node` event and its `save` events. `op` is the creating op's index (or None);
        `saved_versions(tensor_info, is_output)` gives the saved version; `outputs` maps
        `(node, output_nr)` to the op output tensor a saved output refers to."""
        key = self.key
        nid = self._next_node
        self._next_node += 1
        name = node.name()
        edges = []
        for child, nr in node.next_functions:
            if child is None:
                edges.append("null")
            else:
                edges.append("[%d,%d]" % (child.metadata[key], nr))
        variable = self._registry.get(node.variable).tid if name == _ACCUMULATE_GRAD else None
        self._writer.emit(schema.node(nid, js_name(name), node._sequence_nr(), op, edges, variable))
        node.metadata[key] = nid
        if is_custom(node):
            self._emit_custom_saves(node, nid, saved_versions)
        else:
            for slot in saved_slot_names(type(node)):
                self._emit_save(node, nid, slot, saved_versions, outputs)
        return nid

    def _emit_save(self, node: Node, nid: int, slot: str, saved_versions: SavedVersion,
                   outputs: dict[tuple[int, int], torch.Tensor]) -> None:
        """Writes one slot. A slot packed by a non-reentrant checkpoint's hooks is written as the
        checkpoint's inputs (see checkpoint.py); other slots that hold no tensor are skipped: unsaved
        (`None`), or packed by hooks the program installed itself, which PyTorch does not
        version-check either."""
        raw = getattr(node, "_raw_saved_" + slot)
        if isinstance(raw, (list, tuple)):
            self._emit_saved_list(node, nid, slot, raw, saved_versions, outputs)
            return
        data = raw.data
        if not isinstance(data, _Tensor):
            if data is not None:
                self._write_hooked(nid, slot)
            return
        try:
            unpacked = getattr(node, "_saved_" + slot)
            is_output = unpacked is not None and unpacked.grad_fn is node
            output_nr = unpacked.output_nr if is_output else 0
        except RuntimeError:
            is_output = slot.startswith("result")
            output_nr = 0
        target = outputs.get((id(node), output_nr)) if is_output else None
        self._write_save(nid, slot, target if target is not None else data, is_output, output_nr, saved_versions,
                         shape=data.shape)

    def _emit_saved_list(self, node: Node, nid: int, slot: str, raw: list, saved_versions: SavedVersion,
                         outputs: dict[tuple[int, int], torch.Tensor]) -> None:
        """Writes a vector slot (`TensorList` in `Functions.h`) item by item. A foreach op saves its
        own outputs in one (`ForeachPowBackward0.result`): an item the node saved as its output is
        written as that output tensor (what the program holds and may modify in place), not as the
        `SavedVariable`'s shallow copy, which has a tensor of its own."""
        try:
            unpacked = getattr(node, "_saved_" + slot)
        except RuntimeError:
            unpacked = None
        for index, item in enumerate(raw):
            name = "%s[%d]" % (slot, index)
            data = item.data
            if not isinstance(data, _Tensor):
                if data is not None:
                    self._write_hooked(nid, name)
                continue
            saved = unpacked[index] if unpacked is not None and index < len(unpacked) else None
            if saved is not None and saved.grad_fn is node:
                target = outputs.get((id(node), saved.output_nr))
                if target is not None:
                    self._write_save(nid, name, target, True, saved.output_nr, saved_versions, shape=data.shape)
                    continue
            self._write_save(nid, name, data, False, 0, saved_versions)

    def _emit_custom_saves(self, node: Node, nid: int, saved_versions: SavedVersion) -> None:
        for index, item in enumerate(node._raw_saved_tensors):
            data = item.data
            if not isinstance(data, _Tensor):
                if data is not None:
                    self._write_hooked(nid, "tensors[%d]" % index)
                continue
            is_output = data.grad_fn is node
            self._write_save(nid, "tensors[%d]" % index, data, is_output, data.output_nr if is_output else 0,
                             saved_versions)

    def _write_hooked(self, nid: int, slot: str) -> None:
        """A slot packed by saved-tensor hooks: one `save` of each input of the running checkpoint."""
        for tensor, version in self._hooked_inputs():
            info = self._registry.get(tensor)
            self._writer.emit(schema.save(nid, js_name(slot), info.tid, version, False, 0, int_list(tensor.shape)))

    def _write_save(self, nid: int, slot: str, tensor: torch.Tensor, is_output: bool, output_nr: int,
                    saved_versions: SavedVersion, shape: torch.Size | None = None) -> None:
        info = self._registry.get(tensor)
        version = saved_versions(info, is_output)
        dims = tensor.shape if shape is None else shape
        self._writer.emit(schema.save(nid, js_name(slot), info.tid, version, is_output, output_nr, int_list(dims)))
