"""`tapedeck_torch --native`: the recorder with a C++ core (core.cpp) that sees each aten op through a
RecordFunction observer instead of Python dispatch. `load()` builds the core on first use with
`torch.utils.cpp_extension` (a C++ compiler and ninja), cached per torch and Python version."""

import hashlib
import os
import sys
import time
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


_STALE_LOCK_SECONDS = 600
"""How old torch's build lock must be to count as left behind: a build takes about a minute."""


def build_directory() -> str:
    """Where the core is built: `$TAPEDECK_TORCH_CACHE` or `~/.cache/tapedeck_torch`, one folder per
    torch and Python version, since the core uses torch's C++ internals, and per copy of core.cpp
    (a checkout, a `pip install` of it): ninja rebuilds whenever the source's path in its build
    file changes, so two copies sharing a folder would rebuild each other's core at every load."""
    root = os.environ.get("TAPEDECK_TORCH_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "tapedeck_torch")
    copy = hashlib.sha1(_SOURCE.encode()).hexdigest()[:10]
    return os.path.join(root, "native-torch%s-py%d%d-%s" % (torch.__version__, sys.version_info[0],
                                                             sys.version_info[1], copy))


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
    _wait_for_another_build(folder)
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


def _wait_for_another_build(folder: str) -> None:
    """Waits, saying so, while another process builds the core in `folder` (torch's `lock` file
    there); a lock older than any build (a process killed mid-build by SIGKILL or a timeout leaves
    it, and torch would wait on it forever) is removed instead."""
    lock = os.path.join(folder, "lock")
    announced = False
    while True:
        try:
            age = time.time() - os.path.getmtime(lock)
        except OSError:
            return
        if age > _STALE_LOCK_SECONDS:
            print("tapedeck_torch: removing %s, left %d minutes ago by a build that never finished"
                  % (lock, age // 60), file=sys.stderr, flush=True)
            try:
                os.remove(lock)
            except OSError:
                pass
            return
        if not announced:
            print("tapedeck_torch: waiting for another process building the native recorder core in %s" % folder,
                  file=sys.stderr, flush=True)
            announced = True
        time.sleep(0.5)


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
