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
        try runCases(in: override ?? ConformanceCase.directory)
    }

    private func runCases(in directory: URL) throws {
        let only = ProcessInfo.processInfo.environment["TAPEDECK_CASE"]
        let cases = try ConformanceCase.all(in: directory)
        XCTAssertFalse(cases.isEmpty, "no cases in \(directory.path)")
        var passed = 0
        for item in cases where only == nil || item.name.hasPrefix(only!) {
            let (name, expected) = (item.file, item.expected)
            let result = Self.run(path: name, source: item.source)
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
        print("\(directory.lastPathComponent): \(passed)/\(cases.count) cases pass")
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

/// Collects text written by a run.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []

    func append(_ text: String) {
        lock.lock()
        parts.append(text)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return parts.joined()
    }
}
