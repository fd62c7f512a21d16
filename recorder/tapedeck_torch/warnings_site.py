"""Keeps warnings pointing at the program: a warning PyTorch's C++ code raises while the recorder's
torch-function handler is on the stack would otherwise name the handler's line instead of the
line that made the call."""

import os
import sys
import warnings
from collections.abc import Callable

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_OVERRIDES = os.path.join("torch", "overrides.py")


def wrap_showwarnmsg(original: Callable[[warnings.WarningMessage], None],
                     ) -> Callable[[warnings.WarningMessage], None]:
    """A replacement for `warnings._showwarnmsg` that moves a warning attributed to the recorder
    onto the first frame outside it, the frame Python would have named without recording."""

    def _showwarnmsg(msg: warnings.WarningMessage) -> None:
        if msg.filename.startswith(_PACKAGE_DIR):
            frame = sys._getframe(1)
            while frame is not None and (frame.f_code.co_filename.startswith(_PACKAGE_DIR)
                                         or frame.f_code.co_filename.endswith(_OVERRIDES)):
                frame = frame.f_back
            if frame is not None:
                msg = warnings.WarningMessage(msg.message, msg.category, frame.f_code.co_filename, frame.f_lineno,
                                              msg.file, None, msg.source)
        return original(msg)
    return _showwarnmsg
