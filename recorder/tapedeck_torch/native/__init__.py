"""`tapedeck_torch --native`: the recorder with a C++ core (core.cpp) that sees each aten op through a
RecordFunction observer instead of Python dispatch. `load()` builds the core on first use with
`torch.utils.cpp_extension` (a C++ compiler and ninja), cached per torch and Python version."""

import fcntl
import hashlib
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
    os.makedirs(folder, exist_ok=True)
    with _BuildLock(folder, baton=hasattr(cpp_extension, "FileBaton")):
        _raise_earlier_failure(folder)
        if _stale(folder):
            print("tapedeck_torch: building the native recorder core in %s (once per torch version and core "
                  "source, about a minute)" % folder, file=sys.stderr, flush=True)
        try:
            _module = cpp_extension.load("tapedeck_torch_native", [_SOURCE], extra_cflags=["-O2", "-DNDEBUG"],
                                         build_directory=folder, verbose=False)
        except Exception as e:
            lines = [line.strip() for line in str(e).splitlines() if line.strip()]
            errors = [line for line in lines if "error" in line.lower()]
            reason = "the native core could not be built in %s (%s)" % (
                folder, (errors or lines or [type(e).__name__])[-1 if errors else 0][:300])
            with open(os.path.join(folder, _FAILED), "w") as f:
                f.write(reason)
            raise NativeUnavailable(reason) from None
    return _module


_FAILED = "build-failed"
"""The file in a build folder that says why its core failed to build (`load`)."""


def _raise_earlier_failure(folder: str) -> None:
    """Raises NativeUnavailable when the core failed to build in `folder` before, from the source it
    has now: a torch whose internals the core does not know, or a machine without a compiler, fails
    again, and `--prefer-native` (what `tapedeck explain` asks for) would spend a minute on it at every
    run before falling back. A source changed since is built again."""
    marker = os.path.join(folder, _FAILED)
    if not os.path.exists(marker):
        return
    if not _of_current_source(marker):
        os.remove(marker)
        return
    with open(marker) as f:
        reason = f.read().strip()
    raise NativeUnavailable("%s, at an earlier load; remove %s to try again" % (reason, marker))


class _BuildLock:
    """Held while `load` builds or loads the core in `folder`: an `flock` on `folder/tapedeck.lock`,
    which the kernel lets go of when its process ends, however it ends. Another process that holds
    it is building (said, when a build is due) or loading: wait. Up to torch 2.13, torch's own build
    waits while a `lock` file exists (`FileBaton`, which `baton` says torch uses), so one left by a
    build killed midway (SIGKILL, a timeout) made every later load wait forever: holding this lock,
    no one else is building, so such a file is removed, saying so. From 2.14 on, torch flocks that
    file itself and leaves it in place."""

    def __init__(self, folder: str, baton: bool) -> None:
        self._folder = folder
        self._baton = baton
        self._fd = -1

    def __enter__(self) -> "_BuildLock":
        self._fd = os.open(os.path.join(self._folder, "tapedeck.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if _stale(self._folder):
                print("tapedeck_torch: waiting for another process building the native recorder core in %s"
                      % self._folder, file=sys.stderr, flush=True)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        left = os.path.join(self._folder, "lock")
        if self._baton and os.path.exists(left):
            print("tapedeck_torch: removing %s, left by a build that never finished" % left,
                  file=sys.stderr, flush=True)
            try:
                os.remove(left)
            except FileNotFoundError:
                pass
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)


def _stale(folder: str) -> bool:
    """Whether `load` is about to compile: no built core in `folder`, or one older than its source
    (torch.utils.cpp_extension rebuilds when the source changed), so a first run says why it pauses."""
    built = os.path.join(folder, "tapedeck_torch_native.so")
    return not os.path.exists(built) or not _of_current_source(built)


def _of_current_source(path: str) -> bool:
    """Whether the file at `path` (a built core, a build's failure) is no older than core.cpp: what
    the core's source was when it was made."""
    return os.path.getmtime(path) >= os.path.getmtime(_SOURCE)


def unavailable_reason() -> str | None:
    """Why the core cannot be built here, or None when it loads (building it on first use): what a
    benchmark prints when it leaves the native recorder out."""
    try:
        load()
    except NativeUnavailable as e:
        return str(e)
    return None
