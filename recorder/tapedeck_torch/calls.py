"""How the recorder treats each Python-level torch call seen by its TorchFunctionMode."""

from typing import Any

import torch

PASS = 0
"""Not an op: metadata reads (`shape`, `grad`, `size()`), grad-mode switches, hook registration."""
QUIET = 1
"""Runs tensor ops that are not part of the program's computation (printing, `item()`): not recorded."""
RECORD = 2
"""A tensor op: its aten ops are recorded with this call's spelling and call site."""
DATA = 3
"""`tensor.data`: a new tensor on the same storage with a new version counter."""

_QUIET = {"__repr__", "__str__", "__format__", "tolist", "item", "numpy", "__bool__", "__float__", "__int__",
          "__index__", "__complex__", "__array__", "__reduce_ex__", "__deepcopy__", "__getstate__",
          "__setstate__", "_typed_storage", "storage", "__hash__"}
_PASS = {"size", "dim", "numel", "stride", "is_contiguous", "data_ptr", "storage_offset", "untyped_storage",
         "element_size", "nelement", "ndimension", "get_device", "is_floating_point", "is_complex",
         "requires_grad_", "retain_grad", "register_hook", "register_post_accumulate_grad_hook",
         "_set_grad_enabled", "is_grad_enabled", "_is_view", "__len__", "is_set_to", "has_names",
         "__contains__", "__dir__", "_version"}
_OPERATORS = {
    "__add__": "+", "__radd__": "+", "__iadd__": "+=", "__sub__": "-", "__rsub__": "-", "__isub__": "-=",
    "__mul__": "*", "__rmul__": "*", "__imul__": "*=", "__truediv__": "/", "__rtruediv__": "/",
    "__itruediv__": "/=", "__matmul__": "@", "__rmatmul__": "@", "__pow__": "**", "__rpow__": "**",
    "__ipow__": "**=", "__neg__": "-x", "__getitem__": "x[...]", "__setitem__": "x[...] =",
    "__floordiv__": "//", "__mod__": "%", "__and__": "&", "__or__": "|", "__xor__": "^", "__invert__": "~",
    "__eq__": "==", "__ne__": "!=", "__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">=",
}
_DATA_DESCRIPTOR = torch._C.TensorBase.__dict__["data"]
_VIEW_PROPERTIES = {torch._C.TensorBase.__dict__[name] for name in ("T", "mT", "H", "mH", "real", "imag")}
"""Tensor properties whose getter runs aten ops (`x.T` is `aten::permute`): recorded as `Tensor.T`."""


def classify(func: Any) -> tuple[int, str | None]:
    """(kind, spelling) for a function seen by `__torch_function__`."""
    name = getattr(func, "__name__", "")
    owner = getattr(func, "__self__", None)
    if name in ("__get__", "__set__", "__delete__"):
        if owner is _DATA_DESCRIPTOR and name == "__get__":
            return DATA, "Tensor.data"
        if owner in _VIEW_PROPERTIES and name == "__get__":
            return RECORD, "Tensor." + owner.__name__
        return PASS, None
    if name in _PASS:
        return PASS, None
    if name in _QUIET:
        return QUIET, None
    return RECORD, spelling(func, name)


def spelling(func: Any, name: str) -> str:
    """The Python spelling of a torch call: `+=`, `Tensor.mul_`, `torch.cat`, `torch.nn.functional.relu`."""
    if name in _OPERATORS:
        return _OPERATORS[name]
    qualname = getattr(func, "__qualname__", name) or name
    if qualname.startswith(("TensorBase.", "Tensor.", "_TensorBase.")):
        return "Tensor." + qualname.split(".", 1)[1]
    if qualname.startswith("_VariableFunctionsClass."):
        return "torch." + name
    module = getattr(func, "__module__", None)
    if module and module.startswith("torch._C._nn"):
        module = "torch.nn.functional"
    elif not module or module.startswith("torch._C") or module == "torch.functional":
        module = "torch"
    return module + "." + qualname
