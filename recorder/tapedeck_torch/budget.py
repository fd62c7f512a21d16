"""Budget: the step and memory budgets of a program run by python3 (`--max-steps`, `--max-memory`),
as tapedeck's engine has them (docs/robustness.md, "Budgets").

Steps are counted as tapedeck's engine counts them: statements executed plus comprehension
iterations, in the program's own files only (the script, and the modules it imports from outside
torch, the standard library, installed packages and this recorder: `CallSites.is_program_file`).
Those files are compiled with a call of `__tapedeck_step__()` (a builtin) before every statement and
in every comprehension's condition (`instrument`); torch, the standard library and the recorder run
their own code unchanged, at full speed. The call is C all the way down (`chain.__next__` over
`repeat(True, 128)` blocks), so a step costs ~15 ns; every 128 steps a Python generator takes the
count and reads the memory in use. (A `sys.settrace` line tracer limited to the program's frames was
tried first: tracing slows every Python frame of the process, the recorder's own included, and
recording the launch-bound benchmark step took 1.68x as long; see docs/robustness.md.)

Memory is the process's resident set, read from `/proc/self/statm` every 128 steps, and a hard
limit on its data segment (`RLIMIT_DATA`) at the same size while the program runs, so one
allocation that would go over it fails inside torch or Python before it is made (`MemoryError`, or
torch's `DefaultCPUAllocator: can't allocate memory`); the runner turns such a failure that ends the
program into the budget stop (`allocation_failure`).

A stop is not an exception the program could catch: `stop` is called with the message and the
program's frame, and the caller ends the process (`recording.run_program`), so `finally` blocks do
not run, as on tapedeck's engine.
"""

import ast
import builtins
import importlib.machinery
import itertools
import os
import re
import resource
import sys
from collections.abc import Callable, Iterator
from types import CodeType, FrameType
from typing import Any

BUDGET_EXCEEDED = "tapedeck.BudgetExceeded"
"""The `error` event type of a budget stop (the engine's `RaisedError.budgetExceededType`)."""

MEMORY_CHECK_INTERVAL = 128
"""Steps between two reads of the resident set (the engine's `memoryCheckInterval`)."""

STEP = "__tapedeck_step__"
"""The builtin that instrumented code calls once per step; it returns True."""

_ALLOCATION = re.compile(r"(?:can't allocate memory|not enough memory): you tried to allocate (\d+) bytes")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_ALWAYS = itertools.repeat(True).__next__
"""`__tapedeck_step__` outside a budgeted run: instrumented code may outlive it (threads, atexit)."""


def mebibytes(size: int) -> int:
    """`size` bytes in MiB, rounded up (as the engine's messages round)."""
    return (size + (1 << 20) - 1) >> 20


def steps_message(limit: int) -> str:
    """The report of a run stopped by the step budget (the engine's `BudgetStop.message`)."""
    return "the program was stopped after %d steps (statements executed); raise the budget with --max-steps" % limit


def memory_message(limit: int, failed: bool = False, requested: int | None = None) -> str:
    """The report of a run stopped by the memory budget: the resident set went over it, or with
    `failed` an allocation failed under it (`requested` bytes, when known)."""
    if failed and requested is None:
        return ("the program was stopped when an allocation would exceed the %d MiB memory budget; raise it "
                "with --max-memory" % mebibytes(limit))
    if requested is None:
        return ("the program was stopped after using more than %d MiB of memory; raise the budget with --max-memory"
                % mebibytes(limit))
    if requested > limit:
        return ("the program was stopped before allocating %d MiB, over the %d MiB memory budget; raise it with "
                "--max-memory" % (mebibytes(requested), mebibytes(limit)))
    return ("the program was stopped when allocating %d MiB more would exceed the %d MiB memory budget; raise it "
            "with --max-memory" % (mebibytes(requested), mebibytes(limit)))


def allocation_failure(error: BaseException) -> tuple[bool, int | None]:
    """Whether `error` is a failed allocation (Python's `MemoryError`, torch's CPU allocator
    refusing), and the bytes asked for when the message says."""
    if isinstance(error, MemoryError):
        return True, None
    if isinstance(error, RuntimeError):
        found = _ALLOCATION.search(str(error))
        if found is not None:
            return True, int(found.group(1))
    return False, None


class _Steps(ast.NodeTransformer):
    """Puts a `__tapedeck_step__()` call before every statement (after a docstring and `from
    __future__` imports, which must come first) and into every comprehension's conditions."""

    def generic_visit(self, node: ast.AST) -> ast.AST:
        super().generic_visit(node)
        for field, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, self._counted(value, isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                                                            ast.AsyncFunctionDef)) and field == "body"))
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.comprehension:
        self.generic_visit(node)
        node.ifs.insert(0, ast.copy_location(_call(), node.iter))
        return node

    @staticmethod
    def _counted(body: list[ast.stmt], documented: bool) -> list[ast.stmt]:
        counted: list[ast.stmt] = []
        for index, statement in enumerate(body):
            first = index == 0 and documented and isinstance(statement, ast.Expr) \
                and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)
            future = isinstance(statement, ast.ImportFrom) and statement.module == "__future__"
            if not first and not future:
                counted.append(ast.copy_location(ast.Expr(_call()), statement))
            counted.append(statement)
        return counted


def _call() -> ast.Call:
    return ast.Call(func=ast.Name(id=STEP, ctx=ast.Load()), args=[], keywords=[])


def instrument(source: bytes | str, filename: str) -> CodeType:
    """`compile(source, filename, "exec")` with the step calls in; line numbers and columns stay."""
    tree = _Steps().visit(ast.parse(source, filename))
    return compile(ast.fix_missing_locations(tree), filename, "exec", dont_inherit=True)


class _CountedLoader(importlib.machinery.SourceFileLoader):
    """Loads a module of the program from its source, instrumented (never from or into `__pycache__`,
    whose bytecode is python3's, without the calls)."""

    def get_code(self, fullname: str) -> CodeType:
        return instrument(self.get_data(self.path), self.path)


class _ProgramFinder:
    """Finds modules as `sys.path` does and gives the program's own source files `_CountedLoader`."""

    def __init__(self, is_program: Callable[[str], bool]) -> None:
        self._is_program = is_program

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and type(spec.loader) is importlib.machinery.SourceFileLoader \
                and spec.origin and self._is_program(spec.origin):
            spec.loader = _CountedLoader(spec.loader.name, spec.loader.path)
        return spec

    def invalidate_caches(self) -> None:
        pass


class Budget:
    """Counts the steps of instrumented code and watches memory; calls `stop(message, frame)` once a
    budget runs out. `max_steps` or `max_memory` (bytes) None is no budget of that kind."""

    def __init__(self, is_program: Callable[[str], bool], max_steps: int | None, max_memory: int | None,
                 stop: Callable[[str, FrameType], None]) -> None:
        self.max_steps = max_steps
        self.max_memory = max_memory
        self._taken = 0
        self._block: Iterator[bool] = iter(())
        self._stop = stop
        self._statm = -1
        self._stopped = False
        self._data_limit: tuple[int, int] | None = None
        self._finder = _ProgramFinder(is_program)
        self._step = itertools.chain.from_iterable(self._blocks()).__next__

    @property
    def steps(self) -> int:
        """The steps executed so far."""
        return self._taken - self._block.__length_hint__()  # type: ignore[attr-defined]

    def start(self) -> None:
        """Sets the data-segment limit and makes the program's modules imported from now on
        instrumented; code compiled by `instrument` counts from now on."""
        if self.max_memory is not None:
            soft, hard = self._data_limit = resource.getrlimit(resource.RLIMIT_DATA)
            limit = self.max_memory if hard == resource.RLIM_INFINITY else min(self.max_memory, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
            try:
                self._statm = os.open("/proc/self/statm", os.O_RDONLY)
            except OSError:
                self._statm = -1
        finders = sys.meta_path
        at = finders.index(importlib.machinery.PathFinder) if importlib.machinery.PathFinder in finders else 0
        finders.insert(at, self._finder)
        setattr(builtins, STEP, self._step)

    def end(self) -> None:
        """Stops counting and puts the data limit back, so the trace can be written."""
        setattr(builtins, STEP, _ALWAYS)
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)
        if self._data_limit is not None:
            resource.setrlimit(resource.RLIMIT_DATA, self._data_limit)
            self._data_limit = None
        if self._statm >= 0:
            os.close(self._statm)
            self._statm = -1

    def resident(self) -> int | None:
        """The resident set in bytes, None where `/proc` cannot be read."""
        if self._statm < 0:
            return None
        try:
            fields = os.pread(self._statm, 128, 0).split()
            return int(fields[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return None

    def _blocks(self) -> Iterator[Iterator[bool]]:
        """The steps, handed out `MEMORY_CHECK_INTERVAL` at a time; between two blocks, the checks.
        Runs in the frame of the step that needs a new block (its caller is the program's frame)."""
        while True:
            block = MEMORY_CHECK_INTERVAL
            if self.max_steps is not None:
                block = min(block, self.max_steps - self._taken)
                if block <= 0:
                    self._out(steps_message(self.max_steps), sys._getframe(1))
                    block = MEMORY_CHECK_INTERVAL
            if self.max_memory is not None and self._taken:
                resident = self.resident()
                if resident is not None and resident > self.max_memory:
                    self._out(memory_message(self.max_memory), sys._getframe(1))
            self._taken += block
            self._block = itertools.repeat(True, block)
            yield self._block

    def _out(self, message: str, frame: FrameType) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.end()
        self._stop(message, frame)
