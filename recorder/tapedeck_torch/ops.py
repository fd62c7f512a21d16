"""OpInfo: what the trace needs to know about an aten operator, read once from its schema."""

from typing import Any

import torch

from .schema import js

# Operators that are bookkeeping rather than tensor ops: profiler markers around optimizer steps,
# and reading a scalar out of a tensor (`item()`, `tolist()`).
_IGNORED_NAMESPACES = ("profiler::",)
_IGNORED = {"aten::_local_scalar_dense"}
_ALIASES = {"aten::detach", "aten::alias", "aten::lift_fresh"}
# The fused optimizer kernels (`Adam`, `AdamW`, `SGD`, `Adagrad` with `fused=True`): they write their
# tensor lists in place and move no version counter (each left `w._version` at 0 on torch 2.13 and
# 2.15 CPU; 2.14 not checked), so autograd cannot notice that a parameter saved for backward changed.
# The trace records those writes as bumps whose `from` equals `to`.
_UNBUMPED = {"aten::_fused_adam_", "aten::_fused_adamw_", "aten::_fused_sgd_", "aten::_fused_adagrad_"}


class OpInfo:
    """An aten overload's name, which arguments it writes, and whether it makes a view or an alias."""

    __slots__ = ("name", "name_json", "write_args", "write_kwargs", "writes_self", "is_view", "is_alias",
                 "unbumped")

    def __init__(self, func: torch._ops.OpOverload) -> None:
        schema = func._schema
        self.name = schema.name + ("." + schema.overload_name if schema.overload_name else "")
        self.name_json = js(self.name)
        write_args = []
        write_kwargs = []
        for index, argument in enumerate(schema.arguments):
            alias = argument.alias_info
            if alias is not None and alias.is_write:
                if argument.kwarg_only:
                    write_kwargs.append(argument.name)
                else:
                    write_args.append(index)
        self.write_args = tuple(write_args)
        self.write_kwargs = tuple(write_kwargs)
        self.writes_self = 0 in self.write_args or bool(write_kwargs)
        returns_alias = any(r.alias_info is not None and not r.alias_info.is_write for r in schema.returns)
        self.is_view = bool(getattr(func, "is_view", False)) or (returns_alias and not write_args and not write_kwargs)
        self.is_alias = schema.name in _ALIASES
        self.unbumped = schema.name in _UNBUMPED


_INFOS: dict[torch._ops.OpOverload, OpInfo | None] = {}


def op_info(func: torch._ops.OpOverload) -> OpInfo | None:
    """The OpInfo of an aten overload, or None for operators the trace leaves out."""
    try:
        return _INFOS[func]
    except KeyError:
        pass
    name = func._schema.name
    if name.startswith(_IGNORED_NAMESPACES) or name in _IGNORED:
        info = None
    else:
        info = OpInfo(func)
    _INFOS[func] = info
    return info


def tensors_in(value: Any, out: list[torch.Tensor]) -> list[torch.Tensor]:
    """Appends the tensors in an op result (a tensor, or a tuple/list of them) to `out`."""
    if isinstance(value, torch.Tensor):
        out.append(value)
    elif isinstance(value, (tuple, list)):
        for item in value:
            if isinstance(item, torch.Tensor):
                out.append(item)
    return out
