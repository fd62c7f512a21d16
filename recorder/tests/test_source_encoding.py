"""Program files that are not UTF-8: the recorder runs what `python3 PROGRAM.py` runs and refuses what
it refuses, with the same message and exit status (it used to die of a raw UnicodeDecodeError).
Each case is checked against the python3 running these tests, not against a written copy."""

import json
import re
import subprocess
import sys

import pytest
from conftest import _env

from tapedeck_torch.recording import run_program

CASES = {
    "no declaration, line 2": b'x = 1\ns = "\xff"\n',
    "no declaration, line 1": b's = "\xff"\n',
    "an overlong form": b'x = "\xc0\x80"\n',
    "a surrogate": b'x = "\xed\xa0\x80"\n',
    "cut off at the end": b"x = 1\n\xe2\x82",
    "bad byte before a declaration on line 2": b'# comment \xff\n# coding: latin-1\nprint("\xe9")\n',
    "a declaration after code does not count": b'x = 1\n# coding: latin-1\nprint("\xe9")\n',
    "bad bytes win over a syntax error": b'x = = 1\n\n\ns = "\xff"\n',
    "declared utf-8, not utf-8": b'# coding: utf-8\ns = "\xff"\n',
    "declared ascii, not ascii": b'# coding: ASCII\nx = 1\ns = "\xff"\n',
    "declared utf8": b'# coding: utf8\ns = "\xff"\n',
    "an unknown encoding": b"\n# coding: nosuch\nprint(1)\n",
    "a byte order mark and latin-1": b"\xef\xbb\xbf# coding: latin-1\nprint(1)\n",
    "a byte order mark, then a bad byte": b'\xef\xbb\xbfx = "\xff"\n',
    "declared latin-1": b'# -*- coding: latin-1 -*-\ns = "caf\xe9"\nprint(s, len(s))\n',
    "declared Latin_1 on line 2": b'#!/usr/bin/env python3\n# vim: set fileencoding=Latin_1 :\nprint("\xe9")\n',
    "declared euc-jp": b'# coding=euc-jp\nprint("\xa4\xa2")\n',
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_recorder_reads_a_program_file_as_python3_does(name, tmp_path, capfd, monkeypatch):
    program = tmp_path / "prog.py"
    program.write_bytes(CASES[name])
    python = subprocess.run([sys.executable, str(program)], capture_output=True, text=True)
    monkeypatch.setattr(sys, "path", list(sys.path))
    status = run_program(str(program), [], str(tmp_path / "prog.tdt"))
    recorded = capfd.readouterr()
    assert (status, recorded.out, recorded.err) == (python.returncode, python.stdout, python.stderr)
    events = [json.loads(line) for line in (tmp_path / "prog.tdt").read_text(encoding="utf-8").splitlines()]
    assert events[-1] == {"k": "exit", "code": python.returncode}
    if python.returncode:
        assert events[-2]["type"] == "SyntaxError"
        assert events[-2]["msg"] in python.stderr
        named = re.search(r" on line (\d+), but no encoding declared", python.stderr)
        if named:
            assert events[-2]["line"] == int(named.group(1))


def test_the_trace_of_a_file_that_is_not_utf8_points_at_the_line_python3_names(tmp_path, capfd, monkeypatch):
    """python3's `SyntaxError` for such a file has no `lineno` and names the line only in its message;
    the trace's error carries that line (it used to carry 0, no location), as tapedeck's engine does."""
    program = tmp_path / "prog.py"
    program.write_bytes(CASES["bad bytes win over a syntax error"])
    python = subprocess.run([sys.executable, str(program)], capture_output=True, text=True)
    assert " on line 4, but no encoding declared" in python.stderr
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert run_program(str(program), [], str(tmp_path / "prog.tdt")) == 1
    assert capfd.readouterr().err == python.stderr
    events = [json.loads(line) for line in (tmp_path / "prog.tdt").read_text(encoding="utf-8").splitlines()]
    assert events[-2]["line"] == 4


def test_a_file_that_is_not_utf8_exits_1_from_the_command_line(tmp_path):
    (tmp_path / "prog.py").write_bytes(CASES["no declaration, line 2"])
    recorded = subprocess.run([sys.executable, "-m", "tapedeck_torch", "prog.py", "-o", "prog.tdt"], cwd=tmp_path,
                              capture_output=True, text=True, env=_env())
    python = subprocess.run([sys.executable, "prog.py"], cwd=tmp_path, capture_output=True, text=True)
    assert recorded.returncode == python.returncode == 1
    assert recorded.stderr == python.stderr
    assert recorded.stderr.startswith("SyntaxError: Non-UTF-8 code starting with '\\xff' in file ")
    assert (tmp_path / "prog.tdt").exists()
