"""TraceWriter: appends tapedeck trace events (JSON Lines, docs/trace-format.md) to a file."""

import json
import math
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import schema

if TYPE_CHECKING:
    from .previews import DevicePreviews

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


PARTIAL_SUFFIX = ".partial"
"""What the trace of a run still going (or killed) is called: `RUN.tdt.partial` until it ends."""


def partial_path(path: str) -> str:
    """The name a trace is written under until the run ends: `path` + `.partial`, in the same folder,
    so the final rename never crosses a file system."""
    return path + PARTIAL_SUFFIX


class TraceWriter:
    """Collects event lines and writes them to the trace file in chunks (`drain()`), so a long run's
    trace grows on disk as it runs and a crash loses at most one chunk.

    The trace is written under `partial_path(path)` and only `close()` moves it to `path` (flushed,
    fsynced, then renamed), so `path` never holds a cut-off trace: a run killed before its end
    (SIGKILL, SIGTERM, a crash in torch) leaves `RUN.tdt.partial` with the header and the events
    written so far and no `exit` event, which tapedeck opens as an incomplete run.

    `emit` is the list's own `append`: the recorder calls it thousands of times per training step.
    Text the program prints is coalesced: consecutive writes to stdout with no event in between
    become one `print` event (up to about 4 KB of text each).
    """

    CHUNK = 4096

    def __init__(self, path: str, header: str) -> None:
        self.path = path
        self.partial = partial_path(path)
        self._file = open(self.partial, "w", encoding="utf-8")
        self._file.write(header)
        self._file.write("\n")
        self._file.flush()
        self._lines: list[str] = []
        self.emit = self._lines.append
        self._printed = ""
        self._print_at = -1
        self._detached = False
        self._keep = False
        self._written = 0
        self._held_lines = 0
        """Lines beyond one in the elements of `_lines` that hold a whole block (`write_block`)."""
        self._appending = True
        self.previews: DevicePreviews | None = None
        """Where GPU tensors' value previews wait for their copies (previews.py): filled in before
        lines are written or taken."""

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
        """Stops writing to the file (in a forked child, which shares the parent's file and must
        neither write into it nor rename it)."""
        self._write = self._discard
        self._detached = True

    def _discard(self) -> None:
        if self.previews is not None:
            self.previews.clear()
        if self._keep:
            self._written = len(self._lines)
        else:
            del self._lines[:]
            self._held_lines = 0
        self._print_at = -1

    def drain(self) -> None:
        """Writes the collected lines once there are enough of them."""
        if len(self._lines) + self._held_lines - self._written >= self.CHUNK and self._appending:
            self._write()

    def write_block(self, block: bytes | memoryview) -> None:
        """Writes the collected lines, then `block`: whole event lines, UTF-8 encoded, each ending in
        a newline (the native core's, formatted in C++, as a view of the core's buffer that the next
        block overwrites: used before this returns), handed to the file's byte buffer as they are
        rather than turned into a str and joined; lines emitted later follow it. The text layer never
        holds text between calls (every text write here is flushed), so bytes written under it keep
        their place. A step window (`keep()`) takes lines, so there the block's lines join the
        collected ones instead, written in chunks as `drain()` writes. While previews wait for their
        copies (a GPU's, previews.py), which are filled in once per chunk, not per block, the block
        waits with the collected lines as one text, its lines counted towards the chunk."""
        if self._detached:
            return
        if self._keep:
            self._lines.extend(str(block, "utf-8").split("\n")[:-1])
            self._print_at = -1
            self.drain()
            return
        if self.previews is not None and self.previews.pending:
            text = str(block, "utf-8")
            self._lines.append(text[:-1])
            self._held_lines += text.count("\n") - 1
            self._print_at = -1
            self.drain()
            return
        buffer = self._file.buffer
        if self._lines:
            self._fill()
            buffer.write(("\n".join(self._lines) + "\n").encode("utf-8"))
            del self._lines[:]
            self._held_lines = 0
            self._print_at = -1
        buffer.write(block)

    def keep(self) -> None:
        """Keeps every line in memory until `take()` while still writing them in chunks: a step
        window takes each step's lines, and the file holds the run as it goes until the window's
        first `rewrite()`, so a run killed before any step was dropped leaves every whole chunk."""
        self._keep = True

    def take(self) -> list[str]:
        """The lines collected since the last `take()`, removed (written first while appending)."""
        if self._keep and self._appending and len(self._lines) > self._written:
            self._write()
        self._fill()
        lines = self._lines[:]
        del self._lines[:]
        self._written = 0
        self._print_at = -1
        return lines

    def rewrite(self, lines: list[str], final: bool) -> None:
        """Makes `lines` (header first) the whole trace: a step window's checkpoint of the kept steps
        (the partial trace, replaced whole through a temporary file and a rename, so a kill never
        leaves half of it), or with `final` the finished trace under `path`. From the first rewrite
        on, lines are no longer appended: their ids are the recorder's, not the rewritten trace's.
        A detached writer leaves the files alone."""
        self._appending = False
        if self._detached:
            return
        if not self._file.closed:
            self._file.close()
        temporary = self.partial + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
            f.write("\n")
            f.flush()
            if final:
                os.fsync(f.fileno())
        if final:
            os.replace(temporary, self.path)
            if os.path.exists(self.partial):
                os.remove(self.partial)
        else:
            os.replace(temporary, self.partial)

    def _write(self) -> None:
        """Writes the collected lines and hands them to the OS, so a killed run keeps whole chunks.
        Kept lines (`keep()`) stay in memory, marked written."""
        self._fill()
        lines = self._lines
        self._file.write("\n".join(lines[self._written:] if self._written else lines))
        self._file.write("\n")
        self._file.flush()
        if self._keep:
            self._written = len(lines)
        else:
            del lines[:]
            self._held_lines = 0
        self._print_at = -1

    def _fill(self) -> None:
        if self.previews is not None:
            self.previews.fill(self._lines, self._written)

    def close(self) -> None:
        """Writes what is left, makes it durable (fsync) and renames the partial trace to `path`."""
        if self._file.closed:
            return
        if len(self._lines) > self._written:
            self._write()
        if self._detached:
            self._file.close()
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.path)
