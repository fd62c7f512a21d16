import Foundation
import XCTest

/// Issue 8's proof that an injected sequence never reaches the output: `injected-escapes.tdt`
/// (Tests/BadInputs/traces) carries OSC 52 (a clipboard write), OSC 0 and 2 (title changes), CSI, a C1
/// CSI and bidi overrides in its path, producer, source, variable names, frame, call and error
/// message. Whatever each command prints, on stdout or stderr, holds none of them raw. The debugger's
/// screen is checked on the same file by `SanitisingTests` (a golden of the cell buffer).
final class InjectedEscapesTests: XCTestCase {
    static let trace = "Tests/BadInputs/traces/injected-escapes.tdt"

    func testExplainShowsTheSequencesEscaped() throws {
        let output = try Binary.run(["explain", Self.trace])
        XCTAssertEqual(output.status, 1, output.stderr)
        assertNoRawSequence(output)
        XCTAssertTrue(output.stdout.contains("  4 | a += 1  # \\u{1B}]52;c;cHduZWQ=\\u{7}\\u{1B}]0;pwned\\u{7}"), output.stdout)
    }

    func testExplainJSONEscapesThemAsJSON() throws {
        let output = try Binary.run(["explain", "--json", Self.trace])
        XCTAssertEqual(output.status, 1, output.stderr)
        assertNoRawSequence(output)
        XCTAssertTrue(output.stdout.contains("\\u001b]52;c;cHduZWQ=\\u0007"), output.stdout)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)), "still valid JSON")
    }

    func testGraphDOTHasThemAsSpaces() throws {
        let output = try Binary.run(["graph", Self.trace])
        XCTAssertEqual(output.status, 0, output.stderr)
        assertNoRawSequence(output)
        XCTAssertTrue(output.stdout.contains("line 6 · Tensor.sum ]52;c;cHduZWQ=  ]0;pwned  ]2;pwned"), output.stdout)
    }

    private func assertNoRawSequence(_ output: Binary.Output, file: StaticString = #filePath, line: UInt = #line) {
        for (name, text) in [("stdout", output.stdout), ("stderr", output.stderr)] {
            let raw = text.unicodeScalars.filter { scalar in
                let value = scalar.value
                return (value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(value)
                    || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            }
            XCTAssertTrue(raw.isEmpty, "\(name) carries \(raw.map { "U+" + String($0.value, radix: 16) })", file: file, line: line)
        }
    }
}
