#!/usr/bin/env bash
# Installs what building and testing tapedeck need and the machine lacks: ncursesw headers, tmux and
# Graphviz (`dot`, for `tapedeck graph --format svg`) as Debian packages, PyTorch 2.13 CPU for the
# recorder's tests when pip can get it (recorder/run_tests.sh installs the recorder and pytest itself),
# and ninja, with which the recorder's `--native` core is built (its tests skip, saying why, without it).
# Under CI=true a PyTorch that cannot be installed fails the run: CI must never pass without the
# recorder tests.
set -euo pipefail

missing=()
[ -e /usr/include/ncursesw/curses.h ] || [ -e /usr/include/ncurses.h ] || missing+=(libncurses-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}"
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"
    fi
fi

if ! python3 -c "import torch" >/dev/null 2>&1; then
    echo "bootstrap: trying pip install torch==2.13.0+cpu for the recorder tests"
    if ! python3 -m pip install -q torch==2.13.0+cpu; then
        if [ "${CI:-}" = true ]; then
            echo "bootstrap: FAILED: CI=true and pip could not install torch==2.13.0+cpu, which the recorder tests need"
            exit 1
        fi
        echo "bootstrap: PyTorch is not installable here; the recorder tests will be skipped"
    fi
fi

if python3 -c "import torch" >/dev/null 2>&1 && ! python3 -c "from torch.utils.cpp_extension import is_ninja_available as a; exit(not a())" >/dev/null 2>&1; then
    echo "bootstrap: trying pip install ninja for the recorder's --native core"
    python3 -m pip install -q ninja || echo "bootstrap: ninja is not installable here; tests/test_native.py will be skipped"
fi
