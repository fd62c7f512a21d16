"""Saves inside a non-reentrant `torch.utils.checkpoint` (use_reentrant=False).

Inside the checkpointed function every saved tensor goes through checkpoint's saved-tensor pack
hook, which keeps a handle instead of the tensor, and PyTorch checks no version there. What it does
check is the checkpoint's own inputs: `_CheckpointFrame.save_inputs` saves them as plain saved
variables before the function runs, and the first unpack of any hooked slot in a backward recomputes
the function from them, raising PyTorch's version error for the first input that was modified in
place meanwhile. So a hooked slot stands for the frame's tensor inputs at the versions they were
saved, and the recorder writes it as one `save` of each (same slot name, in input order), which is
how a write to an input after the checkpoint is blamed like any other write to a saved tensor.
(Same code in torch 2.13, 2.14 and 2.15.)"""

import weakref
from collections.abc import Callable
from typing import Any

import torch
import torch.utils.checkpoint

from .inference import versions

_INPUTS = "_tapedeck_inputs"


class CheckpointInputs:
    """The saved inputs of the innermost non-reentrant checkpoint whose forward is running."""

    def __init__(self) -> None:
        self._frames: list[weakref.ref] = []

    def wrap_save_inputs(self, original: Callable[..., None]) -> Callable[..., None]:
        """`_CheckpointFrame.save_inputs`, also noting each tensor input with its version now."""
        frames = self._frames

        def save_inputs(frame: Any, *args: Any) -> None:
            original(frame, *args)
            setattr(frame, _INPUTS, versions(a for a in args if isinstance(a, torch.Tensor)))
            self._running()
            frames.append(weakref.ref(frame))
        return save_inputs

    def current(self) -> list[tuple[torch.Tensor, int]]:
        """The running frame's tensor inputs and saved versions; empty outside any checkpoint."""
        frame = self._running()
        return getattr(frame, _INPUTS, []) if frame is not None else []

    def _running(self) -> Any:
        """The innermost frame whose forward is still running. Frames whose forward completed (or
        that were freed after a forward that raised) leave the stack here."""
        frames = self._frames
        while frames:
            frame = frames[-1]()
            if frame is not None and not frame.forward_completed:
                return frame
            frames.pop()
        return None

