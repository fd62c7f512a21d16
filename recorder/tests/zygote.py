"""A process that has imported torch and runs Python programs in forks of itself.

The suite runs hundreds of short programs (every conformance case plainly, recorded and recorded
with --native); a fresh `python3` spends about 2.5 s of CPU importing torch before each one starts,
most of the suite's time. A fork of this process starts with torch imported and runs the program as
`python3 ARGS` would in a fresh process: the working directory, `sys.argv`, `sys.path[0]`, stdin
from /dev/null, stdout and stderr to the files the request names, the program run as `__main__` by
runpy, and the process ending as the interpreter ends it (an uncaught exception printed by
`sys.excepthook` and exit code 1, `SystemExit`'s code, threads joined, atexit handlers run, files
flushed). What differs: torch is already imported when the program's `import torch` runs, and a
traceback begins with this file's and runpy's frames before the program's.

Protocol, one JSON object per line: requests on stdin, `{"args": ["name.py", ...] or ["-m",
"module", ...], "cwd": ..., "stdout": path, "stderr": path, "timeout": seconds}`; replies on stdout,
`{"code": returncode}` (negative: the signal that ended it, as `subprocess` says) with
`"timed_out": true` when the program ran past its timeout and was killed. The process exits when
stdin closes. Its environment is the programs' environment.
"""

import json
import os
import runpy
import select
import signal
import sys

import torch  # noqa: F401  (what every child starts with)


def serve() -> list[str]:
    """Answers requests until stdin closes (then exits); returns a request's args in its child."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    for line in requests:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            requests.close()
            replies.close()
            enter_child(request, null)
            return request["args"]
        replies.write(json.dumps(wait(pid, request["timeout"])).encode() + b"\n")
        replies.flush()
    sys.exit(0)


def enter_child(request: dict, null: int) -> None:
    """Gives this fork the working directory and standard files of its request."""
    os.chdir(request["cwd"])
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
    os.close(null)


def wait(pid: int, timeout: float) -> dict:
    """The child's exit code, killing it once it has run `timeout` seconds."""
    reply: dict = {}
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            reply["timed_out"] = True
    finally:
        os.close(pidfd)
    _, status = os.waitpid(pid, 0)
    reply["code"] = os.waitstatus_to_exitcode(status)
    return reply


def run(args: list[str]) -> None:
    """Runs `python3 ARGS`'s program as `__main__`; what it raises ends the process as it would."""
    if args[0] == "-m":
        sys.argv = args[1:]
        sys.path[0] = os.getcwd()
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(args)
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    run(serve())
