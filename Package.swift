// swift-tools-version: 6.0
import PackageDescription

// Data flows one way: program → Script → Autograd → Tape → Debugger → TerminalUI / reports.
let package = Package(
    name: "tapedeck",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tapedeck", targets: ["tapedeck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        /// The recorded model of a run, its indexes and the trace-file codec. Depends on nothing.
        .target(name: "Tape"),
        /// Tensors, version counters, grad_fn nodes, saved variables, the engine, nn and optim.
        .target(name: "Autograd", dependencies: ["Tape"]),
        /// Lexer, parser and interpreter of the Python subset, bound to Autograd.
        .target(name: "Script", dependencies: ["Autograd", "Tape"]),
        /// Cursor over a tape, backward replay from the tape alone, blame and fix hints.
        .target(name: "Debugger", dependencies: ["Tape"]),
        /// The C shim that makes ncursesw's macros and globals callable from Swift.
        .target(name: "CTerminal", linkerSettings: [.linkedLibrary("ncursesw")]),
        /// Pure UI state, key handling and rendering into a cell buffer, plus a thin ncurses backend.
        .target(name: "TerminalUI", dependencies: ["Debugger", "Tape", "CTerminal"]),
        .executableTarget(
            name: "tapedeck",
            dependencies: [
                "Script", "Debugger", "TerminalUI", "Tape",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// Benchmarks for the figures in docs/benchmarks.md (run with `swift run -c release tapedeck-bench`).
        .executableTarget(
            name: "tapedeck-bench",
            dependencies: ["Tape", "Debugger", "TerminalUI", "Script"],
            path: "Benchmarks"
        ),
        /// The one loader of Tests/Conformance/cases, shared by every test target that reads cases.
        .target(name: "ConformanceCases", dependencies: ["Autograd"], path: "Tests/ConformanceCases"),
        .testTarget(name: "TapeTests", dependencies: ["Tape"]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "Tape"]),
        .testTarget(name: "ScriptTests", dependencies: ["Script", "Autograd", "Tape", "ConformanceCases"]),
        .testTarget(name: "DebuggerTests", dependencies: ["Debugger", "Script", "Tape", "ConformanceCases"], exclude: ["Traces"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Debugger", "Script", "Tape", "ConformanceCases"], exclude: ["Golden"]),
        .testTarget(name: "tapedeckTests", dependencies: ["tapedeck", "ConformanceCases"]),
    ]
)
