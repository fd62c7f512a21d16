#!/usr/bin/env bash
# fuzz.sh — libFuzzer (with AddressSanitizer) over the Python-subset lexer and parser, the
# interpreter on small programs, and the trace reader with the debugger behind it.
#
#   scripts/fuzz.sh [SECONDS [TARGET...]]     # default: 600 seconds each; targets: parser interpreter trace
#
# Each target is built from Fuzz/TARGET*.swift against the package's modules compiled with
# -sanitize=fuzzer,address into .build-fuzz, then run for SECONDS from a seed corpus (the
# conformance cases and samples for programs, the test and sample traces for traces) kept in
# .build-fuzz/corpus/TARGET. A crash, a hang over 20 s or an allocation over 2 GiB leaves its input
# in .build-fuzz/findings/TARGET and makes the script fail; turn it into a regression test.
# Targets run one after another; run several copies with one target each to run them side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("${@:-parser interpreter trace}")
read -r -a targets <<< "${targets[*]}"
build=.build-fuzz
flags=(-sanitize=fuzzer,address)

source_of() {
    case $1 in
        parser) echo Fuzz/ParserFuzz.swift ;;
        interpreter) echo Fuzz/InterpreterFuzz.swift ;;
        trace) echo Fuzz/TraceReaderFuzz.swift ;;
        *) echo "fuzz.sh: unknown target $1 (parser, interpreter, trace)" >&2; exit 2 ;;
    esac
}

modules_of() {
    case $1 in
        parser) echo "PythonLexer Tape TorchRules Autograd Script" ;;
        interpreter) echo "PythonLexer Tape TorchRules Autograd Script" ;;
        trace) echo "PythonLexer Tape TorchRules Debugger" ;;
    esac
}

seed() {
    local corpus=$build/corpus/$1
    mkdir -p "$corpus"
    local file
    case $1 in
        parser|interpreter) find Tests/Conformance/cases Tests/BadInputs/programs samples -name '*.py' ;;
        trace) find Tests/DebuggerTests/Traces Tests/BadInputs/traces samples -name '*.tdt' -size -64k ;;
    esac | while read -r file; do cp "$file" "$corpus/${file//\//_}"; done
}

for target in "${targets[@]}"; do
    source=$(source_of "$target")
    read -r -a modules <<< "$(modules_of "$target")"
    for module in "${modules[@]}"; do
        if ! log=$(swift build --build-path "$build" --target "$module" -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing 2>&1); then
            echo "$log" | tail -30; exit 1
        fi
    done
    objects=()
    for module in "${modules[@]}"; do objects+=("$build"/debug/"$module".build/*.o); done
    swiftc "${flags[@]}" -g -module-name "${target^}Fuzz" -parse-as-library -I "$build/debug/Modules" \
        "$source" "${objects[@]}" -o "$build/fuzz-$target" 2>&1 | { grep -v 'Cannot export local symbol' || true; }
    seed "$target"
    mkdir -p "$build/findings/$target"
    # A program's own reference cycles (every class with a method, a nested recursive function, a
    # list that contains itself) are never freed: CPython frees them with its cycle collector and
    # tapedeck counts references only (docs/robustness.md). Nearly every input would be reported,
    # so the leak checker is off for the interpreter target only.
    leaks=1
    [ "$target" != interpreter ] || leaks=0
    echo "fuzz.sh: $target for $seconds s"
    ASAN_OPTIONS=detect_leaks=$leaks "$build/fuzz-$target" "$build/corpus/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
        -malloc_limit_mb=2048 -max_len=65536 -detect_leaks=$leaks -print_final_stats=1 -artifact_prefix="$build/findings/$target/"
done
