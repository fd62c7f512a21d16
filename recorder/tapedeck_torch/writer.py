"""TraceWriter: appends tapedeck trace events (JSON Lines, docs/trace-format.md) to a file."""

import json
import math

FORMAT_VERSION = "1.0"

_dumps = json.dumps


def js(text):
    """A JSON string literal for `text` (control characters escaped)."""
    return _dumps(text)


def number_list(values):
    """A JSON array of numbers, or None when a value is not a finite number (JSON has no NaN)."""
    parts = []
    for v in values:
        if isinstance(v, bool):
            parts.append("1" if v else "0")
        elif isinstance(v, int):
            parts.append(str(v))
        elif isinstance(v, float) and math.isfinite(v):
            parts.append(repr(v))
        else:
            return None
    return "[" + ",".join(parts) + "]"


def int_list(values):
    return "[" + ",".join([str(v) for v in values]) + "]"


class TraceWriter:
    """Buffers event lines and writes them to the trace file in chunks, so a long run's trace grows
    on disk as it runs and a crash loses at most one chunk.

    Text the program prints is coalesced: consecutive writes to stdout become one `print` event,
    emitted just before the next event of another kind.
    """

    CHUNK = 4096

    def __init__(self, path, header):
        self._file = open(path, "w", encoding="utf-8")
        self._lines = [_dumps(header, ensure_ascii=False)]
        self._printed = []
        self.events = 0

    def emit(self, line):
        """Appends one event, given as a complete JSON object text."""
        if self._printed:
            self._flush_print()
        self._lines.append(line)
        self.events += 1
        if len(self._lines) >= self.CHUNK:
            self._drain()

    def printed(self, text):
        if text:
            self._printed.append(text)

    def _flush_print(self):
        text = "".join(self._printed)
        self._printed = []
        self._lines.append('{"k":"print","text":' + js(text) + "}")
        self.events += 1

    def _drain(self):
        self._file.write("\n".join(self._lines))
        self._file.write("\n")
        self._lines = []

    def close(self):
        if self._printed:
            self._flush_print()
        if self._lines:
            self._drain()
        self._file.close()
