import Foundation
import XCTest
@testable import Tape

/// The trace files of Tests/BadInputs/traces: each `NAME.tdt` is read as `tapedeck` reads a trace
/// and its outcome must be exactly `NAME.expected` — the error message, or `loaded N events`
/// followed by the warnings (file names as `NAME.tdt`).
final class BadTraceCorpusTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("BadInputs/traces")

    /// What reading `path` gives, with the directory stripped from file names.
    static func outcome(_ path: String) -> String {
        let prefix = directory.path + "/"
        do {
            let tape = try TraceReader.read(contentsOf: path)
            let lines = ["loaded \(tape.count) events"] + tape.warnings.map(\.description)
            return lines.joined(separator: "\n").replacingOccurrences(of: prefix, with: "")
        } catch {
            return error.description.replacingOccurrences(of: prefix, with: "")
        }
    }

    func testEveryBadTraceGivesItsExpectedMessage() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".tdt") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 30, "the corpus is missing")
        for name in names {
            let path = Self.directory.appendingPathComponent(name).path
            let expectedPath = String(path.dropLast(4)) + ".expected"
            let got = Self.outcome(path)
            guard let expected = try? String(contentsOfFile: expectedPath, encoding: .utf8) else {
                XCTFail("\(name): no \(expectedPath); outcome is:\n\(got)")
                continue
            }
            XCTAssertEqual(got, expected.trimmingCharacters(in: .newlines), name)
        }
    }

    /// A 10 MB string (too large to commit) loads, whole.
    func testTenMegabyteStringLoads() throws {
        let text = String(repeating: "a\u{e9}\\u0041", count: 10_000_000 / 9)
        let bytes = Array(#"{"format":"tapedeck-trace","version":"1.0"}"#.utf8) + [10]
            + Array(#"{"k":"print","text":"\#(text)"}"#.utf8) + [10]
        XCTAssertGreaterThan(bytes.count, 10_000_000)
        let tape = try TraceReader.load(bytes, file: "big-string.tdt")
        guard case let .output(read) = tape[0] else { return XCTFail("expected a print event, got \(tape[0])") }
        XCTAssertEqual(read.utf8.count, 10_000_000 / 9 * 4)
    }

    /// A 10 MB key and a 10 MB unterminated string fail with a message, not a crash or a hang.
    func testTenMegabyteKeyAndUnterminatedStringFail() {
        let header = Array(#"{"format":"tapedeck-trace","version":"1.0"}"#.utf8) + [10]
        let long = String(repeating: "k", count: 10_000_000)
        let cases: [(String, String)] = [
            (#"{"k":"exit","\#(long)":1,"code":0}"# + "\n", "loaded 1 events"),
            (#"{"k":"print","text":"\#(long)"# + "\n", #"big.tdt:2: expected '"' to close the string before the end of the line"#),
        ]
        for (line, expected) in cases {
            do {
                let tape = try TraceReader.load(header + Array(line.utf8), file: "big.tdt")
                XCTAssertEqual("loaded \(tape.count) events", expected)
            } catch {
                XCTAssertEqual(error.description, expected)
            }
        }
    }
}
