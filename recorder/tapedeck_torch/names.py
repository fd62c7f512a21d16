"""NameBinder: emits `bind` events, so the debugger can call a tensor by the program's name for it."""

from types import FrameType

import torch

from . import schema
from .registry import TensorRegistry
from .writer import TraceWriter

_Tensor = torch.Tensor


class NameBinder:
    """Looks at the program frame's variables when the program moves to a new statement, and binds
    each name that now holds a different recorded tensor. The `line` of a binding is the statement
    that ran the frame's last op, which is the assignment in `y = f(x)`."""

    def __init__(self, writer: TraceWriter, registry: TensorRegistry) -> None:
        self._writer = writer
        self._registry = registry
        self._bound: dict[tuple[object, str], int] = {}
        self._frame: int | None = None
        self._line = 0

    def observe(self, frame: FrameType) -> None:
        """Called with the program frame of each top-level torch call. Only the frame's identity is
        kept: holding the frame would keep its tensors alive after it returned."""
        line = frame.f_lineno
        if id(frame) == self._frame:
            if line != self._line:
                self._scan(frame, self._line)
        else:
            self._scan(frame, line)
        self._frame = id(frame)
        self._line = line

    def _scan(self, frame: FrameType, line: int) -> None:
        info = self._registry.info
        bound = self._bound
        code = frame.f_code
        for name, value in frame.f_locals.items():
            if isinstance(value, _Tensor) and not name.startswith("__"):
                entry = info(value)
                if entry is not None and bound.get((code, name)) != entry.tid:
                    bound[(code, name)] = entry.tid
                    self._writer.emit(schema.bind(name, entry.tid, line))
