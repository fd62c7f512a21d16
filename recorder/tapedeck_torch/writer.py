"""TraceWriter: appends tapedeck trace events (JSON Lines, docs/trace-format.md) to a file."""

import json
import math
from collections.abc import Iterable
from typing import Any

from . import schema

_encode = json.JSONEncoder(allow_nan=True, separators=(",", ":")).encode


def number_list(values: Iterable[object]) -> str | None:
    """A JSON array of numbers; NaN and infinities are written as the strings "nan", "inf", "-inf"
    (docs/trace-format.md, Numbers). None when a value is not a real number (complex)."""
    parts = []
    for v in values:
        if isinstance(v, bool):
            parts.append("1" if v else "0")
        elif isinstance(v, int):
            parts.append(str(v))
        elif isinstance(v, float):
            if math.isfinite(v):
                parts.append(repr(v))
            else:
                parts.append('"nan"' if v != v else ('"inf"' if v > 0 else '"-inf"'))
        else:
            return None
    return "[" + ",".join(parts) + "]"


def number_array(values: Any) -> str | None:
    """`number_list` of the flattened `tensor.tolist()` of an integer or floating-point tensor, in
    bulk: one C-accelerated `json` call writes each number as `number_list` does (`repr` of a float,
    `str` of an int), and the brackets of nested rows are dropped. Booleans (`true`, written 1) and
    NaN or infinities (`NaN`, which JSON cannot spell) take `number_list`'s way."""
    text = _encode(values)
    if "N" in text or "I" in text or "t" in text or "f" in text:
        return number_list(_flatten(values, []) if isinstance(values, list) else [values])
    return "[" + text.replace("[", "").replace("]", "") + "]"


def _flatten(values: list[Any], out: list[Any]) -> list[Any]:
    for v in values:
        if isinstance(v, list):
            _flatten(v, out)
        else:
            out.append(v)
    return out


def int_list(values: Iterable[int]) -> str:
    """A JSON array of integers (a shape)."""
    return "[" + ",".join([str(v) for v in values]) + "]"


class TraceWriter:
    """Collects event lines and writes them to the trace file in chunks (`drain()`), so a long run's
    trace grows on disk as it runs and a crash loses at most one chunk.

    `emit` is the list's own `append`: the recorder calls it thousands of times per training step.
    Text the program prints is coalesced: consecutive writes to stdout with no event in between
    become one `print` event (up to about 4 KB of text each).
    """

    CHUNK = 4096

    def __init__(self, path: str, header: str) -> None:
        self._file = open(path, "w", encoding="utf-8")
        self._lines = [header]
        self.emit = self._lines.append
        self._printed = ""
        self._print_at = -1
        self._held = False

    def printed(self, text: str) -> None:
        if not text:
            return
        lines = self._lines
        if self._print_at == len(lines) - 1 and self._print_at >= 0 and len(self._printed) < 4096:
            self._printed += text
            lines[-1] = schema.printed(self._printed)
        else:
            self._printed = text
            lines.append(schema.printed(text))
            self._print_at = len(lines) - 1

    def flush(self) -> None:
        self._file.flush()

    def detach(self) -> None:
        """Stops writing to the file (in a forked child, which shares the parent's file)."""
        self._write = self._discard

    def _discard(self) -> None:
        del self._lines[:]
        self._print_at = -1

    def drain(self) -> None:
        """Writes the collected lines once there are enough of them (never while held)."""
        if len(self._lines) >= self.CHUNK and not self._held:
            self._write()

    def hold(self) -> None:
        """Keeps every line in memory until `close()`: a step window decides what gets written."""
        self._held = True

    def take(self) -> list[str]:
        """The lines collected since the last `take()` (the header first, the first time), removed."""
        lines = self._lines[:]
        del self._lines[:]
        self._print_at = -1
        return lines

    def put(self, lines: list[str]) -> None:
        """Queues `lines` to be written, after any collected ones."""
        self._lines.extend(lines)

    def _write(self) -> None:
        self._file.write("\n".join(self._lines))
        self._file.write("\n")
        del self._lines[:]
        self._print_at = -1

    def close(self) -> None:
        if self._lines:
            self._write()
        self._file.close()
