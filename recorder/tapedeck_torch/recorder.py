"""Recorder: watches a running PyTorch program and writes its tape (docs/trace-format.md)."""

import itertools
import os
import sys
import traceback
import warnings
import weakref
from collections.abc import Callable
from typing import Any, NamedTuple

import torch
from torch.autograd.graph import Node
from torch.optim.optimizer import register_optimizer_step_post_hook
from torch.overrides import TorchFunctionMode
from torch.utils import _python_dispatch

from . import calls, foreach, inference, schema
from .checkpoint import CheckpointInputs
from .compat import classmethod_function
from .dispatch_mode import EagerDispatchMode
from .graph import GraphRecorder, SavedVersion, is_custom, saved_slot_names
from .names import NameBinder
from .ops import OpInfo, op_info, tensors_in
from .registry import TensorInfo, TensorRegistry
from .schema import js, js_name
from .sites import CallSites
from .stdout import StdoutTee
from .warnings_site import wrap_showwarnmsg
from .window import StepWindow
from .writer import TraceWriter, int_list

_Tensor = torch.Tensor
_sequence_nr = torch._C._autograd._get_sequence_nr
_grad_enabled = torch.is_grad_enabled
_inference_mode = torch.is_inference_mode_enabled
_recording_ids = itertools.count(1)
_DETACH = js("Tensor.detach")
_KINDS: dict[Any, tuple[int, str | None]] = {}
"""`calls.classify` of each torch function met, shared by every recording in the process (never
of a method bound to a tensor, which the table would keep alive)."""


class OpContext(NamedTuple):
    """The Python-level call an aten op ran under: the same for every aten op of one call."""

    call: str
    """The call's spelling (`+=`, `Tensor.mul_`, `torch.cat`) as a JSON string literal."""
    site: str
    """The call-site fields (`"line":3,"col":5,"end":9`, see CallSites.site)."""
    is_data: bool
    """The call is `tensor.data`: its alias shares the storage but gets a new version counter."""


class _Op:
    """One aten op as the dispatch mode saw it, resolved when its Python-level call returns."""

    __slots__ = ("info", "inputs", "writes", "after", "outputs", "seq", "context", "grad")

    def __init__(self, info: OpInfo, inputs: list[tuple[torch.Tensor, int]],
                 writes: list[tuple[torch.Tensor, int]] | None, seq: int, context: OpContext, grad: bool) -> None:
        self.info = info
        self.inputs = inputs
        self.writes = writes
        self.after: list[int] | None = None
        self.outputs: list[torch.Tensor] = []
        self.seq = seq
        self.context = context
        self.grad = grad

    def settle(self) -> None:
        """Reads the versions of the tensors the op wrote. PyTorch bumps them after the op returns
        through the dispatch mode, so this runs at the next op or when the Python call returns.
        Some writes do not bump (BatchNorm's running stats): only a real change is a bump."""
        if self.writes is not None and self.after is None:
            self.after = [version for _, version in inference.versions(t for t, _ in self.writes)]


class _FunctionMode(TorchFunctionMode):
    """Sees each Python-level torch call: gives its aten ops a spelling and a call site, and resolves
    them (graph walk, saved tensors) once the call has returned and autograd's bookkeeping is done."""

    def __init__(self, recorder: "Recorder") -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        if kwargs is None:
            kwargs = {}
        rec = self.recorder
        try:
            kind, spelling = rec.kinds[func]
        except (KeyError, TypeError):
            kind, spelling = calls.classify(func)
            if not isinstance(getattr(func, "__self__", None), _Tensor):
                try:
                    rec.kinds[func] = (kind, spelling)
                except TypeError:
                    pass
        if kind == calls.PASS or rec.passive:
            return func(*args, **kwargs)
        if kind == calls.QUIET:
            rec.passive += 1
            try:
                return func(*args, **kwargs)
            finally:
                rec.passive -= 1
        return rec.call(func, args, kwargs, spelling, kind == calls.DATA, False)


class _DispatchMode(EagerDispatchMode):
    """Sees each aten op below autograd: its overload name, which arguments it writes, and the
    version of every tensor argument when it starts."""

    def __init__(self, recorder: "Recorder") -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        if kwargs is None:
            kwargs = {}
        rec = self.recorder
        record = None
        if not rec.passive:
            try:
                record = rec.before_op(func, args, kwargs)
            except Exception as e:
                rec.report(e, "dispatch")
        lost = foreach.versions_before(func, args)
        out = func(*args, **kwargs)
        if lost:
            foreach.give_back(lost)
        if record is not None:
            record.outputs = tensors_in(out, [])
            rec.pending.append(record)
        return out


class Recorder:
    """Records the program running between `start()` and `stop()` into a trace file. With
    `keep_steps`, only the last steps are kept (window.py says what a step is and what is kept)."""

    def __init__(self, path: str, program_path: str, source: str, values: int = 64,
                 keep_steps: int | None = None) -> None:
        fields = schema.header_fields(program_path, source,
                                      "tapedeck_torch %s (torch %s)" % (_version(), torch.__version__))
        self.writer = TraceWriter(path, schema.header_of(fields))
        self.sites = CallSites(program_path)
        self.registry = TensorRegistry(self.writer, values)
        self.checkpoints = CheckpointInputs()
        self.graph = GraphRecorder(self.writer, self.registry, "tapedeck:%d" % next(_recording_ids),
                                   self.checkpoints.current)
        self.names = NameBinder(self.writer.emit, self.registry.tid)
        self.kinds = _KINDS
        self.passive = 0
        self.depth = 0
        self.contexts: list[OpContext] = []
        self.pending: list[_Op] = []
        self.batch_seq = 0
        self.active = False
        self._next_op = 0
        self._next_backward = 0
        self._last_error: BaseException | None = None
        self._backward: _BackwardState | None = None
        self._patches: list[tuple[Any, str, Any]] = []
        self._modes: list[Any] = []
        self._tee: StdoutTee | None = None
        self.window: StepWindow | None = None
        self._optimizer_steps = False
        self._step_ended = False
        self._step_hook: Any = None
        if keep_steps is not None:
            self.window = StepWindow(keep_steps, fields, self.registry.live_ids, self.registry.versions.copy)
            self.writer.keep()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self._patch(torch.autograd, "_engine_run_backward", self._wrap_engine(torch.autograd._engine_run_backward))
        self._patch(torch.autograd.graph, "_engine_run_backward",
                    self._wrap_engine(torch.autograd.graph._engine_run_backward))
        self._patch(torch.autograd.Function, "apply", self._wrap_apply(torch.autograd.Function.__dict__["apply"]))
        self._patch(warnings, "_showwarnmsg", wrap_showwarnmsg(warnings._showwarnmsg))
        frame = torch.utils.checkpoint._CheckpointFrame
        self._patch(frame, "save_inputs", self.checkpoints.wrap_save_inputs(frame.save_inputs))
        if self.window is not None:
            self._step_hook = register_optimizer_step_post_hook(self._optimizer_step)
        self._tee = StdoutTee(sys.stdout, self.writer)
        sys.stdout = self._tee
        foreach.bumps_lost_under_mode()  # probed before the modes, which it must not pass through
        self._modes = [_FunctionMode(self), _DispatchMode(self)]
        for mode in self._modes:
            mode.__enter__()
        _ACTIVE.add(self)
        self.active = True

    def stop(self, exit_code: int | None = None, error: BaseException | None = None) -> None:
        """Stops recording. `error` is the exception that ended the program (recorded if it has not
        been yet); `exit_code` adds the `exit` event."""
        if not self.active:
            return
        self.guard(self.resolve, "resolve")
        self.active = False
        _ACTIVE.discard(self)
        for mode in reversed(self._modes):
            mode.__exit__(None, None, None)
        self._modes = []
        for owner, name, original in reversed(self._patches):
            setattr(owner, name, original)
        self._patches = []
        if self._step_hook is not None:
            self._step_hook.remove()
            self._step_hook = None
        if sys.stdout is self._tee:
            sys.stdout = self._tee.target
        if error is not None and error is not self._last_error and isinstance(error, (Exception, KeyboardInterrupt)):
            self._write_error(error, self.sites.site_of_traceback(error.__traceback__), None)
        if exit_code is not None:
            self.writer.emit(schema.exit_code(exit_code))
        self._close()

    def syntax_error(self, error: SyntaxError, line: int = 0) -> None:
        """Writes the trace of a program that did not compile: its error and exit code 1. `line` is
        where the error is when the `SyntaxError` itself has no location (a file python3 cannot
        decode names the line only in its message)."""
        if error.offset and error.end_offset and error.end_lineno == error.lineno:
            site = schema.site(error.lineno or 0, error.offset, max(error.end_offset, error.offset + 1))
        else:
            site = schema.site(error.lineno or line)
        self.writer.emit(schema.error(type(error).__name__, error.msg, site, None))
        self.writer.emit(schema.exit_code(1))
        self._close()

    def abort(self, kind: str, message: str, file: str, line: int) -> None:
        """Ends the trace of a program stopped from outside at `file`:`line` (a budget ran out): the
        ops still pending, an error of type `kind` there, exit code 1, the file closed and renamed.
        The modes and patches stay, since the process ends at once (`os._exit`)."""
        if not self.active:
            return
        self.active = False
        self.passive += 1
        self.guard(self.resolve, "resolve")
        site = schema.site(line) + self.sites.file_field(file)
        self.writer.emit(schema.error(kind, message, site, None))
        self.writer.emit(schema.exit_code(1))
        self._close()

    def _close(self) -> None:
        """Writes what is left (once a window dropped steps: the kept steps, renumbered, in place of
        the last checkpoint) and closes the file."""
        if self.window is not None:
            self.window.close(self.writer)
        else:
            self.writer.close()

    def _optimizer_step(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        """PyTorch's global hook after any optimizer's `step()`: from now on only these end steps.
        The first one takes back the step its backward call ended, so `backward(); step()` is one."""
        first = not self._optimizer_steps
        self._optimizer_steps = True
        if self.active and not self.passive:
            self.guard(self._end_step, "step", first)

    def _end_step(self, rejoin: bool = False) -> None:
        """A step ended: hands its events to the window, now or, inside a torch call (`backward()`
        runs inside `Tensor.backward`), when that call returns. `rejoin` merges the step before."""
        if self.depth:
            self._step_ended = True
            return
        self._step_ended = False
        self.resolve()
        self.window.take_step(self.writer, rejoin)

    def _patch(self, owner: Any, name: str, replacement: Any) -> None:
        self._patches.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, replacement)

    def guard(self, action: Callable[..., object], where: str, *args: Any) -> None:
        """Runs recorder work; a failure is written to the trace and never reaches the program."""
        try:
            action(*args)
        except Exception as e:
            self.report(e, where)

    def report(self, error: Exception, where: str) -> None:
        """Writes the recorder's own failure `where` it happened as a `recorder_error` event."""
        self.writer.emit(schema.recorder_error(
            where, "".join(traceback.format_exception_only(type(error), error)).strip()))

    # ------------------------------------------------------------------ forward

    def before_op(self, func: Any, args: tuple, kwargs: dict) -> "_Op | None":
        """The record of an aten op about to run (None for ops the trace leaves out, and for
        inference mode, whose tensors have no version counter), with the
        version of each tensor argument now. Settles the previous op, whose bumps are done."""
        info = op_info(func)
        if info is None or _inference_mode():
            return None
        inputs = []
        try:
            for a in args:
                if isinstance(a, _Tensor):
                    inputs.append((a, a._version))
                elif isinstance(a, (list, tuple)):
                    for x in a:
                        if isinstance(x, _Tensor):
                            inputs.append((x, x._version))
            for a in kwargs.values():
                if isinstance(a, _Tensor):
                    inputs.append((a, a._version))
        except RuntimeError:
            inputs = inference.versions(inference.tensor_args(args, kwargs))
        writes: list[tuple[torch.Tensor, int]] | None = None
        if info.write_args or info.write_kwargs:
            written: list[torch.Tensor] = []
            for index in info.write_args:
                if index < len(args):
                    tensors_in(args[index], written)
            for name in info.write_kwargs:
                tensors_in(kwargs.get(name), written)
            writes = inference.versions(written)
        if self.pending:
            self.pending[-1].settle()
            if self.depth == 0:
                self.resolve()
        context = self.contexts[-1] if self.contexts else self.loose_context()
        return _Op(info, inputs, writes, _sequence_nr(), context, _grad_enabled())

    def loose_context(self) -> OpContext:
        """The context of an aten op issued outside any Python-level torch call (from C++, such as
        DDP's parameter broadcast): its `call` is the operator the bytecode shows, else `""` as
        docs/trace-format.md says, so readers show the aten name (`aten::copy_`)."""
        site, spelling, _ = self.sites.site(sys._getframe(3))
        return OpContext(js_name(spelling or ""), site, False)

    def call(self, func: Callable[..., Any], args: tuple, kwargs: dict, spelling: str | None, is_data: bool,
             is_apply: bool) -> Any:
        """Runs one Python-level torch call (or custom `Function.apply`) and records its aten ops."""
        outer = self.depth == 0
        if outer:
            if self.pending:
                self.guard(self.resolve, "resolve")
            self.batch_seq = _sequence_nr()
        try:
            site, operator, frame = self.sites.site(sys._getframe(2), func)
            if outer and frame is not None:
                self.names.observe(frame)
        except Exception as e:
            self.report(e, "call site")
            site, operator = schema.site(0), None
        self.contexts.append(OpContext(js_name(operator or spelling), site, is_data))
        self.depth += 1
        result = None
        try:
            result = func(*args, **kwargs)
            return result
        except Exception as e:
            if e is not self._last_error:
                self._write_error(e, site, None)
            raise
        finally:
            self.depth -= 1
            self.contexts.pop()
            if outer:
                self.guard(self.resolve, "resolve", tensors_in(result, []) if is_apply else None)
                if self._step_ended:
                    self.guard(self._end_step, "step")

    def _write_error(self, error: BaseException, site: str, backward: int | None) -> None:
        self._last_error = error
        self.writer.emit(schema.error(type(error).__name__, str(error), site, backward))

    def resolve(self, extra_roots: list[torch.Tensor] | None = None) -> None:
        """Writes the pending aten ops: tensors, ops, bumps, then the nodes they created with their
        saved tensors, then grad_fn changes."""
        batch = self.pending
        if not batch:
            return
        batch[-1].settle()
        self.pending = []
        self.passive += 1
        try:
            self._resolve(batch, extra_roots)
        finally:
            self.passive -= 1
        self.writer.drain()

    def _resolve(self, batch: list[_Op], extra_roots: list[torch.Tensor] | None) -> None:
        registry = self.registry
        emit = self.writer.emit
        versions = registry.versions
        claims: dict[int, int] = {}
        outputs_of: dict[tuple[int, int], torch.Tensor] = {}
        grad_fns: list[list[tuple[torch.Tensor, Node]]] = []
        writes_after = [False] * len(batch)
        seen_write = False
        for j in range(len(batch) - 1, -1, -1):
            writes_after[j] = seen_write
            if batch[j].writes:
                seen_write = True
        for j, op in enumerate(batch):
            changes = []
            written = {id(t) for t, _ in op.writes} if op.writes else set()
            for t in op.outputs:
                if id(t) in written:
                    holder = t._base if t._is_view() else t
                elif t._is_view() and writes_after[j]:
                    continue
                else:
                    holder = t
                node = holder.grad_fn
                if node is not None:
                    changes.append((holder, node))
                    if id(node) not in claims:
                        claims[id(node)] = j
                    outputs_of.setdefault((id(node), holder.output_nr), holder)
            grad_fns.append(changes)
        bumps: list[tuple[int, int, int]] = []
        op_index: list[int | None] = []
        for j, op in enumerate(batch):
            index = self._write_op(op, j, bumps, batch[j - 1] if j else None)
            op_index.append(index)
        roots = [node for changes in grad_fns for _, node in changes]
        if extra_roots:
            roots.extend(t.grad_fn for t in extra_roots if t.grad_fn is not None)
        seqs = [op.seq for op in batch]
        for node in self.graph.new_nodes(roots):
            j = claims.get(id(node))
            if j is None:
                seq = node._sequence_nr()
                if seq >= self.batch_seq and node.name() != "torch::autograd::AccumulateGrad":
                    j = next((k for k, s in enumerate(seqs) if s > seq), len(batch) - 1)
            op = op_index[j] if j is not None else None
            self.graph.emit(node, op, self._saved_version_at(j, bumps), outputs_of)
        key = self.graph.key
        for changes in grad_fns:
            for holder, node in changes:
                info = registry.get(holder)
                nid = node.metadata.get(key)
                if nid is not None and info.node != nid:
                    info.node = nid
                    emit(schema.gradfn(info.tid, nid, holder.output_nr, holder.requires_grad, versions[info.vc]))

    def _saved_version_at(self, j: int | None, bumps: list[tuple[int, int, int]]) -> SavedVersion:
        """The saved-version rule: a saved input carries its version when op `j` started, a saved
        output the version after op `j` (computed from the batch's bumps, not from later ones)."""
        versions = self.registry.versions

        def saved_version(info: TensorInfo, is_output: bool) -> int:
            vc = info.vc
            if j is not None:
                for k, counter, before in bumps:
                    if counter == vc and (k > j or (k == j and not is_output)):
                        return before
            return versions[vc]
        return saved_version

    def _write_op(self, op: _Op, j: int, bumps: list[tuple[int, int, int]], previous: _Op | None) -> int | None:
        registry = self.registry
        versions = registry.versions
        emit = self.writer.emit
        info = op.info
        ins = []
        for t, v in op.inputs:
            entry = registry.info(t)
            if entry is None:
                entry = registry.register(t, None, None, v)
            elif versions[entry.vc] != v:
                emit(schema.sync(entry.vc, entry.tid, versions[entry.vc], v))
                versions[entry.vc] = v
            ins.append((entry.tid, v))
        source = registry.info(op.inputs[0][0]) if op.inputs else None
        context = op.context
        artefact = (info.is_alias and previous is not None and source is not None and not context.is_data
                    and any(t is op.inputs[0][0] for t in previous.outputs) and context.call != _DETACH)
        outs = []
        for t in op.outputs:
            entry = registry.info(t)
            if entry is None:
                if info.is_alias and source is not None:
                    if context.is_data:
                        entry = registry.register(t, None, source.st, 0)
                    else:
                        entry = registry.register(t, source.vc, source.st, 0)
                else:
                    entry = registry.register(t, None, None, 0)
            outs.append(entry)
        if artefact:
            return None
        index = self._next_op
        self._next_op += 1
        written = []
        if op.writes and op.after is not None:
            for (t, v), after in zip(op.writes, op.after, strict=True):
                if after != v:
                    entry = registry.get(t)
                    bumps.append((j, entry.vc, v))
                    versions[entry.vc] = after
                    written.append((entry, v, after))
                elif info.unbumped:
                    written.append((registry.get(t), v, v))
        emit(schema.op(index, info.name_json, context.call, context.site, op.grad, schema.pairs(ins),
                       schema.pairs([(e.tid, versions[e.vc]) for e in outs]), info.writes_self, info.is_view))
        for entry, v, after in written:
            emit(schema.bump(entry.vc, entry.tid, v, after, index))
            tensor = entry.ref()
            values = registry.values(tensor) if tensor is not None else None
            if values is not None:
                emit(schema.values(entry.tid, int_list(tensor.shape), values))
        return index

    # ------------------------------------------------------------------ custom Functions

    def _wrap_apply(self, original: classmethod) -> classmethod:
        recorder = self
        function = classmethod_function(original)

        def apply(cls: type, *args: Any, **kwargs: Any) -> Any:
            if not recorder.active or recorder.passive:
                return function(cls, *args, **kwargs)
            return recorder.call(function, (cls,) + args, kwargs, cls.__name__ + ".apply", False, True)
        return classmethod(apply)

    # ------------------------------------------------------------------ backward

    def _wrap_engine(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        def _engine_run_backward(t_outputs: Any, *args: Any, **kwargs: Any) -> Any:
            if not recorder.active or recorder.passive or recorder._backward is not None:
                return original(t_outputs, *args, **kwargs)
            return recorder.run_backward(original, t_outputs, args, kwargs)
        return _engine_run_backward

    def run_backward(self, original: Callable[..., Any], t_outputs: Any, args: tuple, kwargs: dict) -> Any:
        retain = bool(args[1] if len(args) > 1 else kwargs.get("retain_graph", False))
        state = None
        self.passive += 1
        try:
            site, _, frame = self.sites.site(sys._getframe(2))
            if frame is not None:
                self.names.observe(frame)
            self.resolve()
            state = _BackwardState(self._next_backward, retain, site)
            self._next_backward += 1
            self._start_backward(state, t_outputs, site)
        except Exception as e:
            self.report(e, "backward")
            state = None
        finally:
            self.passive -= 1
        if state is None:
            return original(t_outputs, *args, **kwargs)
        self._backward = state
        self.passive += 1
        try:
            if _python_dispatch._get_current_dispatch_mode() is self._modes[1]:
                with _python_dispatch._pop_mode_temporarily():
                    result = original(t_outputs, *args, **kwargs)
            else:
                result = original(t_outputs, *args, **kwargs)
        except Exception as e:
            self.guard(self._end_backward, "backward", state, e)
            self._last_error = e
            raise
        finally:
            self.passive -= 1
            self._backward = None
        self.guard(self._end_backward, "backward", state, None)
        self.writer.drain()
        if self.window is not None and not self._optimizer_steps:
            self.guard(self._end_step, "step")
        return result

    def _start_backward(self, state: "_BackwardState", t_outputs: Any, site: str) -> None:
        edges: list[tuple[Node, int]] = []
        for t in t_outputs:
            if isinstance(t, _Tensor):
                if t.grad_fn is not None:
                    edges.append((t.grad_fn, t.output_nr))
                elif t.requires_grad:
                    edge = torch.autograd.graph.get_gradient_edge(t)
                    edges.append((edge.node, edge.output_nr))
            elif t is not None:
                edges.append((t.node, t.output_nr))
        roots = [node for node, _ in edges]
        for node in self.graph.new_nodes(roots):
            self.graph.emit(node, None, self._saved_version_at(None, []), {})
        key = self.graph.key
        hook_key = self.graph.hook_key
        stack = list(roots)
        nodes = state.nodes
        while stack:
            node = stack.pop()
            nid = node.metadata[key]
            if nid in nodes:
                continue
            nodes[nid] = node
            if not node.metadata.get(hook_key):
                node.register_prehook(_prehook(self, nid))
                node.metadata[hook_key] = True
            for child, _ in node.next_functions:
                if child is not None:
                    stack.append(child)
        self.writer.emit(schema.backward(state.id, schema.pairs([(node.metadata[key], nr) for node, nr in edges]),
                                         site, state.retain))

    def on_run(self, nid: int, grad_outputs: tuple[torch.Tensor | None, ...]) -> None:
        """A node's pre-hook: the previous node has finished (its saved variables are freed unless
        the graph is retained) and this one is about to unpack its saved tensors."""
        state = self._backward
        if state is None:
            return
        if state.last is not None and not state.retain:
            self.writer.emit(schema.release(state.last))
        state.last = nid
        grads = []
        values = self.registry.values
        for grad in grad_outputs:
            if grad is None:
                grads.append("null")
                continue
            grads.append(schema.gradient(int_list(grad.shape), values(grad)))
        self.writer.emit(schema.run(state.id, nid, grads))

    def _end_backward(self, state: "_BackwardState", error: BaseException | None) -> None:
        emit = self.writer.emit
        if error is None:
            if state.last is not None and not state.retain:
                emit(schema.release(state.last))
            emit(schema.backward_end(state.id, None, None, None))
            return
        node = state.nodes.get(state.last) if state.last is not None else None
        failed = state.last if node is not None else None
        slot = _failed_slot(node) if node is not None else None
        emit(schema.backward_end(state.id, failed, slot, str(error)))
        self._write_error(error, state.site, state.id)


class _BackwardState:
    __slots__ = ("id", "retain", "site", "nodes", "last")

    def __init__(self, backward_id: int, retain: bool, site: str) -> None:
        self.id = backward_id
        self.retain = retain
        self.site = site
        self.nodes: dict[int, Node] = {}
        self.last: int | None = None


_ACTIVE: "weakref.WeakSet[Recorder]" = weakref.WeakSet()
"""The recorders between `start()` and `stop()`: the fork handlers below act on these only."""


def _forking() -> None:
    """Empties the trace files' buffers before a fork, so a child cannot write the parent's bytes again."""
    for recorder in list(_ACTIVE):
        recorder.writer.flush()


def _forked() -> None:
    """In a forked child (a DataLoader worker), the inherited recorders go quiet: the child must
    not write into the parent's trace."""
    for recorder in list(_ACTIVE):
        recorder.passive += 1
        recorder.writer.detach()


# Registered once per process (Python cannot unregister a fork handler), not once per recording.
os.register_at_fork(before=_forking, after_in_child=_forked)


def _prehook(recorder: Recorder, nid: int) -> Callable[[tuple[torch.Tensor | None, ...]], None]:
    def prehook(grad_outputs: tuple[torch.Tensor | None, ...]) -> None:
        recorder.guard(recorder.on_run, "run", nid, grad_outputs)
    return prehook


def _failed_slot(node: Node) -> str | None:
    """The first saved slot, in unpack order, whose unpack raises (stale version or freed)."""
    if is_custom(node):
        for index, saved in enumerate(node._raw_saved_tensors):
            try:
                saved.unpack()
            except RuntimeError:
                return "tensors[%d]" % index
        return None
    for slot in saved_slot_names(type(node)):
        try:
            getattr(node, "_saved_" + slot)
        except RuntimeError:
            return slot
    return None


def _version() -> str:
    from . import __version__
    return __version__
