"""`record()`: record a region of code, and `run_program()`: record a whole script run as `__main__`."""

import builtins
import os
import sys
import tokenize
import types
from collections.abc import Callable
from types import TracebackType
from typing import NoReturn

import torch

from .budget import BUDGET_EXCEEDED, Budget, allocation_failure, instrument, memory_message
from .native.recorder import NativeRecorder
from .recorder import Recorder
from .sites import CallSites
from .source import SourceRefused, program_text

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_TORCH_DIR = os.path.dirname(os.path.abspath(torch.__file__))
_OVERRIDES = os.path.join("torch", "overrides.py")


class record:
    """Context manager recording the code in its body into the trace file `path`.

        with tapedeck_torch.record("run.tdt"):
            loss = model(x).sum()
            loss.backward()

    The header names the file that opened the block and carries its source. The trace ends with an
    `exit` event (code 1 when an exception left the block). `values` is how many elements a tensor
    may have to get its values previewed in the trace (0 turns previews off). `keep_steps=N` keeps
    only the step running at the end and the N before it (a step ends at each `optimizer.step()`;
    see window.py); the header's `dropped` field says what went. `native=True` records through the
    C++ core (native/), which previews the values of CPU tensors only and refuses what it cannot
    record.
    """

    def __init__(self, path: str, values: int = 64, keep_steps: int | None = None, native: bool = False) -> None:
        self._path = path
        self._values = values
        self._keep_steps = keep_steps
        self._native = native
        self._recorder: Recorder | NativeRecorder | None = None

    def __enter__(self) -> "record":
        program = sys._getframe(1).f_code.co_filename
        self._recorder = _recorder(self._path, program, _read_source(program), self._values, self._keep_steps,
                                   self._native)
        self._recorder.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> bool:
        self._recorder.stop(0 if error is None else 1, error)
        return False


def _recorder(path: str, program: str, source: str, values: int, keep_steps: int | None,
              native: bool) -> "Recorder | NativeRecorder":
    """The Python recorder, or with `native` the one with the C++ core."""
    if native:
        return NativeRecorder(path, program, source, values, keep_steps)
    return Recorder(path, program, source, values, keep_steps)


def _read_source(path: str) -> str:
    try:
        with tokenize.open(path) as f:
            return f.read()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return ""


def run_program(path: str, args: list[str], output: str | None, values: int = 64, keep_steps: int | None = None,
                max_steps: int | None = None, max_memory: int | None = None, native: bool = False) -> int:
    """Runs the script at `path` as `__main__` (with `sys.argv = [path, *args]`, an absolute
    `__file__` and the script's folder first on `sys.path`, as `python3 path` does) under a recorder
    writing `output` (None: no trace, only the budgets) and returns its exit code. An uncaught
    exception prints the same traceback Python would print, minus the recorder's own frames; Ctrl-C
    (`KeyboardInterrupt`) is recorded as the error that ended the run and exits 130, as `python3` and
    `tapedeck run` do. `max_steps` and `max_memory` (bytes) are the budgets (budget.py): a run that
    uses one up is stopped at once with one line on stderr, the trace ending with a
    `tapedeck.BudgetExceeded` error, and the process exits 1, as on tapedeck's engine."""
    with open(path, "rb") as f:
        raw = f.read()
    filename = os.path.abspath(path)
    text = raw.decode("utf-8", errors="replace")
    budgeted = max_steps is not None or max_memory is not None
    try:
        text = program_text(raw, filename)
        # `instrument` raises the SyntaxError `compile` would (same message, line and columns).
        code = instrument(raw, filename) if budgeted else compile(raw, filename, "exec", dont_inherit=True)
    except SourceRefused as refused:
        if output is not None:
            Recorder(output, path, text, values).syntax_error(refused.error, refused.line)
        sys.excepthook(SyntaxError, refused.error, None)
        return 1
    except SyntaxError as e:
        if output is not None:
            Recorder(output, path, text, values).syntax_error(e)
        sys.excepthook(type(e), e.with_traceback(None), None)
        return 1
    module = types.ModuleType("__main__")
    module.__dict__.update({"__file__": filename, "__builtins__": builtins, "__cached__": None,
                            "__spec__": None, "__loader__": None, "__package__": None})
    saved = (sys.argv, sys.path[0], sys.modules.get("__main__"))
    sys.argv = [path] + list(args)
    sys.path[0] = os.path.dirname(filename)
    sys.modules["__main__"] = module
    recorder = None if output is None else _recorder(output, path, text, values, keep_steps, native)
    budget = None
    is_program = CallSites(filename).is_program_file
    if budgeted:
        budget = Budget(is_program, max_steps, max_memory,
                        lambda message, frame: _stop(recorder, budget, path, filename, message,
                                                     frame.f_code.co_filename, frame.f_lineno or 0))
    status = 0
    error = None
    # `python3 path` runs the script at stack depth 1; here the recorder's frames sit below it.
    # Raising the limit by their number makes RecursionError fire at the same program frame.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + _frames_below())
    if recorder is not None:
        recorder.start()
    if budget is not None:
        budget.start()
    try:
        exec(code, module.__dict__)
    except SystemExit as e:
        if budget is not None:
            budget.end()
        if recorder is not None:
            recorder.stop(_exit_status(e.code))
        raise
    except BaseException as e:
        error = e
        status = 130 if isinstance(e, KeyboardInterrupt) else 1
        failed, requested = allocation_failure(e)
        if failed and budget is not None and budget.max_memory is not None:
            file, line = _program_line(e, is_program, filename)
            _stop(recorder, budget, path, filename, memory_message(budget.max_memory, True, requested), file, line)
    finally:
        if budget is not None:
            budget.end()
        if recorder is not None and recorder.active:
            recorder.stop(status, error)
        sys.setrecursionlimit(limit)
        sys.argv, sys.path[0] = saved[0], saved[1]
    if error is not None:
        _strip_recorder_frames(error)
        sys.excepthook(type(error), error, error.__traceback__)
    return status


def _stop(recorder: Recorder | NativeRecorder | None, budget: Budget | None, path: str, filename: str, message: str,
          file: str, line: int) -> NoReturn:
    """Ends the process of a program whose budget ran out at `file`:`line`: the trace closed with
    the stop, the program's output flushed, then `tapedeck: PATH:LINE: MESSAGE` on stderr and exit 1,
    as tapedeck's engine ends such a run. `finally` blocks and exit handlers do not run."""
    if budget is not None:
        budget.end()
    if recorder is not None:
        recorder.abort(BUDGET_EXCEEDED, message, file, line)
    where = path if file == filename else file
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        sys.stderr.write("tapedeck: %s:%d: %s\n" % (where, line, message))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(1)


def _program_line(error: BaseException, is_program: Callable[[str], bool], filename: str) -> tuple[str, int]:
    """The file and line of the innermost frame of the program in `error`'s traceback."""
    found = (filename, 0)
    tb = error.__traceback__
    while tb is not None:
        if is_program(tb.tb_frame.f_code.co_filename):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _frames_below() -> int:
    """The number of frames on the stack at the caller, the caller included."""
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def _strip_recorder_frames(error: BaseException | None) -> None:
    """Removes the runner's and the recorder's frames, and the torch-function dispatch they cause
    (`handle_torch_function` and the torch frame that called it), from every traceback in the
    exception chain, so the traceback reads as it does without recording."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kept = []
        tb = error.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(_OVERRIDES):
                if kept and kept[-1].tb_frame.f_code.co_filename.startswith(_TORCH_DIR):
                    kept.pop()
            elif not name.startswith(_PACKAGE_DIR):
                kept.append(tb)
            tb = tb.tb_next
        for first, second in zip(kept, kept[1:], strict=False):
            first.tb_next = second
        if kept:
            kept[-1].tb_next = None
        error.__traceback__ = kept[0] if kept else None
        error = error.__cause__ or error.__context__
