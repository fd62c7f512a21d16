"""GraphRecorder: emits `node`, `save` events for grad_fn nodes the first time they are reached."""

import torch

from .writer import js

_Tensor = torch.Tensor

_ACCUMULATE_GRAD = "torch::autograd::AccumulateGrad"


def saved_slot_names(node_type, cache={}):
    """The node type's saved-tensor slots in `Functions.h` declaration order, which is the order
    `apply` unpacks (and checks) them: the type's attribute table keeps that order."""
    names = cache.get(node_type)
    if names is None:
        names = [key[11:] for key in node_type.__dict__ if key.startswith("_raw_saved_")]
        cache[node_type] = names
    return names


def is_custom(node):
    return hasattr(node, "_forward_cls")


class GraphRecorder:
    """Gives grad_fn nodes dense ids, stamped into `node.metadata` under a key unique to this
    recording, and emits each node after the nodes its `next_functions` point to."""

    def __init__(self, writer, registry, key):
        self._writer = writer
        self._registry = registry
        self.key = key
        self.hook_key = key + ":hooked"
        self._next_node = 0

    def nid(self, node):
        return node.metadata.get(self.key)

    def new_nodes(self, roots):
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

    def emit(self, node, op, saved_versions, outputs):
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
        line = '{"k":"node","n":%d,"name":%s,"seq":%d' % (nid, js(name), node._sequence_nr())
        if op is not None:
            line += ',"op":%d' % op
        line += ',"next":[' + ",".join(edges) + "]"
        if name == _ACCUMULATE_GRAD:
            line += ',"var":%d' % self._registry.get(node.variable).tid
        self._writer.emit(line + "}")
        node.metadata[key] = nid
        if is_custom(node):
            self._emit_custom_saves(node, nid, saved_versions)
        else:
            for slot in saved_slot_names(type(node)):
                self._emit_save(node, nid, slot, saved_versions, outputs)
        return nid

    def _emit_save(self, node, nid, slot, saved_versions, outputs):
        """Writes one slot. Slots that hold no tensor are skipped: unsaved (`None`), or packed by
        saved-tensor hooks the program installed itself (`torch.utils.checkpoint`), which PyTorch
        does not version-check either."""
        raw = getattr(node, "_raw_saved_" + slot)
        if isinstance(raw, (list, tuple)):
            for index, item in enumerate(raw):
                data = item.data
                if isinstance(data, _Tensor):
                    self._write_save(nid, "%s[%d]" % (slot, index), data, False, 0, saved_versions)
            return
        data = raw.data
        if not isinstance(data, _Tensor):
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

    def _emit_custom_saves(self, node, nid, saved_versions):
        for index, item in enumerate(node._raw_saved_tensors):
            data = item.data
            if not isinstance(data, _Tensor):
                continue
            is_output = data.grad_fn is node
            self._write_save(nid, "tensors[%d]" % index, data, is_output, data.output_nr if is_output else 0,
                             saved_versions)

    def _write_save(self, nid, slot, tensor, is_output, output_nr, saved_versions, shape=None):
        info = self._registry.get(tensor)
        version = saved_versions(info, is_output)
        dims = tensor.shape if shape is None else shape
        self._writer.emit('{"k":"save","n":%d,"slot":%s,"t":%d,"v":%d,"out":%s,"nr":%d,"shape":[%s]}' % (
            nid, js(slot), info.tid, version, "true" if is_output else "false", output_nr,
            ",".join([str(d) for d in dims])))
