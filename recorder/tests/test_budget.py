"""Step and memory budgets of a program on real PyTorch (`--max-steps`, `--max-memory`, budget.py):
a program that never ends, or grows without bound, is stopped with the engine's message, exit 1, and
a trace that ends with the stop (issue 8, "Bounded resources")."""

import ast
import json
import subprocess
import sys

import pytest

from conftest import _env
from tapedeck_torch.budget import STEP, allocation_failure, instrument, memory_message, steps_message

_LOOP = """\
import torch
z = torch.linspace(0, 1, 3)
print("started", flush=True)
while True:
    pass
"""


def _run(tmp_path, source, *options, name="prog.py", trace=True):
    (tmp_path / name).write_text(source)
    output = ["-o", str(tmp_path / "prog.tdt")] if trace else ["--no-trace"]
    proc = subprocess.run([sys.executable, "-m", "tapedeck_torch", *options, *output, name], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=_env())
    events = []
    if (tmp_path / "prog.tdt").exists():
        events = [json.loads(line) for line in (tmp_path / "prog.tdt").read_text().splitlines()[1:]]
    return proc, events


def test_a_loop_that_never_ends_is_stopped_with_the_engines_message(tmp_path):
    proc, events = _run(tmp_path, _LOOP, "--max-steps", "100000")
    assert proc.returncode == 1
    assert proc.stdout == "started\n"
    assert proc.stderr == "tapedeck: prog.py:5: %s\n" % steps_message(100000)
    assert events[-2] == {"k": "error", "type": "tapedeck.BudgetExceeded", "msg": steps_message(100000), "line": 5}
    assert events[-1] == {"k": "exit", "code": 1}
    assert not (tmp_path / "prog.tdt.partial").exists()


def test_the_stop_cannot_be_caught_and_finally_does_not_run(tmp_path):
    source = ("import torch\nwhile True:\n    try:\n        x = 1\n    except BaseException:\n        print('caught')\n"
              "    finally:\n        pass\n")
    proc, events = _run(tmp_path, source, "--max-steps", "1000", trace=False)
    assert proc.returncode == 1
    assert "caught" not in proc.stdout
    assert proc.stderr.startswith("tapedeck: prog.py:"), proc.stderr
    assert events == [], "--no-trace writes no trace"


def test_steps_are_the_programs_statements_and_comprehension_iterations(tmp_path):
    # 1 (import) + 1 (for) + 10 (pass) + 1 (assignment) + 5 (comprehension iterations) = 18
    source = "import torch\nfor i in range(10):\n    pass\nsquares = [j * j for j in range(5)]\n"
    assert _run(tmp_path, source, "--max-steps", "18", trace=False)[0].returncode == 0
    proc, _ = _run(tmp_path, source, "--max-steps", "17", trace=False)
    assert proc.returncode == 1
    assert proc.stderr == "tapedeck: prog.py:4: %s\n" % steps_message(17)


def test_library_code_is_not_counted_but_the_programs_own_modules_are(tmp_path):
    # textwrap runs thousands of lines of the standard library's Python: none of them count.
    source = "import textwrap\nimport torch\ntext = textwrap.fill('word ' * 20000)\n"
    assert _run(tmp_path, source, "--max-steps", "3", trace=False)[0].returncode == 0
    (tmp_path / "helper.py").write_text("def spin():\n    while True:\n        pass\n")
    proc, events = _run(tmp_path, "import torch\nimport helper\nhelper.spin()\n", "--max-steps", "1000")
    assert proc.returncode == 1
    assert proc.stderr == "tapedeck: %s:3: %s\n" % (tmp_path / "helper.py", steps_message(1000))
    assert events[-2]["line"] == 3 and events[-2]["file"] == str(tmp_path / "helper.py")
    assert not (tmp_path / "__pycache__").exists() or not any((tmp_path / "__pycache__").iterdir()), \
        "an instrumented module is never cached as python3's bytecode"


def test_memory_growth_is_stopped(tmp_path):
    source = "import torch\nkept = []\nwhile True:\n    kept.append(torch.ones(1 << 20))\n"
    proc, events = _run(tmp_path, source, "--max-memory", "768")
    assert proc.returncode == 1
    assert proc.stderr.startswith("tapedeck: prog.py:4: the program was stopped "), proc.stderr
    assert "768 MiB memory budget; raise it with --max-memory" in proc.stderr \
        or "more than 768 MiB of memory" in proc.stderr, proc.stderr
    assert events[-2]["type"] == "tapedeck.BudgetExceeded" and events[-1] == {"k": "exit", "code": 1}


def test_one_allocation_over_the_budget_is_refused(tmp_path):
    proc, events = _run(tmp_path, "import torch\nx = torch.ones(10**11)\n", "--max-memory", "1024")
    assert proc.returncode == 1
    assert proc.stderr == "tapedeck: prog.py:2: %s\n" % memory_message(1 << 30, True, 4 * 10**11)
    assert [e["type"] for e in events if e["k"] == "error"] == ["RuntimeError", "tapedeck.BudgetExceeded"]


def test_without_budgets_nothing_is_counted_or_limited(tmp_path):
    proc, _ = _run(tmp_path, "import builtins, resource\nimport torch\n"
                   "data = resource.getrlimit(resource.RLIMIT_DATA)[0]\n"
                   "print(hasattr(builtins, %r), data == resource.RLIM_INFINITY)\n" % STEP, trace=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "False True\n"


def test_instrumenting_keeps_docstrings_future_imports_and_lines():
    source = ('"""module doc"""\nfrom __future__ import annotations\n\n\ndef f() -> int:\n    """f doc"""\n'
              "    return 1\n\n\nclass C:\n    'C doc'\n    x = [i for i in range(3) if i]\n")
    namespace: dict = {"__builtins__": {**__builtins__, STEP: lambda: True} if isinstance(__builtins__, dict)
                       else {**vars(__builtins__), STEP: lambda: True}}
    exec(instrument(source, "m.py"), namespace)
    assert namespace["__doc__"] == "module doc"
    assert namespace["f"].__doc__ == "f doc" and namespace["f"]() == 1
    assert namespace["f"].__code__.co_firstlineno == 5
    assert namespace["C"].__doc__ == "C doc" and namespace["C"].x == [1, 2]
    assert ast.get_docstring(ast.parse(source)) == "module doc"


@pytest.mark.parametrize("error, expected", [
    (MemoryError(), (True, None)),
    (RuntimeError("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: "
                  "you tried to allocate 4000000000 bytes. Error code 12 (Cannot allocate memory)"),
     (True, 4000000000)),
    (RuntimeError("DefaultCPUAllocator: not enough memory: you tried to allocate 80 bytes."), (True, 80)),
    (RuntimeError("shape mismatch"), (False, None)),
])
def test_allocation_failures_are_recognised(error, expected):
    assert allocation_failure(error) == expected
