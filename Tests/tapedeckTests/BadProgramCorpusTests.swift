import Foundation
import XCTest

/// `tapedeck run --engine tapedeck` on every program of Tests/BadInputs/programs: the exit status
/// and everything it printed must be exactly `NAME.expected` (first line `exit N`, then stdout and
/// stderr). The corpus tests tapedeck's own front end, so the engine is named: left to choose, a
/// program python3 accepts but the subset refuses runs on real PyTorch instead (tested below).
/// Inputs too large to commit, and paths that cannot be committed, are made here.
final class BadProgramCorpusTests: XCTestCase {
    static let directory = Binary.root.appendingPathComponent("Tests/BadInputs/programs")

    private func outcome(_ arguments: [String], in directory: URL) throws -> String {
        let output = try Binary.run(arguments, in: directory)
        return "exit \(output.status)\n" + output.stdout + output.stderr
    }

    func testEveryCommittedBadProgramGetsItsExactMessage() throws {
        let programs = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".py") }.sorted()
        XCTAssertGreaterThanOrEqual(programs.count, 7)
        for program in programs {
            let expected = try String(contentsOf: Self.directory.appendingPathComponent(program.dropLast(3) + ".expected"), encoding: .utf8)
            XCTAssertEqual(try outcome(["run", "--engine", "tapedeck", program], in: Self.directory), expected, program)
        }
    }

    /// python3 decodes a file that declares latin-1, so the program is valid; tapedeck's subset reads
    /// UTF-8 only, so the launcher says why and runs it on real PyTorch, which prints what python3 does.
    func testADeclaredLatin1ProgramRunsOnRealPyTorchAndSaysWhy() throws {
        try requireTorch()
        XCTAssertEqual(try outcome(["run", "declared-latin1.py"], in: Self.directory), """
            exit 0
            caf\u{E9}
            tapedeck: engine: torch, because declared-latin1.py:1: tapedeck does not support the source encoding 'latin-1' \
            declared in file declared-latin1.py on line 1; save the file as UTF-8

            """)
    }

    func testATenMegabyteStringRuns() throws {
        let directory = try temporaryDirectory()
        let text = String(repeating: "a", count: 10 << 20)
        try "s = \"\(text)\"\nprint(len(s))\n".write(to: directory.appendingPathComponent("big.py"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try outcome(["run", "big.py"], in: directory), "exit 0\n10485760\n")
    }

    /// python3.11 quotes the whole 10 MB line above the caret, so stderr is far larger than a pipe's
    /// buffer: the test helper must drain stdout and stderr at once or it deadlocks.
    func testATenMegabyteUnterminatedStringIsASyntaxErrorQuotingTheLine() throws {
        let directory = try temporaryDirectory()
        let text = String(repeating: "a", count: 10 << 20)
        try "s = \"\(text)\nprint(1)\n".write(to: directory.appendingPathComponent("big.py"), atomically: true, encoding: .utf8)
        let output = try Binary.run(["run", "big.py"], in: directory)
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stdout, "")
        XCTAssertEqual(output.stderr, "  File \"big.py\", line 1\n    s = \"\(text)\n        ^\nSyntaxError: unterminated string literal (detected at line 1)\n")
    }

    func testDeepNestingEndsInPythonsErrorsNotAStackOverflow() throws {
        let directory = try temporaryDirectory()
        try ("x = " + String(repeating: "-", count: 200_000) + "1\n").write(to: directory.appendingPathComponent("unary.py"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try outcome(["run", "unary.py"], in: directory), "exit 1\nMemoryError\n")
        try ("x = 1" + String(repeating: "+1", count: 200_000) + "\n").write(to: directory.appendingPathComponent("sum.py"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try outcome(["run", "sum.py"], in: directory), "exit 1\nRecursionError: maximum recursion depth exceeded during compilation\n")
    }

    func testADirectoryAndAnUnreadableFileAreRefusedWithStatus2() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("folder.py"), withIntermediateDirectories: true)
        XCTAssertEqual(try outcome(["run", "folder.py"], in: directory),
                       "exit 2\ntapedeck: error: folder.py: is a directory, expected a program (.py) or a trace file (.tdt)\n")
        let locked = directory.appendingPathComponent("locked.py")
        try "x = 1\n".write(to: locked, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked.path)
        try XCTSkipIf(getuid() == 0, "root reads a file without read permission, so it cannot be made unreadable here")
        XCTAssertEqual(try outcome(["run", "locked.py"], in: directory), "exit 2\ntapedeck: error: locked.py: cannot be read\n")
    }
}
