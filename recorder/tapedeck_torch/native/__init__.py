"""`tapedeck_torch --native`: the recorder with a C++ core (core.cpp) that sees each aten op through a
RecordFunction observer instead of Python dispatch. `load()` builds the core on first use with
`torch.utils.cpp_extension` (a C++ compiler and ninja), cached per torch and Python version."""

import os
import sys
from types import ModuleType

import torch

_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core.cpp")
_module: ModuleType | None = None


class NativeUnavailable(RuntimeError):
    """The native core cannot be built or loaded here (no compiler, no ninja, a build error)."""


class NativeUnsupported(RuntimeError):
    """The program did something `--native` does not record exactly; it names what, and says to record
    without `--native`."""

    def __init__(self, what: str) -> None:
        super().__init__("tapedeck_torch --native does not support %s; record without --native" % what)


def build_directory() -> str:
    """Where the core is built: `$TAPEDECK_TORCH_CACHE` or `~/.cache/tapedeck_torch`, one folder per
    torch and Python version, since the core uses torch's C++ internals."""
    root = os.environ.get("TAPEDECK_TORCH_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "tapedeck_torch")
    return os.path.join(root, "native-torch%s-py%d%d" % (torch.__version__, sys.version_info[0], sys.version_info[1]))


def load() -> ModuleType:
    """The compiled core, building it on first use (about a minute of CPU); raises NativeUnavailable
    with the reason when it cannot be built."""
    global _module
    if _module is not None:
        return _module
    try:
        from torch.utils import cpp_extension
    except ImportError as e:
        raise NativeUnavailable("torch.utils.cpp_extension cannot be imported (%s)" % e) from None
    if not cpp_extension.is_ninja_available():
        raise NativeUnavailable("building the native core needs ninja, which is not installed (pip install ninja)")
    folder = build_directory()
    if _stale(folder):
        print("tapedeck_torch: building the native recorder core in %s (once per torch version and core "
              "source, about a minute)" % folder, file=sys.stderr, flush=True)
    try:
        os.makedirs(folder, exist_ok=True)
        _module = cpp_extension.load("tapedeck_torch_native", [_SOURCE], extra_cflags=["-O2", "-DNDEBUG"],
                                     build_directory=folder, verbose=False)
    except Exception as e:
        lines = [line.strip() for line in str(e).splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()]
        raise NativeUnavailable("the native core could not be built in %s (%s)" % (
            folder, (errors or lines or [type(e).__name__])[-1 if errors else 0][:300])) from None
    return _module


def _stale(folder: str) -> bool:
    """Whether `load` is about to compile: no built core in `folder`, or one older than its source
    (torch.utils.cpp_extension rebuilds when the source changed), so a first run says why it pauses."""
    built = os.path.join(folder, "tapedeck_torch_native.so")
    return not os.path.exists(built) or os.path.getmtime(built) < os.path.getmtime(_SOURCE)


def unavailable_reason() -> str | None:
    """Why the core cannot be built here, or None when it loads (building it on first use): what a
    benchmark prints when it leaves the native recorder out."""
    try:
        load()
    except NativeUnavailable as e:
        return str(e)
    return None
