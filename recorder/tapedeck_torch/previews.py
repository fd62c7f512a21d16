"""DevicePreviews: value previews of GPU tensors without a device sync per op.

`tolist()` of a CUDA tensor waits until the device has run everything queued before it. Taken for
each new small tensor, as the recorder previews values, that keeps the CPU from running ahead of
the GPU at every op, which on a launch-bound step costs more than the op itself. Instead, `defer`
queues a copy of the tensor into pinned host memory (`to("cpu", non_blocking=True)`: it runs in
stream order, so it holds the values the tensor had when the recorder saw it, whatever the program
writes into it later) and gives back a placeholder that the trace line carries until the writer
writes its lines: then `fill` waits for the device once (`torch.cuda.synchronize()`) and puts each
preview in its place. So a run pays one sync per chunk of 4,096 lines written, not one per op.

A placeholder is `\\0N\\0` (N: the preview's number): a NUL never occurs in a trace line otherwise,
since JSON escapes it inside strings. The native core (native/core.cpp, `Previews`) makes its copies
the same way and keeps them; native/previews.py fills its placeholders through this class's `fill`.
"""

from collections.abc import Callable

import torch
from torch.utils._python_dispatch import _disable_current_modes

from .writer import number_array

DEFERRED_DEVICES = frozenset({"cuda"})
"""The device types whose previews are deferred (the others take `tolist()` at once)."""

SYNCHRONIZE: dict[str, Callable[[str], None]] = {"cuda": torch.cuda.synchronize}
"""How `fill` waits for the copies from a device (`"cuda:1"`) of a type to land."""


class DevicePreviews:
    """The previews copied asynchronously and not yet written (see the module's docstring)."""

    def __init__(self) -> None:
        self._copies: list[torch.Tensor] = []
        self._devices: set[str] = set()

    def defer(self, t: torch.Tensor) -> str | None:
        """Queues the copy of `t`'s values to the host; the placeholder of its preview, or None when
        the tensor cannot be copied (a functorch wrapper, say: no preview, as `tolist()` gives none)."""
        try:
            # Outside the recorder's dispatch mode, whose handler would get a wrapped number as an int.
            with _disable_current_modes():
                copy = t.detach().to("cpu", non_blocking=True, copy=True)
        except (RuntimeError, TypeError, ValueError):
            return None
        self._copies.append(copy)
        self._devices.add(str(t.device))
        return "\0%d\0" % (len(self._copies) - 1)

    @property
    def pending(self) -> bool:
        """Whether previews wait for their copies."""
        return bool(self._copies)

    def fill(self, lines: list[str], start: int) -> None:
        """Replaces the placeholders in `lines[start:]` (every line not written yet) by the previews,
        once their copies have landed."""
        if not self.pending:
            return
        for device in self._devices:
            wait = SYNCHRONIZE.get(torch.device(device).type)
            if wait is not None:
                wait(device)
        previews = self._texts()
        for i in range(start, len(lines)):
            line = lines[i]
            if "\0" in line:
                parts = line.split("\0")
                parts[1::2] = [previews[int(number)] for number in parts[1::2]]
                lines[i] = "".join(parts)
        self.clear()

    def _texts(self) -> list[str]:
        """The previews of the landed copies as JSON arrays, in placeholder order."""
        # `number_array` gives None only for complex values, which the registry never previews.
        return [number_array(copy.tolist()) for copy in self._copies]  # type: ignore[misc]

    def clear(self) -> None:
        """Forgets the pending previews (their lines are dropped: a forked child's writer)."""
        self._copies = []
        self._devices = set()
