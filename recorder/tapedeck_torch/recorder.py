"""Recorder: watches a running PyTorch program and writes its tape (docs/trace-format.md)."""

import itertools
import os
import sys
import traceback
import warnings
import weakref

import torch
from torch.overrides import TorchFunctionMode
from torch.utils import _python_dispatch
from torch.utils._python_dispatch import TorchDispatchMode

from . import calls, inference
from .compat import classmethod_function
from .graph import GraphRecorder, saved_slot_names, is_custom
from .names import NameBinder
from .ops import op_info, tensors_in
from .registry import TensorRegistry
from .sites import CallSites
from .stdout import StdoutTee
from .warnings_site import wrap_showwarnmsg
from .writer import TraceWriter, js, FORMAT_VERSION

_Tensor = torch.Tensor
_sequence_nr = torch._C._autograd._get_sequence_nr
_grad_enabled = torch.is_grad_enabled
_inference_mode = torch.is_inference_mode_enabled
_recording_ids = itertools.count(1)


class _Op:
    """One aten op as the dispatch mode saw it, resolved when its Python-level call returns."""

    __slots__ = ("info", "inputs", "writes", "after", "outputs", "seq", "context", "grad")

    def __init__(self, info, inputs, writes, seq, context, grad):
        self.info = info
        self.inputs = inputs
        self.writes = writes
        self.after = None
        self.outputs = None
        self.seq = seq
        self.context = context
        self.grad = grad

    def settle(self):
        """Reads the versions of the tensors the op wrote. PyTorch bumps them after the op returns
        through the dispatch mode, so this runs at the next op or when the Python call returns.
        Some writes do not bump (BatchNorm's running stats): only a real change is a bump."""
        if self.writes is not None and self.after is None:
            self.after = [version for _, version in inference.versions(t for t, _ in self.writes)]


class _FunctionMode(TorchFunctionMode):
    """Sees each Python-level torch call: gives its aten ops a spelling and a call site, and resolves
    them (graph walk, saved tensors) once the call has returned and autograd's bookkeeping is done."""

    def __init__(self, recorder):
        super().__init__()
        self.recorder = recorder

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if kwargs is None:
            kwargs = {}
        rec = self.recorder
        try:
            kind, spelling = rec.kinds[func]
        except (KeyError, TypeError):
            kind, spelling = calls.classify(func)
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


class _DispatchMode(TorchDispatchMode):
    """Sees each aten op below autograd: its overload name, which arguments it writes, and the
    version of every tensor argument when it starts."""

    def __init__(self, recorder):
        super().__init__()
        self.recorder = recorder

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if kwargs is None:
            kwargs = {}
        rec = self.recorder
        if rec.passive:
            return func(*args, **kwargs)
        try:
            record = rec.before_op(func, args, kwargs)
        except Exception as e:
            rec.report(e, "dispatch")
            record = None
        if record is None:
            return func(*args, **kwargs)
        out = func(*args, **kwargs)
        record.outputs = tensors_in(out, [])
        rec.pending.append(record)
        return out


class Recorder:
    """Records the program running between `start()` and `stop()` into a trace file."""

    def __init__(self, path, program_path, source, values=64):
        self.writer = TraceWriter(path, {
            "format": "tapedeck-trace", "version": FORMAT_VERSION,
            "producer": "tapedeck_torch %s (torch %s)" % (_version(), torch.__version__),
            "path": program_path, "source": source})
        self.sites = CallSites(program_path)
        self.registry = TensorRegistry(self.writer, values)
        self.graph = GraphRecorder(self.writer, self.registry, "tapedeck:%d" % next(_recording_ids))
        self.names = NameBinder(self.writer, self.registry)
        self.kinds = {}
        self.passive = 0
        self.depth = 0
        self.contexts = []
        self.pending = []
        self.batch_seq = 0
        self.active = False
        self._next_op = 0
        self._next_backward = 0
        self._last_error = None
        self._backward = None
        self._patches = []
        self._modes = []
        self._tee = None

    # ------------------------------------------------------------------ lifecycle

    def start(self):
        self._patch(torch.autograd, "_engine_run_backward", self._wrap_engine(torch.autograd._engine_run_backward))
        self._patch(torch.autograd.graph, "_engine_run_backward",
                    self._wrap_engine(torch.autograd.graph._engine_run_backward))
        self._patch(torch.autograd.Function, "apply", self._wrap_apply(torch.autograd.Function.__dict__["apply"]))
        self._patch(warnings, "_showwarnmsg", wrap_showwarnmsg(warnings._showwarnmsg))
        self._tee = StdoutTee(sys.stdout, self.writer)
        sys.stdout = self._tee
        self._modes = [_FunctionMode(self), _DispatchMode(self)]
        for mode in self._modes:
            mode.__enter__()
        recorder = weakref.ref(self)
        os.register_at_fork(before=lambda: _forking(recorder()), after_in_child=lambda: _forked(recorder()))
        self.active = True

    def stop(self, exit_code=None, error=None):
        """Stops recording. `error` is the exception that ended the program (recorded if it has not
        been yet); `exit_code` adds the `exit` event."""
        if not self.active:
            return
        self.guard(self.resolve, "resolve")
        self.active = False
        for mode in reversed(self._modes):
            mode.__exit__(None, None, None)
        self._modes = []
        for owner, name, original in reversed(self._patches):
            setattr(owner, name, original)
        self._patches = []
        if sys.stdout is self._tee:
            sys.stdout = self._tee.target
        if error is not None and error is not self._last_error and isinstance(error, Exception):
            self._write_error(error, self.sites.site_of_traceback(error.__traceback__), None)
        if exit_code is not None:
            self.writer.emit('{"k":"exit","code":%d}' % exit_code)
        self.writer.close()

    def syntax_error(self, error):
        """Writes the trace of a program that did not compile: its error and exit code 1."""
        site = '"line":%d' % (error.lineno or 0)
        if error.offset and error.end_offset and error.end_lineno == error.lineno:
            site += ',"col":%d,"end":%d' % (error.offset, max(error.end_offset, error.offset + 1))
        self.writer.emit('{"k":"error","type":%s,"msg":%s,%s}' % (js(type(error).__name__), js(error.msg), site))
        self.writer.emit('{"k":"exit","code":1}')
        self.writer.close()

    def _patch(self, owner, name, replacement):
        self._patches.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, replacement)

    def guard(self, action, where, *args):
        """Runs recorder work; a failure is written to the trace and never reaches the program."""
        try:
            action(*args)
        except Exception as e:
            self.report(e, where)

    def report(self, error, where):
        self.writer.emit('{"k":"recorder_error","where":%s,"msg":%s}' % (
            js(where), js("".join(traceback.format_exception_only(type(error), error)).strip())))

    # ------------------------------------------------------------------ forward

    def before_op(self, func, args, kwargs):
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
        writes = None
        if info.write_args or info.write_kwargs:
            writes = []
            for index in info.write_args:
                if index < len(args):
                    tensors_in(args[index], writes)
            for name in info.write_kwargs:
                tensors_in(kwargs.get(name), writes)
            writes = inference.versions(writes)
        if self.pending:
            self.pending[-1].settle()
            if self.depth == 0:
                self.resolve()
        context = self.contexts[-1] if self.contexts else self.loose_context()
        return _Op(info, inputs, writes, _sequence_nr(), context, _grad_enabled())

    def loose_context(self):
        """The context of an aten op issued outside any Python-level torch call."""
        site, spelling, _ = self.sites.site(sys._getframe(3))
        return (js(spelling or "aten"), site, False)

    def call(self, func, args, kwargs, spelling, is_data, is_apply):
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
            site, operator = '"line":0', None
        self.contexts.append((js(operator or spelling), site, is_data))
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

    def _write_error(self, error, site, backward):
        self._last_error = error
        line = '{"k":"error","type":%s,"msg":%s,%s' % (js(type(error).__name__), js(str(error)), site)
        if backward is not None:
            line += ',"b":%d' % backward
        self.writer.emit(line + "}")

    def resolve(self, extra_roots=None):
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

    def _resolve(self, batch, extra_roots):
        registry = self.registry
        emit = self.writer.emit
        versions = registry.versions
        claims = {}
        outputs_of = {}
        grad_fns = []
        writes_after = [False] * len(batch)
        seen_write = False
        for j in range(len(batch) - 1, -1, -1):
            writes_after[j] = seen_write
            if batch[j].writes:
                seen_write = True
        for j, op in enumerate(batch):
            changes = []
            written = {id(t) for t, _ in op.writes} if op.writes else ()
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
        bumps = []
        op_index = []
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
                    emit('{"k":"gradfn","t":%d,"n":%d,"nr":%d,"rg":%s,"v":%d}' % (
                        info.tid, nid, holder.output_nr, "true" if holder.requires_grad else "false",
                        versions[info.vc]))

    def _saved_version_at(self, j, bumps):
        """The saved-version rule: a saved input carries its version when op `j` started, a saved
        output the version after op `j` (computed from the batch's bumps, not from later ones)."""
        versions = self.registry.versions

        def saved_version(info, is_output):
            vc = info.vc
            if j is not None:
                for k, counter, before in bumps:
                    if counter == vc and (k > j or (k == j and not is_output)):
                        return before
            return versions[vc]
        return saved_version

    def _write_op(self, op, j, bumps, previous):
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
                emit('{"k":"sync","vc":%d,"t":%d,"from":%d,"to":%d}' % (entry.vc, entry.tid, versions[entry.vc], v))
                versions[entry.vc] = v
            ins.append("[%d,%d]" % (entry.tid, v))
        source = registry.info(op.inputs[0][0]) if op.inputs else None
        artefact = (info.is_alias and previous is not None and source is not None and not op.context[2]
                    and any(t is op.inputs[0][0] for t in previous.outputs) and op.context[0] != '"Tensor.detach"')
        outs = []
        for t in op.outputs:
            entry = registry.info(t)
            if entry is None:
                if info.is_alias and source is not None:
                    if op.context[2]:
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
        if op.writes:
            for (t, v), after in zip(op.writes, op.after):
                if after != v:
                    entry = registry.get(t)
                    bumps.append((j, entry.vc, v))
                    versions[entry.vc] = after
                    written.append((entry, v, after))
        context = op.context
        line = '{"k":"op","i":%d,"name":%s,"call":%s,%s,"grad":%s,"in":[%s],"out":[%s]' % (
            index, info.name_json, context[0], context[1], "true" if op.grad else "false", ",".join(ins),
            ",".join(["[%d,%d]" % (e.tid, versions[e.vc]) for e in outs]))
        if info.writes_self:
            line += ',"inplace":true'
        if info.is_view:
            line += ',"view":true'
        emit(line + "}")
        for entry, v, after in written:
            emit('{"k":"bump","vc":%d,"t":%d,"from":%d,"to":%d,"op":%d}' % (entry.vc, entry.tid, v, after, index))
            tensor = entry.ref()
            values = registry.values(tensor) if tensor is not None else None
            if values is not None:
                emit('{"k":"values","t":%d,"shape":[%s],"val":%s}' % (
                    entry.tid, ",".join([str(d) for d in tensor.shape]), values))
        return index

    # ------------------------------------------------------------------ custom Functions

    def _wrap_apply(self, original):
        recorder = self
        function = classmethod_function(original)

        def apply(cls, *args, **kwargs):
            if not recorder.active or recorder.passive:
                return function(cls, *args, **kwargs)
            return recorder.call(function, (cls,) + args, kwargs, cls.__name__ + ".apply", False, True)
        return classmethod(apply)

    # ------------------------------------------------------------------ backward

    def _wrap_engine(self, original):
        recorder = self

        def _engine_run_backward(t_outputs, *args, **kwargs):
            if not recorder.active or recorder.passive or recorder._backward is not None:
                return original(t_outputs, *args, **kwargs)
            return recorder.run_backward(original, t_outputs, args, kwargs)
        return _engine_run_backward

    def run_backward(self, original, t_outputs, args, kwargs):
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
        return result

    def _start_backward(self, state, t_outputs, site):
        edges = []
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
        self.writer.emit('{"k":"backward","b":%d,"roots":[%s],%s,"retain":%s}' % (
            state.id, ",".join(["[%d,%d]" % (node.metadata[key], nr) for node, nr in edges]), site,
            "true" if state.retain else "false"))

    def on_run(self, nid, grad_outputs):
        """A node's pre-hook: the previous node has finished (its saved variables are freed unless
        the graph is retained) and this one is about to unpack its saved tensors."""
        state = self._backward
        if state is None:
            return
        if state.last is not None and not state.retain:
            self.writer.emit('{"k":"release","n":%d}' % state.last)
        state.last = nid
        grads = []
        values = self.registry.values
        for grad in grad_outputs:
            if grad is None:
                grads.append("null")
                continue
            text = '{"shape":[%s]' % ",".join([str(d) for d in grad.shape])
            preview = values(grad)
            if preview is not None:
                text += ',"val":' + preview
            grads.append(text + "}")
        self.writer.emit('{"k":"run","b":%d,"n":%d,"grads":[%s]}' % (state.id, nid, ",".join(grads)))

    def _end_backward(self, state, error):
        emit = self.writer.emit
        if error is None:
            if state.last is not None and not state.retain:
                emit('{"k":"release","n":%d}' % state.last)
            emit('{"k":"bwend","b":%d}' % state.id)
            return
        line = '{"k":"bwend","b":%d' % state.id
        node = state.nodes.get(state.last) if state.last is not None else None
        if node is not None:
            line += ',"fail":%d' % state.last
            slot = _failed_slot(node)
            if slot is not None:
                line += ',"slot":' + js(slot)
        emit(line + ',"msg":%s}' % js(str(error)))
        self._write_error(error, state.site, state.id)


class _BackwardState:
    __slots__ = ("id", "retain", "site", "nodes", "last")

    def __init__(self, backward_id, retain, site):
        self.id = backward_id
        self.retain = retain
        self.site = site
        self.nodes = {}
        self.last = None


def _forking(recorder):
    """Empties the trace file's buffer before a fork, so a child cannot write the parent's bytes again."""
    if recorder is not None and recorder.active:
        recorder.writer.flush()


def _forked(recorder):
    """In a forked child (a DataLoader worker), the inherited recorder goes quiet: the child must
    not write into the parent's trace."""
    if recorder is not None:
        recorder.passive += 1
        recorder.writer.detach()


def _prehook(recorder, nid):
    def prehook(grad_outputs):
        recorder.guard(recorder.on_run, "run", nid, grad_outputs)
    return prehook


def _failed_slot(node):
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


def _version():
    from . import __version__
    return __version__
