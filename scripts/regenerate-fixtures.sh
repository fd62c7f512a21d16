#!/usr/bin/env bash
# Re-records every fixture the tests compare against from the PyTorch installed here: the conformance
# cases' and recorder programs' expected.json, Tests/DebuggerTests/Traces and samples/*.tdt
# (scripts/regenerate_fixtures.py says how each is made). `--check` writes nothing and exits 1 when
# a fixture is stale. Needs torch==2.13.0+cpu (scripts/bootstrap.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product tapedeck
exec python3 scripts/regenerate_fixtures.py --tapedeck "$(swift build --show-bin-path)/tapedeck" "$@"
