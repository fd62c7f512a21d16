"""EagerDispatchMode: the base of the recorder's dispatch modes."""

from torch.utils._python_dispatch import TorchDispatchMode


class EagerDispatchMode(TorchDispatchMode):
    """A `TorchDispatchMode` whose `__torch_dispatch__` PyTorch leaves unwrapped.

    PyTorch wraps a mode's `__torch_dispatch__` in `torch._dynamo.disable` unless the class's
    `_should_skip_dynamo()` is False. The wrapper imports `torch._dynamo` on the mode's first op
    (about 2 s of CPU on this repo's machines, paid by every recorded program that does not import
    it itself, as one without an optimizer) and adds a call to every op. It protects nothing here:
    Dynamo compiles no frame while a dispatch mode is on the stack (`convert_frame` skips them), so
    a program's `torch.compile` runs eagerly under the recorder with or without it."""

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False
