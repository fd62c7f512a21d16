#!/usr/bin/env bash
# Runs the recorder's test suite on several PyTorch versions (CPU), each in its own venv under /tmp
# (never the system python). A +cpu wheel exists only for 2.13; for later versions the default
# (CUDA 13) wheel is installed with --no-deps plus torch's non-NVIDIA dependencies, and when that
# does not import (libtorch_cuda.so links libcudart and friends, which a machine without CUDA lacks)
# with all its dependencies, NVIDIA libraries included (about 4 GB a venv); it then runs on CPU.
# Results (one summary line per version) go to stdout; docs/torch-versions.md records the last.
# Usage: scripts/test-torch-versions.sh [VERSION...]   (default: 2.13.0 2.14.1 2.15.0)
#        PYTEST_ARGS="-k conformance" scripts/test-torch-versions.sh 2.15.0
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
[ "$#" -gt 0 ] || set -- 2.13.0 2.14.1 2.15.0
deps=(filelock typing-extensions sympy networkx jinja2 fsspec setuptools numpy pytest)
status=0
summary=()
for version in "$@"; do
    venv="/tmp/tapedeck-torch-$version"
    log="/tmp/tapedeck-torch-$version.log"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch" >/dev/null 2>&1; then
        echo "== torch $version: making $venv"
        "$python" -m venv "$venv" || { summary+=("$version: venv failed"); status=1; continue; }
        "$venv/bin/python" -m pip install -q "${deps[@]}" >"$log" 2>&1 \
            || { summary+=("$version: dependencies failed (see $log)"); status=1; continue; }
        if [ "$version" = 2.13.0 ]; then
            "$venv/bin/python" -m pip install -q --no-deps "torch==2.13.0+cpu" >>"$log" 2>&1
        else
            "$venv/bin/python" -m pip install -q --no-deps "torch==$version" >>"$log" 2>&1
        fi || { summary+=("$version: pip install torch==$version failed (see $log)"); status=1; continue; }
        if ! "$venv/bin/python" -c "import torch" >>"$log" 2>&1; then
            echo "== torch $version: --no-deps does not import here; installing its NVIDIA libraries too"
            "$venv/bin/python" -m pip install -q "torch==$version" >>"$log" 2>&1 \
                || { summary+=("$version: pip install torch==$version with dependencies failed (see $log)"); status=1; continue; }
        fi
    fi
    installed=$("$venv/bin/python" -c "import torch; print(torch.__version__)" 2>>"$log") \
        || { summary+=("$version: torch does not import (see $log)"); status=1; continue; }
    echo "== torch $installed: recorder tests"
    # shellcheck disable=SC2086
    PYTHON="$venv/bin/python" "$here/recorder/run_tests.sh" tests ${PYTEST_ARGS:-} 2>&1 | tee -a "$log" | tail -n 15
    result=$(grep -E "^(FAILED|ERROR)|[0-9]+ (passed|failed)" "$log" | tail -n 1)
    summary+=("$installed: $result")
    grep -qE "[0-9]+ failed|[0-9]+ error" <<<"$result" && status=1
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
