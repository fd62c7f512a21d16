"""NativeRecorder: the recorder of `python3 -m tapedeck_torch --native` and `record(..., native=True)`.

The C++ core (core.cpp) records forward ops, tensors, bumps, nodes with their saved tensors and
grad_fn changes, and formats them in bulk; this class does what happens once per backward call or
per run — backward calls and their node runs, errors, printed text, the exit — with the Python
recorder's schema and writer, and stops at what the core refuses (NativeUnsupported).
"""

import functools
import json
import os
import sys
import weakref
from collections.abc import Callable
from types import FrameType
from typing import Any

import torch
from torch.autograd.graph import GradientEdge
from torch.optim.optimizer import register_optimizer_step_post_hook

from .. import previews, schema
from ..checkpoint import CheckpointInputs
from ..compat import classmethod_function
from ..graph import is_custom
from ..names import NameBinder
from ..ops import tensors_in
from ..recorder import _failed_slot, _version
from ..sites import CallSites
from ..stdout import StdoutTee
from ..window import StepWindow
from ..writer import TraceWriter
from . import NativeUnsupported, load
from .previews import NativePreviews
from .sites import NativeSites, classify, slot_names

_Tensor = torch.Tensor
_DECODER = json.JSONDecoder()


class _Printed:
    """The writer as StdoutTee sees it: printed text goes into the trace after the ops before it."""

    def __init__(self, recorder: "NativeRecorder") -> None:
        self._recorder = recorder

    def printed(self, text: str) -> None:
        self._recorder.flush()
        self._recorder.writer.printed(text)


class NativeRecorder:
    """Records the program running between `start()` and `stop()` into a trace file, through the C++
    core. It names variables as the Python recorder does (NameBinder's rule, once per program
    statement: the core scans the frame itself where it reads the interpreter's frames, `_names`
    elsewhere). Value previews of GPU tensors are copied asynchronously by the core and filled in by
    the writer once per chunk (previews.py), as the Python recorder's are. What it does not record:
    value previews of tensors on other devices (neither the CPU nor a deferred one), the Python
    spelling of calls its frame's bytecode does not name exactly (callees.py: `call` is `""`
    there, and readers show the aten name), and exceptions a torch call raises before any op runs
    (Python-level checks, such as an index out of bounds), but for those of
    `torch.autograd.backward` and `grad` (`_wrap_entry`); an exception an op raised is written when
    it reaches the program (`_raised`). A slot packed by saved-tensor hooks is written as the Python
    recorder writes it (checkpoint.py). What it refuses (NativeUnsupported): custom autograd
    Function nodes made before the recording started, and any node whose saved slots the core
    cannot name."""

    def __init__(self, path: str, program_path: str, source: str, values: int = 64,
                 keep_steps: int | None = None) -> None:
        self.core = load()
        self._values = values
        fields = schema.header_fields(program_path, source,
                                      "tapedeck_torch %s (torch %s, native)" % (_version(), torch.__version__))
        self.writer = TraceWriter(path, schema.header_of(fields))
        self.previews = NativePreviews(self.core)
        self.writer.previews = self.previews
        self.window: StepWindow | None = None
        self._optimizer_steps = False
        self._step_hook: Any = None
        if keep_steps is not None:
            self.window = StepWindow(keep_steps, fields, self.core.live_ids, self.core.versions)
            self.writer.keep()
        self.sites = CallSites(program_path)
        self.checkpoints = CheckpointInputs()
        self._native_sites = NativeSites(self.sites)
        self._bound: list[str] = []
        self.names = NameBinder(self._bound.append, self.core.known_id)
        self.active = False
        self._next_backward = 0
        self._in_backward = False
        self._last_error: BaseException | None = None
        self._patches: list[tuple[Any, str, Any]] = []
        self._tee: StdoutTee | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self._patch(torch.autograd, "_engine_run_backward", self._wrap_engine(torch.autograd._engine_run_backward))
        self._patch(torch.autograd.graph, "_engine_run_backward",
                    self._wrap_engine(torch.autograd.graph._engine_run_backward))
        self._patch(torch.autograd.Function, "apply", self._wrap_apply(torch.autograd.Function.__dict__["apply"]))
        for name in ("backward", "grad"):
            self._patch(torch.autograd, name, self._wrap_entry(torch.autograd.__dict__[name]))
        frame = torch.utils.checkpoint._CheckpointFrame
        self._patch(frame, "save_inputs", self.checkpoints.wrap_save_inputs(frame.save_inputs))
        self._tee = StdoutTee(sys.stdout, _Printed(self))  # type: ignore[arg-type]
        sys.stdout = self._tee
        self.core.start(self.sites.program, classify, self._native_sites.classify_code, self._native_sites.site,
                        slot_names, self.checkpoints.current, self._values, previews.DEFERRED_DEVICES, self._raised,
                        self._names)
        if self.window is not None:
            self._step_hook = register_optimizer_step_post_hook(self._optimizer_step)
        _ACTIVE.add(self)
        self.active = True

    def stop(self, exit_code: int | None = None, error: BaseException | None = None) -> None:
        """Stops recording. `error` is the exception that ended the program (recorded if it has not
        been yet); `exit_code` adds the `exit` event. A refusal still pending ends the trace with a
        NativeUnsupported error, so the trace never reads as complete."""
        if not self.active:
            return
        refused = None
        try:
            self.flush()
        except NativeUnsupported as e:
            refused = e
        self.active = False
        _ACTIVE.discard(self)
        self.core.stop()
        for owner, name, original in reversed(self._patches):
            setattr(owner, name, original)
        self._patches = []
        if self._step_hook is not None:
            self._step_hook.remove()
            self._step_hook = None
        if sys.stdout is self._tee:
            sys.stdout = self._tee.target
        if refused is not None and not (isinstance(error, NativeUnsupported) and str(error) == str(refused)):
            # Only a refusal the program has not met: one it raised is written below, where it was raised.
            print("tapedeck_torch: %s" % refused, file=sys.stderr)
            self._write_error(refused, schema.site(0), None)
        if error is not None and error is not self._last_error and isinstance(error, (Exception, KeyboardInterrupt)):
            self._write_error(error, self.sites.site_of_traceback(error.__traceback__), None)
        if exit_code is not None:
            self.writer.emit(schema.exit_code(exit_code))
        self._close()

    def abort(self, kind: str, message: str, file: str, line: int) -> None:
        """Ends the trace of a program stopped from outside at `file`:`line` (a budget ran out)."""
        if not self.active:
            return
        try:
            self.flush()
        except NativeUnsupported:
            pass
        self.active = False
        self.core.stop()
        site = schema.site(line) + self.sites.file_field(file)
        self.writer.emit(schema.error(kind, message, site, None))
        self.writer.emit(schema.exit_code(1))
        self._close()

    def _close(self) -> None:
        if self.window is not None:
            self.window.close(self.writer)
        else:
            self.writer.close()

    def flush(self) -> None:
        """Writes what the core recorded since the last flush; raises NativeUnsupported when it met
        something it cannot record (the program stops there, with the trace so far)."""
        if not self.active:
            return
        self._write_taken()
        refusal = self.core.refusal()
        if refusal:
            raise NativeUnsupported(refusal)

    def _write_taken(self) -> None:
        text, copies, devices = self.core.take()
        if copies:
            self.previews.held(copies, devices)
        if text:
            self.writer.write_block(text)

    def _raised(self, error: BaseException, call_site: str) -> None:
        """The core's call when an exception a recorded op raised reaches the program: an `error`
        event at the op's site (its call fields without `call`), after the ops before it, as the
        Python recorder writes one for each torch call that raises."""
        if not self.active or error is self._last_error:
            return
        _, end = _DECODER.raw_decode(call_site, len('"call":'))
        self._write_taken()
        self._write_error(error, call_site[end + 1:], None)

    def _names(self, line: int, depth: int) -> list[str]:
        """The core's call, where it cannot read the interpreter's frames itself, when the program's
        next op runs in another frame or statement than its last: the `bind` lines of the variables
        of the program frame `depth` frames up, at `line` (NameBinder.scan)."""
        self.names.scan(sys._getframe(depth), line)
        bound = self._bound[:]
        self._bound.clear()
        return bound

    def _optimizer_step(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        """PyTorch's global hook after any optimizer's `step()`: from now on only these end steps.
        The first one takes back the step its backward call ended, so `backward(); step()` is one."""
        first = not self._optimizer_steps
        self._optimizer_steps = True
        if self.active and not self._in_backward:
            self._end_step(first)

    def _end_step(self, rejoin: bool = False) -> None:
        """A step ended (window.py says when): its events go to the window."""
        self.flush()
        self.window.take_step(self.writer, rejoin)

    def _patch(self, owner: Any, name: str, replacement: Any) -> None:
        self._patches.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, replacement)

    def _write_error(self, error: BaseException, site: str, backward: int | None) -> None:
        self._last_error = error
        self.writer.emit(schema.error(type(error).__name__, str(error), site, backward))

    # ------------------------------------------------------------------ refused before they run

    def _wrap_apply(self, original: Any) -> classmethod:
        recorder = self
        function = classmethod_function(original)

        def apply(cls: type, *args: Any, **kwargs: Any) -> Any:
            if not recorder.active or recorder._in_backward:
                return function(cls, *args, **kwargs)
            first_op = recorder.core.next_op()
            result = function(cls, *args, **kwargs)
            recorder._custom_node(result, first_op)
            return result
        return classmethod(apply)

    def _custom_node(self, result: Any, first_op: int) -> None:
        """Hands the core the node a custom Function's `apply` just made: the outputs it is the
        grad_fn of, and its saved tensors (`ctx.save_for_backward`, slots `tensors[i]` as the Python
        recorder names them) with the versions they were saved at."""
        outputs = tensors_in(result, [])
        node = next((t.grad_fn for t in outputs if t.grad_fn is not None and is_custom(t.grad_fn)), None)
        if node is None:
            return
        mine = [(t, t.output_nr) for t in outputs if t.grad_fn is node]
        saves = []
        for index, item in enumerate(node._raw_saved_tensors):
            data = item.data
            slot = schema.js_name("tensors[%d]" % index)
            if isinstance(data, _Tensor):
                is_output = data.grad_fn is node
                saves.append((slot, data, data._version, is_output, data.output_nr if is_output else 0))
            elif data is not None:
                saves.extend((slot, tensor, version, False, 0) for tensor, version in self.checkpoints.current())
        self.core.custom_node(mine, saves, first_op)

    # ------------------------------------------------------------------ backward

    def _wrap_engine(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        def _engine_run_backward(t_outputs: Any, *args: Any, **kwargs: Any) -> Any:
            if not recorder.active or recorder._in_backward:
                return original(t_outputs, *args, **kwargs)
            return recorder.run_backward(original, t_outputs, args, kwargs)
        return _engine_run_backward

    def _wrap_entry(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """`torch.autograd.backward` or `grad` (and so `Tensor.backward`), which check their arguments
        in Python before the engine runs (`y.backward()` on a non-scalar `y`): an exception raised
        there, which no op raised, is written as the Python recorder writes it, at the program's call."""
        recorder = self

        @functools.wraps(original)
        def entry(*args: Any, **kwargs: Any) -> Any:
            try:
                return original(*args, **kwargs)
            except Exception as e:
                if recorder.active and not recorder._in_backward and e is not recorder._last_error:
                    recorder._entry_failed(e, sys._getframe(1))
                raise
        return entry

    def _entry_failed(self, error: BaseException, caller: FrameType) -> None:
        """An error event for `error`, raised by an autograd entry point that `caller` called; when
        that is `Tensor.backward`, the program's call of it is the site, as a torch function's."""
        called = torch.Tensor.backward if caller.f_code is torch.Tensor.backward.__code__ else None
        self._write_taken()
        self._write_error(error, self.sites.site(caller, called)[0], None)

    def run_backward(self, original: Callable[..., Any], t_outputs: Any, args: tuple, kwargs: dict) -> Any:
        retain = bool(args[1] if len(args) > 1 else kwargs.get("retain_graph", False))
        core = self.core
        core.passive(1)
        try:
            core.observe()
            self.flush()
            site = self.sites.site(sys._getframe(2))[0]
            roots = []
            for t in t_outputs:
                if isinstance(t, _Tensor):
                    if t.grad_fn is not None:
                        roots.append((core.node_id(t.grad_fn), t.output_nr))
                    elif t.requires_grad:
                        edge = torch.autograd.graph.get_gradient_edge(t)
                        roots.append((core.node_id(edge.node), edge.output_nr))
                elif isinstance(t, GradientEdge):
                    roots.append((core.node_id(t.node), t.output_nr))
            self.flush()
            backward = self._next_backward
            self._next_backward += 1
            self.writer.emit(schema.backward(backward, schema.pairs(roots), site, retain))
            self._in_backward = True
            core.begin_backward()
            try:
                result = original(t_outputs, *args, **kwargs)
            except BaseException as e:
                self._end_backward(backward, retain, site, e)
                raise
            self._end_backward(backward, retain, site, None)
        finally:
            self._in_backward = False
            core.passive(-1)
        if self.window is not None and not self._optimizer_steps:
            self._end_step()
        return result

    def _end_backward(self, backward: int, retain: bool, site: str, error: BaseException | None) -> None:
        emit = self.writer.emit
        runs, last, copies, devices = self.core.end_backward(backward, retain, error is None)
        if copies:
            self.previews.held(copies, devices)
        if runs:
            self.writer.write_block(runs)
        if error is None:
            emit(schema.backward_end(backward, None, None, None))
            return
        node = self.core.node_object(last) if last >= 0 else None
        slot = _failed_slot(node) if node is not None else None
        emit(schema.backward_end(backward, last if node is not None else None, slot, str(error)))
        self._write_error(error, site, backward)


_ACTIVE: "weakref.WeakSet[NativeRecorder]" = weakref.WeakSet()


def _forked() -> None:
    """A forked child (a DataLoader worker) must not write into the parent's trace."""
    for recorder in list(_ACTIVE):
        recorder.active = False
        recorder.core.passive(1)
        recorder.writer.detach()


def _forking() -> None:
    for recorder in list(_ACTIVE):
        recorder.writer.flush()


os.register_at_fork(before=_forking, after_in_child=_forked)
