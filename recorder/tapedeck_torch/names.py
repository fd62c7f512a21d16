"""NameBinder: emits `bind` events, so the debugger can call a tensor by the program's name for it."""

from collections.abc import Callable
from types import FrameType

import torch

from . import schema

_Tensor = torch.Tensor


class NameBinder:
    """Looks at the program frame's variables when the program moves to a new statement, and binds
    each name that now holds a different recorded tensor. The `line` of a binding is the statement
    that ran the frame's last op, which is the assignment in `y = f(x)`. The Python recorder calls
    `observe` before each top-level torch call. The native core keeps the frame and line itself
    (core.cpp `observe_names`) and, when they change, scans the frame by this class's rule where it
    reads the interpreter's frames (Python 3.11, 3.12), and calls `scan` elsewhere."""

    def __init__(self, emit: Callable[[str], None], tid_of: Callable[[torch.Tensor], int | None]) -> None:
        """`emit` takes each `bind` line; `tid_of` gives a tensor's id if it is recorded, else None."""
        self._emit = emit
        self._tid_of = tid_of
        self._bound: dict[tuple[object, str], int] = {}
        self._frame: int | None = None
        self._line = 0

    def observe(self, frame: FrameType) -> None:
        """Called with the program frame of each top-level torch call. Only the frame's identity is
        kept: holding the frame would keep its tensors alive after it returned."""
        line = frame.f_lineno
        if id(frame) == self._frame:
            if line != self._line:
                self.scan(frame, self._line)
        else:
            self.scan(frame, line)
        self._frame = id(frame)
        self._line = line

    def scan(self, frame: FrameType, line: int) -> None:
        """Binds each variable of `frame` that holds a recorded tensor it did not hold when last
        scanned, at `line`."""
        tid_of = self._tid_of
        bound = self._bound
        code = frame.f_code
        for name, value in frame.f_locals.items():
            if isinstance(value, _Tensor) and not name.startswith("__"):
                tid = tid_of(value)
                if tid is not None and bound.get((code, name)) != tid:
                    bound[(code, name)] = tid
                    self._emit(schema.bind(name, tid, line))
