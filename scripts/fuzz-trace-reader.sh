#!/usr/bin/env bash
# fuzz-trace-reader.sh — a long run of the trace reader's seeded mutation fuzzer, then mutated
# traces through the whole `tapedeck explain` (reader, debugger index, replay, report).
#
#   scripts/fuzz-trace-reader.sh [ITERATIONS [SEED]]     # defaults: 200000, the current time
#
# The suite runs the same fuzzer briefly (Tests/TapeTests/TraceFuzzTests.swift, 600 iterations).
# Phase 2 fails on any exit status other than explain's own, 0 (clean), 1 (autograd errors), 2 (bad input)
# and 3 (an incomplete run: a trace cut off, or one that ends in another exception), or on a hang
# (a trap is 132/134/139).
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-200000}
seed=${2:-$(date +%s)}
echo "phase 1: TraceFuzzTests, $iterations iterations, seed $seed"
swift build --build-tests >/dev/null
TAPEDECK_FUZZ_ITERATIONS=$iterations TAPEDECK_FUZZ_SEED=$seed swift test --skip-build --filter TraceFuzzTests
echo "phase 2: mutated traces through tapedeck explain, $((iterations / 100)) runs, seed $seed"
python3 - "$((iterations / 100))" "$seed" <<'PY'
import glob, random, subprocess, sys, tempfile, os
runs, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
seeds = [open(p, "rb").read() for p in sorted(glob.glob("Tests/DebuggerTests/Traces/*.tdt")) if os.path.getsize(p) < 200_000]
tokens = [b"-1", b"0", b"null", b"99999999999999999999", b"[", b"]", b"{", b"}", b'"', b",", b"\n", b"\xff", b"1000000000000"]
def mutate(data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        at = rng.randrange(len(data))
        choice = rng.randrange(4)
        if choice == 0:
            data[at] = rng.randrange(256)
        elif choice == 1:
            data[at:at] = rng.choice(tokens)
        elif choice == 2:
            digits = [i for i in range(at, min(len(data), at + 200)) if 48 <= data[i] <= 57]
            if digits:
                data[digits[0]:digits[0] + 1] = rng.choice(tokens[:4] + tokens[-1:])
        else:
            lines = bytes(data).split(b"\n")
            a, b = rng.randrange(1, len(lines)), rng.randrange(1, len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
    return bytes(data)
with tempfile.TemporaryDirectory() as scratch:
    path = os.path.join(scratch, "fuzz.tdt")
    for run in range(runs):
        mutated = mutate(rng.choice(seeds))
        open(path, "wb").write(mutated)
        try:
            done = subprocess.run([".build/debug/tapedeck", "explain", path], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            open("fuzz-hang.tdt", "wb").write(mutated)
            sys.exit(f"run {run}: tapedeck explain hung (seed {seed}); input kept at fuzz-hang.tdt")
        if done.returncode not in (0, 1, 2, 3):
            open("fuzz-crash.tdt", "wb").write(mutated)
            sys.exit(f"run {run}: exit {done.returncode} (seed {seed}); input kept at fuzz-crash.tdt\n{done.stderr.decode(errors='replace')[-2000:]}")
    print(f"{runs} runs, no crash or hang")
PY
