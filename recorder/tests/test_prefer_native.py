"""`--prefer-native`, what `tapedeck explain` asks for: the C++ core records where it can be built, and
where it cannot, the Python recorder records the same program, saying why on stderr, where `--native`
refuses to run it (exit 2)."""

import subprocess
import sys

from conftest import Run, _env, require_native
from trace_schema import load_trace

_PROGRAM = """\
import torch
a = torch.ones(5, requires_grad=True) * 1
y = a * a
a += 1
y.sum().backward()
"""

_FALLBACK = "tapedeck_torch: recording with the Python recorder, several times slower per op, since the native " \
    "core is not available here: building the native core needs ninja, which is not installed (pip install ninja)\n"


def _record(tmp_path, option, env):
    (tmp_path / "bump.py").write_text(_PROGRAM)
    return Run(subprocess.run([sys.executable, "-m", "tapedeck_torch", option, "bump.py", "-o", "bump.tdt"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env), "bump.py")


def _without_ninja(tmp_path):
    """The suite's environment with a PATH that finds no `ninja` (the recorder runs by its full path)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    return {**_env(), "PATH": str(empty)}


def test_the_core_records_where_it_can_be_built(tmp_path):
    require_native()
    proc = _record(tmp_path, "--prefer-native", _env())
    assert proc.exit_code == 1, proc.stderr
    assert "Python recorder" not in proc.stderr
    assert proc.last_error_line.startswith("RuntimeError: one of the variables needed for gradient computation")
    header, events = load_trace(str(tmp_path / "bump.tdt"))
    assert header["producer"].endswith(", native)"), header["producer"]
    assert [(e["call"], e["line"]) for e in events if e["k"] == "op" and e.get("inplace")] == [("+=", 4)]


def test_the_python_recorder_records_where_the_core_cannot_be_built(tmp_path):
    env = _without_ninja(tmp_path)
    proc = _record(tmp_path, "--prefer-native", env)
    assert proc.exit_code == 1, proc.stderr
    assert proc.stderr.startswith(_FALLBACK), proc.stderr
    assert proc.last_error_line.startswith("RuntimeError: one of the variables needed for gradient computation")
    header, events = load_trace(str(tmp_path / "bump.tdt"))
    assert not header["producer"].endswith("native)"), header["producer"]
    assert [(e["call"], e["line"]) for e in events if e["k"] == "op" and e.get("inplace")] == [("+=", 4)]
    refused = _record(tmp_path, "--native", env)
    assert refused.exit_code == 2
    assert refused.stderr == "tapedeck_torch: --native is not available here: building the native core needs " \
        "ninja, which is not installed (pip install ninja); record without --native\n"
