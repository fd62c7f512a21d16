"""NativeSites: what the native core asks Python once per operator, code object, call site and node
type — the answers the Python recorder computes per op."""

import os
from types import CodeType
from typing import Any

import torch
from torch.autograd.graph import Node

from .. import calls, schema
from ..graph import saved_slot_names
from ..ops import op_info
from ..schema import js_name
from ..sites import _FORWARDERS, CallSites
from . import callees

TRANSPARENT = 0
"""An operator whose CompositeImplicitAutograd kernel runs in place of an autograd kernel: it is made
of other operators, which the Python recorder's dispatch mode sees instead of it."""
RECORDED = 1
"""An operator the trace writes an `op` event for; operators it calls are not seen."""
HIDDEN = 2
"""An operator the trace leaves out (profiler markers, `item()`); operators it calls are not seen."""

PROGRAM = 0
LIBRARY = 1
QUIET = 2
"""Code under which ops are not recorded: printing a tensor, `tolist`, `deepcopy` (calls.QUIET)."""

_NO_REDISPATCH = {"aten::detach_", "aten::requires_grad_", "aten::retain_grad", "aten::retains_grad",
                  "aten::_backward", "aten::set_data", "aten::data", "aten::is_leaf", "aten::output_nr",
                  "aten::_version"}
"""Operators whose autograd kernel (VariableTypeManual.cpp) does the work itself and never dispatches
further: no Python dispatch mode sees them, so the Python recorder does not write them."""
_SUBSCRIPTS = {"x[...]", "x[...] ="}
"""Operators spelled alike wherever they are: a TorchFunctionMode is handed `Tensor.__getitem__` and
`Tensor.__setitem__` themselves."""
_TORCH_DIR = os.path.dirname(os.path.abspath(torch.__file__)) + os.sep
_TENSOR_FILE = os.path.join(_TORCH_DIR, "_tensor.py")
_TENSOR_STR_FILE = os.path.join(_TORCH_DIR, "_tensor_str.py")
_PARAMETER_NEW = torch.nn.Parameter.__new__.__code__
"""`Parameter.__new__`: `Tensor._make_subclass` stashes the torch dispatch modes while it detaches its
argument, so the Python recorder never sees that `aten::detach`."""


def classify(name: str, overload: str) -> tuple[int, list[int], str, bool, bool, bool]:
    """(mode, indexes of the arguments it writes, its name as a JSON literal, inplace, view, whether
    its writes move no version counter: ops.py's `unbumped`) of the operator `name` (`aten::add_`)
    with `overload` (`Tensor`)."""
    namespace, _, op_name = name.partition("::")
    try:
        func = getattr(getattr(getattr(torch.ops, namespace), op_name), overload or "default")
    except (AttributeError, RuntimeError):
        return TRANSPARENT, [], '""', False, False, False
    info = op_info(func)
    if info is None or name in _NO_REDISPATCH:
        return HIDDEN, [], '""', False, False, False
    kernel = str(torch._C._dispatch_get_computed_kernel_for_dispatch_key(func.name(), "AutogradCPU"))
    if "CompositeImplicitAutograd" in kernel:
        return TRANSPARENT, [], '""', False, False, False
    writes = [index for index, argument in enumerate(func._schema.arguments)
              if argument.alias_info is not None and argument.alias_info.is_write]
    return RECORDED, writes, info.name_json, info.writes_self, info.is_view, info.unbumped


def slot_names(grad_fn: Node) -> tuple[str, list[tuple[str, Any]]]:
    """A node type's name (JSON literal) and its saved slots in declaration order, each with what its
    `_raw_saved_` getter returns (a SavedVariable, or a list of them), from which the core reads
    where the slot lives in the node."""
    return js_name(grad_fn.name()), [(js_name(slot), getattr(grad_fn, "_raw_saved_" + slot))
                                     for slot in saved_slot_names(type(grad_fn))]


class NativeSites:
    """The call sites of one recording, from the frames the core keeps: (code, instruction offset)
    pairs from the innermost frame out to the first frame of the program."""

    def __init__(self, sites: CallSites) -> None:
        self._sites = sites

    def classify_code(self, code: CodeType) -> int:
        if not self._sites.is_library(code):
            return PROGRAM
        filename = os.path.abspath(code.co_filename)
        if filename == _TENSOR_STR_FILE or (filename == _TENSOR_FILE and code.co_name in calls._QUIET) \
                or code is _PARAMETER_NEW:
            return QUIET
        return LIBRARY

    def site(self, frames: list[tuple[CodeType, int]]) -> str:
        """The `"call":...,"line":...` fields of an op issued with these frames on the stack, as
        CallSites.site gives them for the frame that made the Python-level torch call."""
        code, lasti = frames[-1]
        if self._sites.is_library(code):
            return '"call":"",' + schema.site(0)
        chain = frames[:-1]
        # A torch function written in Python that `__torch_function__` can intercept (`F.layer_norm`,
        # whose code calls `handle_torch_function`): the Python recorder's call site is the frame that
        # called the outermost one, so it and the frames inside it are not named, and the call is it.
        handler = None
        called = [i for i, (c, _) in enumerate(chain) if "handle_torch_function" in c.co_names]
        if called:
            handler = chain[called[-1]][0]
            chain = chain[called[-1] + 1:]
        line, col, end = self._sites._position(code, lasti)
        if line is None:
            line = _line_of(code, lasti)
        text = schema.site(line, col, end) + self._sites.file_field(code.co_filename)
        caller, at = chain[0] if chain else (code, lasti)
        spelling = self._sites._operator(caller, at)
        if spelling is None:
            spelling = callees.spelling(caller, at, handler)
        elif len(frames) > 1 and spelling not in _SUBSCRIPTS:
            # Below a library frame the TorchFunctionMode is handed the method an operator runs, which
            # the operands decide (`a - b` is `Tensor.sub`, `1 - b` is `Tensor.__rsub__`): not spelled.
            spelling = None
        name = self._frame_name([c for c, _ in chain]) if chain else None
        if name:
            text += schema.site_frame(name)
        return '"call":%s,%s' % (js_name(spelling or ""), text)

    def _frame_name(self, chain: list[CodeType]) -> str | None:
        """CallSites._frame_name over code objects: the innermost method of the library chain
        (`ReLU.forward`, `Adam.step`), else its outermost function."""
        names = [code.co_qualname for code in chain
                 if "<locals>" not in code.co_qualname and code.co_qualname not in _FORWARDERS
                 and not self._sites._machinery(code)]
        for name in names:
            if "." in name:
                return name
        return names[-1] if names else None


def _line_of(code: CodeType, lasti: int) -> int:
    for start, end, line in code.co_lines():
        if start <= lasti < end:
            return line or 0
    return 0
