"""The autograd error texts tapedeck rebuilds when it replays a trace (Sources/TorchRules/
AutogradMessage.swift, PyTorch 2.13's words) are the texts the torch running these tests raises.

The replay rebuilds a message to find which saved slot an error was about (and to show a failure
in the debugger's backward replay); a trace carries its own version's text for what was raised. So
when a newer torch words one of these differently, this test names it, on whichever version
scripts/test-torch-versions.sh runs it (docs/torch-versions.md)."""

import os
import re

import pytest
import torch

from conftest import REPO_DIR

MESSAGES_SWIFT = os.path.join(REPO_DIR, "Sources", "TorchRules", "AutogradMessage.swift")


def swift_texts() -> dict[str, str]:
    """The `public static let NAME = "..."` string constants of AutogradMessage.swift."""
    with open(MESSAGES_SWIFT) as f:
        source = f.read()
    found = re.findall(r'public static let (\w+)\s*=\s*"((?:[^"\\]|\\.)*)"', source)
    return {name: text for name, text in found}


def raised(program) -> str:
    with pytest.raises(RuntimeError) as error:
        program()
    return str(error.value)


def _saved_input_bumped() -> None:
    a = torch.ones(5, requires_grad=True) * 2
    y = a * a
    a += 1
    y.sum().backward()


def _saved_output_bumped_under_anomaly() -> None:
    with torch.autograd.set_detect_anomaly(True):
        y = (torch.ones(3, requires_grad=True) * 2).exp()
        y += 1
        y.sum().backward()


def _saved_leaf_bumped() -> None:
    w = torch.ones(2, 3, requires_grad=True)
    x = torch.ones(2, 3, dtype=torch.float64)
    y = (w.double() * x).sum()
    x.add_(1)
    y.backward()


def _backward_twice() -> None:
    y = (torch.ones(5, requires_grad=True) ** 2).sum()
    y.backward()
    y.backward()


def _leaf_in_place() -> None:
    torch.ones(5, requires_grad=True).add_(1)


def _view_of_leaf_in_place() -> None:
    torch.ones(5, requires_grad=True)[0:2].add_(1)


def _non_scalar_backward() -> None:
    (torch.ones(5, requires_grad=True) * 2).backward()


def test_the_swift_constants_are_found():
    assert {"versionMismatchPrefix", "anomalyOffHint", "anomalyOnHint", "backwardTwice", "leafInPlace",
            "viewOfLeafInPlace", "nonScalarBackward"} <= set(swift_texts())


@pytest.mark.parametrize("name, program", [
    ("backwardTwice", _backward_twice),
    ("leafInPlace", _leaf_in_place),
    ("viewOfLeafInPlace", _view_of_leaf_in_place),
    ("nonScalarBackward", _non_scalar_backward),
])
def test_fixed_texts(name, program):
    assert raised(program) == swift_texts()[name], "torch %s" % torch.__version__


VERSIONS = " is at version 1; expected version 0 instead."


@pytest.mark.parametrize("program, middle, hint", [
    (_saved_input_bumped, "[torch.FloatTensor [5]], which is output 0 of Add," + VERSIONS, "anomalyOffHint"),
    (_saved_output_bumped_under_anomaly, "[torch.FloatTensor [3]], which is output 0 of Exp," + VERSIONS,
     "anomalyOnHint"),
    (_saved_leaf_bumped, "[torch.DoubleTensor [2, 3]]" + VERSIONS, "anomalyOffHint"),
])
def test_version_mismatch_text(program, middle, hint):
    """AutogradMessage.versionMismatch: prefix, `[type [sizes]]`, the optional `, which is output N
    of OP,` clause, the versions, then the hint that depends on anomaly mode."""
    texts = swift_texts()
    expected = texts["versionMismatchPrefix"] + middle + " Hint: " + texts[hint]
    assert raised(program) == expected, "torch %s" % torch.__version__
