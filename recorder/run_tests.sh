#!/usr/bin/env bash
# Installs tapedeck_torch (pip install ./recorder), lints it with ruff and runs its pytest suite
# (the whole suite in one process per core, with pytest-xdist, which it installs).
# When PyTorch cannot be imported the tests cannot run: say so and exit 0, except under CI=true, where
# that fails the run (exit 1), so CI never passes without the recorder tests.
# Usage: recorder/run_tests.sh [pytest args, default: tests]   (PYTHON=... picks the interpreter;
# paths are relative to recorder/, e.g. recorder/run_tests.sh tests/test_record_api.py)
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"

# Says why the tests cannot run, then skips them (exit 0), or fails under CI=true (exit 1).
cannot_run() {
    if [ "${CI:-}" = true ]; then
        echo "recorder tests FAILED: $1 (CI=true: the recorder tests must run)"
        exit 1
    fi
    echo "recorder tests SKIPPED: $1"
    echo "  (install PyTorch, e.g. 'pip install torch==2.13.0+cpu', to run them)"
    exit 0
}
command -v "$python" >/dev/null 2>&1 || cannot_run "no '$python' interpreter on PATH"
"$python" -c "import torch" >/dev/null 2>&1 \
    || cannot_run "'$python -c \"import torch\"' failed, so there is no PyTorch to record"
# Build without an isolated environment first, so no network is needed when setuptools is present.
if ! "$python" -m pip install --quiet --no-build-isolation "$here" 2>/dev/null; then
    "$python" -m pip install --quiet "$here" || { echo "recorder tests FAILED: pip could not install $here"; exit 1; }
fi
if ! "$python" -m pytest --version >/dev/null 2>&1; then
    "$python" -m pip install --quiet pytest || { echo "recorder tests FAILED: pytest is missing and pip could not install it"; exit 1; }
fi
if ! "$python" -m ruff --version >/dev/null 2>&1; then
    "$python" -m pip install --quiet ruff || { echo "recorder tests FAILED: ruff is missing and pip could not install it"; exit 1; }
fi
cd "$here" || exit 1
# The linter first (rules in pyproject.toml: style, errors, bugbear, type hints on every function).
"$python" -m ruff check --quiet --no-cache . || { echo "recorder tests FAILED: ruff check found problems (above)"; exit 1; }
if [ "$#" -eq 0 ]; then
    set -- tests
    # The whole suite runs in one process per core (pytest-xdist), each test file in one of them,
    # so a file's module fixtures (every conformance case recorded at once) run once.
    if "$python" -c "import xdist" >/dev/null 2>&1 || "$python" -m pip install --quiet pytest-xdist; then
        set -- tests -n auto --dist loadfile
    else
        echo "recorder tests: pytest-xdist could not be installed; running the suite in one process"
    fi
fi
exec "$python" -m pytest -q "$@"
