"""StdoutTee: passes the program's stdout through unchanged and copies it into `print` events."""

from collections.abc import Iterable
from typing import Any, TextIO

from .writer import TraceWriter


class StdoutTee:
    """Stands in for `sys.stdout`: every write goes to the real stream first, then to the trace."""

    def __init__(self, target: TextIO, writer: TraceWriter) -> None:
        self.target = target
        self._writer = writer

    def write(self, text: str) -> int:
        written = self.target.write(text)
        self._writer.printed(text)
        return written

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)
