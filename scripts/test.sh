#!/usr/bin/env bash
# Runs every test tapedeck has: the Swift packages' tests (engine, interpreter, tape, debugger,
# terminal UI, and the tmux end-to-end tests of the real binary), then the Python recorder's tests.
# It installs what the tests need first, so it works on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh

swift build --build-tests
swift test --skip-build

recorder/run_tests.sh
