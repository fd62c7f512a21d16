"""CallSites: which frame a call site names, for library code that forwards through dispatch machinery."""

import os
import sys

import torch

import tapedeck_torch.sites as sites
from tapedeck_torch.sites import CallSites

_LIBRARY = """
import sys

class Mode:
    def __torch_function__(self):
        return sys._getframe()

class Recording:
    def hook(self):
        return Mode().__torch_function__()

class Attention:
    def forward(self, recording):
        return recording.hook()
"""


def _library(path: str) -> dict:
    """Runs `_LIBRARY` as if it were the file `path` (which need not exist)."""
    namespace: dict = {}
    exec(compile(_LIBRARY, path, "exec"), namespace)
    return namespace


def test_dispatch_and_recorder_frames_are_never_named() -> None:
    """An op issued while a `__torch_function__` or the recorder forwards a call is blamed on the
    library method that made the call (`Attention.forward`), never on the machinery below it."""
    torch_lib = _library(os.path.join(os.path.dirname(torch.__file__), "fake_library.py"))
    recorder_lib = _library(os.path.join(os.path.dirname(sites.__file__), "fake_recorder.py"))
    attention = torch_lib["Attention"]()
    frame = attention.forward(recorder_lib["Recording"]())
    text, _, user = CallSites(__file__).site(frame)
    assert user is not None and user.f_code is sys._getframe().f_code
    assert '"frame":"Attention.forward"' in text


def test_machinery_alone_names_no_frame() -> None:
    """With nothing but machinery between the program line and the op, the site names no frame."""
    torch_lib = _library(os.path.join(os.path.dirname(torch.__file__), "fake_library.py"))
    frame = torch_lib["Mode"]().__torch_function__()
    text, _, user = CallSites(__file__).site(frame)
    assert user is not None and '"frame"' not in text
