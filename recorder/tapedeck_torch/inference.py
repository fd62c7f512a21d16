"""Inference tensors (made under `torch.inference_mode()`) have no version counter: reading
`_version` raises. They can be neither saved for backward nor written outside inference mode, so no
version check ever reads one; the trace gives them version 0."""

from typing import Any, Iterable, List, Tuple

import torch


def version_of(tensor: torch.Tensor) -> int:
    """`tensor._version`, or 0 for an inference tensor."""
    return 0 if tensor.is_inference() else tensor._version


def versions(tensors: Iterable[torch.Tensor]) -> List[Tuple[torch.Tensor, int]]:
    """Each tensor with its version, inference tensors at 0."""
    return [(t, version_of(t)) for t in tensors]


def tensor_args(args: Any, kwargs: Any) -> List[torch.Tensor]:
    """The tensor arguments of an op, in the order the recorder lists its inputs."""
    found = []
    for a in args:
        if isinstance(a, torch.Tensor):
            found.append(a)
        elif isinstance(a, (list, tuple)):
            found.extend(x for x in a if isinstance(x, torch.Tensor))
    found.extend(a for a in kwargs.values() if isinstance(a, torch.Tensor))
    return found
