"""Version bumps that a Python dispatch mode makes PyTorch lose, given back.

On CPU, an in-place `torch._foreach_*_` op (`_foreach_add_`, `_foreach_addcdiv_`: what
`torch.optim` runs with `foreach=True`) bumps each written tensor's version counter through the
single-tensor ops its slow kernel calls. Under a `TorchDispatchMode` those inner calls run below
the dispatch key that bumps, so the counters stay where they were (pytorch/pytorch#191154, open).
The recorder's mode would then change the program: a parameter that the optimizer updated between
a forward and its backward no longer fails the backward. So after such an op the recorder bumps,
once per list entry as PyTorch's in-place kernel does, each written tensor whose version the op
left unchanged: CUDA's fast kernels call `increment_version` themselves, inside the op, which
leaves nothing to give back (their slow fallback loses the bumps as the CPU kernels do); and a
PyTorch that bumps after the mode returns (the fix proposed upstream) is detected once, by a
probe, and left alone.
"""

import functools
from typing import Any

import torch

from .dispatch_mode import EagerDispatchMode

_Tensor = torch.Tensor
_WRITTEN_LISTS: dict[Any, tuple[int, ...]] = {}
"""The positions of the tensor lists each `_foreach_*` overload writes; () for other ops."""


class _PassThrough(EagerDispatchMode):
    """A dispatch mode that only runs each op: what the probe runs under."""

    def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        return func(*args, **(kwargs or {}))


@functools.cache
def bumps_lost_under_mode() -> bool:
    """Whether this PyTorch leaves an in-place `_foreach_` op's counters unbumped under a dispatch
    mode: probed once, on a scratch CPU tensor, outside any mode of the recorder's."""
    scratch = torch.zeros(1)
    with _PassThrough():
        torch._foreach_add_([scratch], 1.0)
    return scratch._version == 0


def written_lists(func: Any) -> tuple[int, ...]:
    """The argument positions of the tensor lists `func` writes when it is an in-place
    `_foreach_` op whose bumps a mode loses here; () otherwise (read once per overload)."""
    try:
        return _WRITTEN_LISTS[func]
    except KeyError:
        pass
    positions: tuple[int, ...] = ()
    schema = getattr(func, "_schema", None)
    if schema is not None and schema.name.startswith("aten::_foreach_") and bumps_lost_under_mode():
        positions = tuple(
            index for index, argument in enumerate(schema.arguments)
            if argument.alias_info is not None and argument.alias_info.is_write
            and isinstance(argument.type, torch.ListType))
    _WRITTEN_LISTS[func] = positions
    return positions


def versions_before(func: Any, args: tuple) -> list[tuple[torch.Tensor, int]] | None:
    """Each tensor `func` is about to write through a list, with its version; None when `func`
    loses no bump. Inference tensors have no counter and are left out."""
    positions = written_lists(func)
    if not positions:
        return None
    before = []
    for index in positions:
        if index < len(args) and isinstance(args[index], (list, tuple)):
            for tensor in args[index]:
                if isinstance(tensor, _Tensor) and not tensor.is_inference():
                    before.append((tensor, tensor._version))
    return before


def give_back(before: list[tuple[torch.Tensor, int]]) -> None:
    """Bumps each tensor of `before` whose version the op left unchanged, once per entry (two
    views of one base in the list bump their shared counter twice, as without a mode)."""
    unbumped = [tensor for tensor, version in before if tensor._version == version]
    if unbumped:
        torch.autograd.graph.increment_version(unbumped)
