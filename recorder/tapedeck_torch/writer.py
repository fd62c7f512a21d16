"""TraceWriter: appends tapedeck trace events (JSON Lines, docs/trace-format.md) to a file."""

import json
import math

FORMAT_VERSION = "1.0"

_dumps = json.dumps


def js(text):
    """A JSON string literal for `text` (control characters escaped)."""
    return _dumps(text)


def number_list(values):
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


def int_list(values):
    return "[" + ",".join([str(v) for v in values]) + "]"


class TraceWriter:
    """Collects event lines and writes them to the trace file in chunks (`drain()`), so a long run's
    trace grows on disk as it runs and a crash loses at most one chunk.

    `emit` is the list's own `append`: the recorder calls it thousands of times per training step.
    Text the program prints is coalesced: consecutive writes to stdout with no event in between
    become one `print` event (up to about 4 KB of text each).
    """

    CHUNK = 4096

    def __init__(self, path, header):
        self._file = open(path, "w", encoding="utf-8")
        self._lines = [_dumps(header, ensure_ascii=False)]
        self.emit = self._lines.append
        self._printed = ""
        self._print_at = -1

    def printed(self, text):
        if not text:
            return
        lines = self._lines
        if self._print_at == len(lines) - 1 and self._print_at >= 0 and len(self._printed) < 4096:
            self._printed += text
            lines[-1] = '{"k":"print","text":' + js(self._printed) + "}"
        else:
            self._printed = text
            lines.append('{"k":"print","text":' + js(text) + "}")
            self._print_at = len(lines) - 1

    def flush(self):
        self._file.flush()

    def detach(self):
        """Stops writing to the file (in a forked child, which shares the parent's file)."""
        self._write = self._discard

    def _discard(self):
        del self._lines[:]
        self._print_at = -1

    def drain(self):
        """Writes the collected lines once there are enough of them."""
        if len(self._lines) >= self.CHUNK:
            self._write()

    def _write(self):
        self._file.write("\n".join(self._lines))
        self._file.write("\n")
        del self._lines[:]
        self._print_at = -1

    def close(self):
        if self._lines:
            self._write()
        self._file.close()
