"""The Python spelling of the torch call a frame is making (`Tensor.add_`, `torch.cat`,
`torch.nn.init.kaiming_uniform_`), read from its bytecode once per call site.

The default recorder's TorchFunctionMode is handed the function a program or library calls and
spells it (`calls.spelling`). The native core sees only aten ops and the frames above them, so it
asks this module: the frame's current instruction is a call (or an operator, or a tensor property)
whose callee is the expression that starts where the call starts — a dotted name (`torch.cat`,
`init.kaiming_uniform_`) or an attribute of some value (`param.addcdiv_`). A dotted name is looked up
through the module the frame's code belongs to, but only across modules and classes (whose attributes
do not change while a program runs); an attribute of a value is taken as the tensor method of that
name. Either is accepted only where it is what the TorchFunctionMode would have been handed: a
function written in Python whose frame is the one calling `handle_torch_function`, else one of
torch's builtins that go through `__torch_function__` (tensor methods, `torch.*`, `torch._C._nn`).
Anything else is not spelled (`call` is `""`, and readers show the aten name) rather than guessed.
"""

import bisect
import dis
import sys
import types
from types import CodeType
from typing import Any

import torch

from .. import calls

_GLOBAL_LOADS = {"LOAD_GLOBAL", "LOAD_NAME"}
_VALUE_LOADS = {"LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_DEREF", "LOAD_CLASSDEREF", "LOAD_CONST"}
_ATTRIBUTE_LOADS = {"LOAD_ATTR", "LOAD_METHOD"}
_IGNORED = {"PUSH_NULL", "PRECALL", "KW_NAMES", "CACHE", "EXTENDED_ARG"}
_VIEW_PROPERTIES = {"T", "mT", "H", "mH", "real", "imag"}
"""Tensor properties whose getter runs aten ops; calls.classify spells them `Tensor.T`."""
_TORCH_FUNCTION_MODULES = {"torch._C._nn", "torch._C._linalg", "torch._C._fft", "torch._C._special",
                           "torch._C._nested", "torch._C._sparse"}
"""Modules of builtins that check for `__torch_function__` besides tensor methods and `torch.*`."""
_BUILTIN_TYPES = (types.BuiltinFunctionType, types.MethodDescriptorType, types.WrapperDescriptorType)
_DECODED: dict[CodeType, tuple[list[dis.Instruction], list[int]]] = {}
"""Each code object's instructions (without inline caches) and their offsets, shared by every
recording in the process (a launch-bound benchmark starts one per step)."""
_SPELLINGS: dict[tuple[CodeType, int, CodeType | None], str | None] = {}
_MODULES: dict[str, types.ModuleType] = {}
"""The loaded modules by file, refreshed when a file is not among them and modules were loaded since."""
_modules_seen = -1
"""How many modules `sys.modules` held when _MODULES was last refreshed."""


def spelling(code: CodeType, lasti: int, handler: CodeType | None) -> str | None:
    """The spelling of the call `code` makes at `lasti`, or None where it cannot be told exactly.
    `handler` is the code of the outermost function above it on the stack that calls
    `handle_torch_function` (`F.layer_norm`, `Tensor.split`), None when the call goes straight
    into C++. Once per call site in the process: what it reads (bytecode, attributes of modules and
    classes, a program's `__main__` whose code objects are its own) does not change."""
    key = (code, lasti, handler)
    if key not in _SPELLINGS:
        _SPELLINGS[key] = _spelling(code, lasti, handler)
    return _SPELLINGS[key]


def _spelling(code: CodeType, lasti: int, handler: CodeType | None) -> str | None:
    instructions, offsets = _decoded(code)
    # A frame paused in a call points at the call's last inline cache entry, not at the call.
    index = bisect.bisect_right(offsets, lasti) - 1
    if index < 0:
        return None
    instruction = instructions[index]
    if instruction.opname == "LOAD_ATTR" and instruction.argval in _VIEW_PROPERTIES and handler is None:
        return "Tensor." + instruction.argval
    if not instruction.opname.startswith("CALL"):
        return None
    callee = _callee(code, instructions, index, handler)
    if callee is None or not _is_torch_function(callee, handler):
        return None
    kind, spelling = calls.classify(callee)
    return spelling if kind == calls.RECORD else None


def _callee(code: CodeType, instructions: list[dis.Instruction], index: int,
            handler: CodeType | None) -> Any:
    """The object the call at `instructions[index]` calls, from the loads that start where the
    call's source span starts: a dotted name through modules and classes (`torch.nn.init.normal_`,
    `torch.Tensor.add_`), else the tensor method named by the last attribute (`param.addcdiv_`); a
    bare name (`constant_`) only for a `handler`'s function, whose code then proves it. None where
    the callee is none of these (a subscript, a call's result called, an unknown name)."""
    chain = _callee_loads(instructions, index)
    if not chain or chain[-1].opname not in _ATTRIBUTE_LOADS | _GLOBAL_LOADS:
        return None
    names = [str(i.argval) for i in chain]
    if chain[0].opname in _GLOBAL_LOADS and all(i.opname in _ATTRIBUTE_LOADS for i in chain[1:]):
        module = _module_of(code.co_filename)
        if module is None or names[0] not in module.__dict__:
            return None
        value = module.__dict__[names[0]]
        if len(names) == 1:
            return value if handler is not None else None
        for name in names[1:]:
            if not isinstance(value, (types.ModuleType, type)):
                break
            value = getattr(value, name, None)
        else:
            return value
    if chain[-1].opname not in _ATTRIBUTE_LOADS:
        return None
    return getattr(torch.Tensor, names[-1], None)


def _module_of(filename: str) -> types.ModuleType | None:
    """The loaded module whose file is `filename`: the running program's `__main__` first (each
    recording runs it in a new module), else any other, refreshed once modules were loaded since."""
    global _modules_seen
    main = sys.modules.get("__main__")
    if getattr(main, "__file__", None) == filename:
        return main
    if filename not in _MODULES and len(sys.modules) != _modules_seen:
        _modules_seen = len(sys.modules)
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if isinstance(path, str) and module is not main:
                _MODULES[path] = module
    return _MODULES.get(filename)


def _decoded(code: CodeType) -> tuple[list[dis.Instruction], list[int]]:
    known = _DECODED.get(code)
    if known is None:
        instructions = list(dis.get_instructions(code))
        known = (instructions, [i.offset for i in instructions])
        _DECODED[code] = known
    return known


def _callee_loads(instructions: list[dis.Instruction], index: int) -> list[dis.Instruction]:
    """The instructions before the call that load its callee: walking back over its arguments (inside
    the call's source span), those that start where the call starts, in order."""
    call = getattr(instructions[index], "positions", None)
    if call is None or None in (call.lineno, call.end_lineno, call.col_offset, call.end_col_offset):
        return []
    start = (call.lineno, call.col_offset)
    end = (call.end_lineno, call.end_col_offset)
    before = instructions[:index]
    if instructions[index].opname == "CALL_KW" and before and before[-1].opname == "LOAD_CONST":
        before = before[:-1]  # Python 3.13: the keyword names' tuple, placed at the callee's span
    chain = []
    for instruction in reversed(before):
        if instruction.opname in _IGNORED:
            continue
        span = instruction.positions
        if span is None or None in (span.lineno, span.end_lineno, span.col_offset, span.end_col_offset):
            break  # code the compiler placed at no position (an exception handler's cleanup)
        first, last = (span.lineno, span.col_offset), (span.end_lineno, span.end_col_offset)
        if first < start or last > end:
            break
        if first == start and last < end:
            if instruction.opname not in _ATTRIBUTE_LOADS | _GLOBAL_LOADS | _VALUE_LOADS:
                return chain[::-1] if chain and chain[-1].opname in _ATTRIBUTE_LOADS else []
            chain.append(instruction)
    return chain[::-1]


def _is_torch_function(callee: Any, handler: CodeType | None) -> bool:
    """Whether a TorchFunctionMode is handed `callee` when it is called: with a `handler` frame above,
    the Python function that frame runs; without, a builtin that checks for `__torch_function__`."""
    if handler is not None:
        return getattr(callee, "__code__", None) is handler
    if not isinstance(callee, _BUILTIN_TYPES):
        return False
    if getattr(callee, "__objclass__", None) is torch._C.TensorBase:
        return True
    qualname = getattr(callee, "__qualname__", "") or ""
    return qualname.startswith("_VariableFunctionsClass.") or getattr(callee, "__module__", None) in \
        _TORCH_FUNCTION_MODULES
