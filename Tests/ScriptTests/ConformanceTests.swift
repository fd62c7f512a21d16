import ConformanceCases
import Foundation
import Script
import XCTest

/// Runs every recorded case (PyTorch conformance cases and pure-Python cases) and compares what
/// tapedeck prints with what real Python printed: stdout, exit code, last stderr line, raising line.
final class ConformanceTests: XCTestCase {
    /// Every case in Tests/Conformance/cases: PyTorch programs and `python_*` pure-Python programs.
    /// `TAPEDECK_CASES_DIR` points it at another folder of recorded cases; `TAPEDECK_CASE` picks cases by prefix.
    func testConformanceCases() throws {
        let override = ProcessInfo.processInfo.environment["TAPEDECK_CASES_DIR"].map { URL(fileURLWithPath: $0) }
        try runCases(in: override)
    }

    private func runCases(in directory: URL?) throws {
        let only = ProcessInfo.processInfo.environment["TAPEDECK_CASE"]
        let runs: [ConformanceRun]
        if directory == nil && only == nil {
            runs = try ConformanceRun.all.get()
        } else {
            runs = try ConformanceCase.all(in: directory ?? ConformanceCase.directory)
                .filter { only == nil || $0.name.hasPrefix(only!) }
                .map(ConformanceRun.init)
        }
        let folder = (directory ?? ConformanceCase.directory).lastPathComponent
        XCTAssertFalse(runs.isEmpty, "no cases in \(folder)")
        var passed = 0
        for run in runs {
            let (name, expected) = (run.program.file, run.program.expected)
            let result = Result(stdout: run.stdout, stderr: run.stderr, exitCode: run.outcome.exitCode)
            var ok = true
            func check(_ condition: Bool, _ message: @autoclosure () -> String) {
                if !condition {
                    ok = false
                    XCTFail("\(name): \(message())")
                }
            }
            check(result.stdout == expected.stdout, "stdout differs\n--- expected\n\(expected.stdout)--- got\n\(result.stdout)--- stderr\n\(result.stderr)")
            check(result.exitCode == expected.exit_code, "exit code \(result.exitCode), expected \(expected.exit_code)\n\(result.stderr)")
            if let error = expected.error {
                check(result.lastErrorLine == error, "last stderr line\n  got:      \(result.lastErrorLine ?? "nil")\n  expected: \(error)")
            }
            if let line = expected.error_line {
                check(result.errorLine == line, "raising line \(result.errorLine.map(String.init) ?? "nil"), expected \(line)")
            }
            if ok { passed += 1 }
        }
        print("\(folder): \(passed)/\(runs.count) cases pass")
    }

    struct Result {
        var stdout: String
        var stderr: String
        var exitCode: Int32

        /// The last non-blank stderr line, "" when there is none (as `make_expected.py` records it).
        var lastErrorLine: String? {
            stderr.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
        }

        /// The line of the innermost traceback frame in the program (what `make_expected.py` records).
        var errorLine: Int? {
            var line: Int?
            for text in stderr.split(separator: "\n") where text.hasPrefix("  File ") {
                if let range = text.range(of: ", line ") {
                    let digits = text[range.upperBound...].prefix { $0.isNumber }
                    line = Int(digits)
                }
            }
            return line
        }
    }

    static func run(path: String, source: String, limits: RunLimits = .standard) -> Result {
        let out = Collector(), err = Collector()
        let outcome = ProgramRunner(path: path, source: source, limits: limits).run(stdout: { out.append($0) }, stderr: { err.append($0) })
        return Result(stdout: out.text, stderr: err.text, exitCode: outcome.exitCode)
    }
}
