"""CallSites: finds the program line behind an op, and the library function it ran inside."""

import dis
import functools
import os
import site
import sysconfig

import torch

from types import CodeType, FrameType, TracebackType

from . import schema

_BINARY_OP = dis.opmap.get("BINARY_OP")
_STORE_SUBSCR = dis.opmap.get("STORE_SUBSCR")
_BINARY_SUBSCR = dis.opmap.get("BINARY_SUBSCR")
_UNARY = {dis.opmap.get("UNARY_NEGATIVE"): "-x", dis.opmap.get("UNARY_INVERT"): "~x"}
_NB_SYMBOLS = [symbol for _, symbol in getattr(dis, "_nb_ops", [])]

# Library frames that only forward a call; the frame named in a call site is the first library
# function below them that a user would recognise (`Adam.step`, `ReLU.forward`).
_FORWARDERS = {"Module._wrapped_call_impl", "Module._call_impl", "_DecoratorContextManager.__call__",
               "handle_torch_function"}
_DISPATCHERS = ("__torch_function__", "__torch_dispatch__")
"""Method names of torch's dispatch machinery (modes, tensor subclasses, this recorder's own modes):
an op issued while they forward a call is the call's, never theirs to be named after."""
_RECORDER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


@functools.cache
def _realpath(path: str) -> str:
    """`os.path.realpath`, once per file name in the process: it stats every path component, and
    each new recording would otherwise redo it for every code object it meets."""
    return os.path.realpath(path)


_POSITIONS: dict[CodeType, list[tuple[int | None, int | None, int | None, int | None]]] = {}
"""`code.co_positions()` of each code object met, shared by every recording in the process."""


@functools.cache
def _library_roots() -> tuple[str, ...]:
    roots = {os.path.dirname(torch.__file__), os.path.dirname(os.path.abspath(__file__))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(path)
    for path in site.getsitepackages() + [site.getusersitepackages()]:
        roots.add(path)
    return tuple(sorted({os.path.realpath(r) + os.sep for r in roots} | {r + os.sep for r in roots}))


class CallSites:
    """Maps a Python stack to the `line`/`col`/`end`/`file`/`frame` fields of docs/trace-format.md.

    A frame belongs to the program unless its file lives in torch, the standard library, an installed
    package or this recorder. The site is the innermost program frame; `frame` names the library
    function the op ran inside (so a write inside the optimizer reads "inside `Adam.step`"), and
    `file` is set when the program frame is in another file than the traced program.
    """

    def __init__(self, program_path: str | None) -> None:
        self._program = _realpath(os.path.abspath(program_path)) if program_path else None
        self._roots = _library_roots()
        self._is_library: dict[CodeType, bool] = {}
        self._is_machinery: dict[CodeType, bool] = {}
        self._files: dict[str, str] = {}

    @property
    def program(self) -> str | None:
        """The traced program's real path, None without one."""
        return self._program

    def is_library(self, code: CodeType) -> bool:
        known = self._is_library.get(code)
        if known is None:
            name = code.co_filename
            if name.startswith("<"):
                known = not name.startswith("<stdin>") and not name.startswith("<string>")
            else:
                known = os.path.abspath(name).startswith(self._roots) and _realpath(name) != self._program
            self._is_library[code] = known
        return known

    def is_program_file(self, filename: str) -> bool:
        """Whether code from `filename` is the program's own: a real file (not `<string>`) outside
        torch, the standard library, installed packages and this recorder, or the program itself."""
        if filename.startswith("<"):
            return False
        return not os.path.abspath(filename).startswith(self._roots) or _realpath(filename) == self._program

    def user_frame(self, frame: FrameType | None) -> tuple[FrameType | None, FrameType | None]:
        """The innermost program frame at or above `frame`, and `frame` itself when it is a library
        frame (the start of the library call chain below the program frame), else None."""
        library = frame if frame is not None and self.is_library(frame.f_code) else None
        while frame is not None and self.is_library(frame.f_code):
            frame = frame.f_back
        return frame, library

    def site(self, frame: FrameType | None, func: object = None) -> tuple[str, str | None, FrameType | None]:
        """The call-site fields (a JSON fragment starting with `"line"`), the operator spelling
        read from the bytecode (`+=`, `x[...] =`) or None, and the program frame (or None).
        `func` is the torch function being called: a library frame that is just that function is not worth naming."""
        user, library = self.user_frame(frame)
        if user is None:
            return schema.site(0), None, None
        code = user.f_code
        line, col, end = self._position(code, user.f_lasti)
        if line is None:
            line = user.f_lineno or 0
        text = schema.site(line, col, end)
        file = self.file_field(code.co_filename)
        if file:
            text += file
        spelling = None
        if library is None:
            spelling = self._operator(code, user.f_lasti)
        else:
            name = self._frame_name(user, library, getattr(func, "__code__", None))
            if name:
                text += schema.site_frame(name)
        return text, spelling, user

    def site_of_traceback(self, tb: TracebackType | None) -> str:
        """The call-site fields of the innermost program frame in a traceback."""
        best = None
        while tb is not None:
            if not self.is_library(tb.tb_frame.f_code):
                best = tb
            tb = tb.tb_next
        if best is None:
            return schema.site(0)
        code = best.tb_frame.f_code
        line, col, end = self._position(code, best.tb_lasti)
        text = schema.site(line if line is not None else best.tb_lineno, col, end)
        return text + self.file_field(code.co_filename)

    def _frame_name(self, user: FrameType, library: FrameType, called: CodeType | None) -> str | None:
        """The innermost method in the library chain (`ReLU.forward`, `Adam.step`), else its
        outermost function, skipping closures and `Module.__call__` plumbing."""
        chain = []
        frame = library
        while frame is not None and frame is not user:
            code = frame.f_code
            name = code.co_qualname
            if code is not called and "<locals>" not in name and name not in _FORWARDERS \
                    and not self._machinery(code):
                chain.append(name)
            frame = frame.f_back
        for name in chain:
            if "." in name:
                return name
        return chain[-1] if chain else None

    def _machinery(self, code: CodeType) -> bool:
        """Whether `code` is dispatch plumbing no user would recognise: a `__torch_function__` or
        `__torch_dispatch__` method, or any function of this recorder."""
        known = self._is_machinery.get(code)
        if known is None:
            known = code.co_name in _DISPATCHERS or os.path.abspath(code.co_filename).startswith(_RECORDER_DIR)
            self._is_machinery[code] = known
        return known

    def file_field(self, filename: str) -> str:
        """The `file` field for a site in `filename`: empty in the traced program."""
        field = self._files.get(filename)
        if field is None:
            if self._program is not None and _realpath(filename) == self._program:
                field = ""
            else:
                field = schema.site_file(filename)
            self._files[filename] = field
        return field

    def _position(self, code: CodeType, lasti: int) -> tuple[int | None, int, int]:
        table = _POSITIONS.get(code)
        if table is None:
            table = list(code.co_positions())
            _POSITIONS[code] = table
        index = lasti // 2
        if index < 0 or index >= len(table):
            return None, 0, 0
        line, end_line, col, end_col = table[index]
        if line is None:
            return None, 0, 0
        if col is None or end_col is None or end_line != line:
            return line, 0, 0
        return line, col + 1, end_col + 1

    def _operator(self, code: CodeType, lasti: int) -> str | None:
        raw = code.co_code
        if lasti < 0 or lasti + 1 >= len(raw):
            return None
        opcode = raw[lasti]
        if opcode == _BINARY_OP and raw[lasti + 1] < len(_NB_SYMBOLS):
            return _NB_SYMBOLS[raw[lasti + 1]]
        if opcode == _STORE_SUBSCR:
            return "x[...] ="
        if opcode == _BINARY_SUBSCR:
            return "x[...]"
        return _UNARY.get(opcode)
