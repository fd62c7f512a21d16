"""How `python3 PROGRAM.py` reads a program file (PEP 263, PEP 3120), so the recorder runs what python3
runs and refuses what it refuses with the same message.

`compile()` of the file's bytes decodes a declared encoding as python3 does, but python3 reads a file
through its file tokenizer, which rejects bad bytes with messages of its own before any parsing
(`Non-UTF-8 code starting with '\\xff' in file P on line 2, but no encoding declared; ...`, `encoding
problem: ascii`) where `compile()` says `(unicode error) ...` or nothing at all. Those messages are
read off python3.11's Parser/tokenizer.c and checked against python3 in tests/test_source_encoding.py.
"""

import codecs
import re

# PEP 263's declaration, as CPython's tokenizer and `tokenize.detect_encoding` match it, on line 1, or
# on line 2 when line 1 is blank or a comment.
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
_BLANK = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)", re.ASCII)


class SourceRefused(Exception):
    """python3's refusal of a program file it cannot decode, before any of it runs. `error` is the
    `SyntaxError` python3 prints, without a location as python3's has none; `line` is the line its
    message names (`... on line 2, but no encoding declared`), 0 when it names none (`encoding
    problem: NAME`), so a trace can point at that line as tapedeck's own engine does."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.error = SyntaxError(message)
        self.line = line


def program_text(raw: bytes, filename: str) -> str:
    """The text of the program file whose bytes are `raw`, as python3 decodes it. Raises
    `SourceRefused` with the `SyntaxError` python3 raises before running a file it cannot decode.
    Where python3's error is a located `(unicode error)` (a file that declares
    UTF-8, or starts with a byte order mark, and is not), the text is decoded with replacement
    characters and `compile()` raises that error itself. `filename` is the absolute path python3 names."""
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    lines = body.splitlines(keepends=True)
    declared = None
    for number, line in enumerate(lines[:2], start=1):
        cookie = _COOKIE.match(line)
        if cookie:
            declared = cookie.group(1).decode("ascii")
            break
        if not bom:
            _require_utf8(line, filename, number)
        if not _BLANK.match(line):
            break
    name = _normal_name(declared) if declared is not None else "utf-8"
    if bom:
        if name != "utf-8":
            raise SourceRefused(f"encoding problem: {name} with BOM")
        return body.decode("utf-8", errors="replace")
    if declared is None:
        for number, line in enumerate(lines, start=1):
            _require_utf8(line, filename, number)
        return raw.decode("utf-8")
    if name == "utf-8":
        return raw.decode("utf-8", errors="replace")
    try:
        return raw.decode(codecs.lookup(name).name)
    except (LookupError, UnicodeDecodeError):
        raise SourceRefused(f"encoding problem: {name}") from None


def _require_utf8(line: bytes, filename: str, number: int) -> None:
    """Raises python3's refusal of a line of a file without a declared encoding that is not UTF-8,
    naming the first byte that does not start a well-formed sequence."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = line[error.start]
        message = (f"Non-UTF-8 code starting with '\\x{bad:02x}' in file {filename} on line {number}, "
                   "but no encoding declared; see https://peps.python.org/pep-0263/ for details")
        raise SourceRefused(message, number) from None


def _normal_name(declared: str) -> str:
    """CPython's `get_normal_name`: the spellings of UTF-8 and Latin-1 become `utf-8` and
    `iso-8859-1`; any other name stays as written (python3's messages quote it so)."""
    folded = declared[:12].lower().replace("_", "-")
    if folded == "utf-8" or folded.startswith("utf-8-"):
        return "utf-8"
    if folded in ("latin-1", "iso-8859-1", "iso-latin-1") or folded.startswith(("latin-1-", "iso-8859-1-",
                                                                                "iso-latin-1-")):
        return "iso-8859-1"
    return declared
