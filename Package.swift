// swift-tools-version: 6.0
import PackageDescription
#if canImport(Glibc)
import Glibc
#endif

/// Link flags of the two executables: on glibc 2.36 or later (the first whose loader reads
/// `DT_RELR`), link with lld and pack the relative relocations (`-z pack-relative-relocs`). A
/// position-independent executable's ~79,000 relative relocations then take 15 KB instead of a
/// 1.9 MB `.rela.dyn` table, which the loader reads at every start and which stayed resident:
/// −1.5 MiB of peak memory per process, address-space randomisation kept (docs/benchmarks.md,
/// "Peak memory: packed relocations"). gold, the default linker, cannot pack them; older glibc
/// cannot load packed ones, so there the flags are left out.
let packedRelocations: [LinkerSetting] = {
    #if canImport(Glibc)
    var text = [UInt8](repeating: 0, count: 64)
    _ = text.withUnsafeMutableBufferPointer { confstr(Int32(_CS_GNU_LIBC_VERSION), $0.baseAddress, $0.count) }
    // "glibc 2.36"
    let version = text.prefix { $0 != 0 }.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ".") }
        .compactMap { Int(String(decoding: $0, as: UTF8.self)) }
    if version.count >= 2, (version[0], version[1]) >= (2, 36) {
        return [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux]))]
    }
    #endif
    return []
}()

// Data flows one way: program → Script → Autograd → Tape → Debugger → TerminalUI / reports.
// Builds and is tested on Linux (Glibc, ncursesw); no other platform is claimed.
let package = Package(
    name: "tapedeck",
    products: [
        .executable(name: "tapedeck", targets: ["tapedeck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        /// The recorded model of a run, its indexes and the trace-file codec. Depends on nothing.
        .target(name: "Tape"),
        /// PyTorch's own engine rules that the engine and the replay must both follow: the ready
        /// queue's order and the autograd error texts. Sharing them does not weaken the replay tests:
        /// those compare the replay with what real PyTorch printed and ran (the conformance cases'
        /// recorded traces and messages), which no code here produces.
        .target(name: "TorchRules"),
        /// Tensors, version counters, grad_fn nodes, saved variables, the engine, nn and optim.
        .target(name: "Autograd", dependencies: ["Tape", "TorchRules"]),
        /// Python's tokenizer for the subset: tokens with source spans, indentation, strings, errors.
        /// Both the interpreter and the debugger's fix hints read source through it.
        .target(name: "PythonLexer"),
        /// Parser and interpreter of the Python subset, bound to Autograd.
        .target(name: "Script", dependencies: ["Autograd", "Tape", "PythonLexer"]),
        /// The one index of a tape, its state at any position, backward replay from the tape alone,
        /// blame and fix hints.
        .target(name: "Debugger", dependencies: ["Tape", "TorchRules", "PythonLexer"]),
        /// The C shim that makes ncursesw's macros and globals callable from Swift.
        .target(name: "CTerminal", linkerSettings: [.linkedLibrary("ncursesw")]),
        /// Pure UI state, key handling and rendering into a cell buffer, plus a thin ncurses backend.
        .target(name: "TerminalUI", dependencies: ["Debugger", "Tape", "CTerminal"]),
        .executableTarget(
            name: "tapedeck",
            dependencies: [
                "Script", "Debugger", "TerminalUI", "Tape",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: packedRelocations
        ),
        /// Benchmarks for the figures in docs/benchmarks.md (run with `swift run -c release tapedeck-bench`).
        .executableTarget(
            name: "tapedeck-bench",
            dependencies: ["Tape", "Debugger", "TerminalUI", "Script", "TestSupport"],
            path: "Benchmarks",
            linkerSettings: packedRelocations
        ),
        /// The one loader of Tests/Conformance/cases, and the one run of each case on the engine, shared by
        /// every test target that reads cases.
        .target(name: "ConformanceCases", dependencies: ["Autograd", "Script"], path: "Tests/ConformanceCases"),
        /// What the tests and the benchmarks share and no product uses: the seeded generator and the
        /// linear search and step scans that the search table and the `b` key replaced (the reference
        /// the tests compare with and the baseline the benchmarks time).
        .target(name: "TestSupport", dependencies: ["TerminalUI"], path: "Tests/TestSupport"),
        .testTarget(name: "TapeTests", dependencies: ["Tape", "TestSupport"]),
        .testTarget(name: "TorchRulesTests", dependencies: ["TorchRules"]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "Tape"]),
        .testTarget(name: "PythonLexerTests", dependencies: ["PythonLexer"]),
        .testTarget(name: "ScriptTests", dependencies: ["Script", "PythonLexer", "Autograd", "Tape", "ConformanceCases"]),
        .testTarget(name: "DebuggerTests", dependencies: ["Debugger", "Script", "Tape", "TorchRules", "ConformanceCases", "TestSupport"], exclude: ["Traces"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Debugger", "Script", "Tape", "ConformanceCases", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "tapedeckTests", dependencies: ["tapedeck", "ConformanceCases"]),
    ]
)
