@testable import Debugger
import XCTest

/// `Unicode.Scalar.isTerminalUnsafe`, the one definition of what untrusted text may not carry to a
/// terminal, and the three places that act on it: `explain`'s text, its JSON and the Graphviz labels.
final class TerminalSafetyTests: XCTestCase {
    func testControlsC1BidiAndSeparatorsAreUnsafeAndPrintableTextIsNot() {
        for value: UInt32 in [0x00, 0x07, 0x09, 0x0A, 0x1B, 0x1F, 0x7F, 0x85, 0x9B, 0x9F, 0x202A, 0x202E, 0x2066, 0x2069, 0x2028, 0x2029] {
            XCTAssertTrue(Unicode.Scalar(value)!.isTerminalUnsafe, "U+\(String(value, radix: 16))")
        }
        for scalar in "a ~é→✗\u{A0}\u{200D}\u{2030}\u{FFFD}".unicodeScalars {
            XCTAssertFalse(scalar.isTerminalUnsafe, "U+\(String(scalar.value, radix: 16))")
        }
    }

    func testEachOutputShowsUnsafeCharactersInItsOwnHarmlessForm() throws {
        let hostile = "x\u{1B}]52;c;cHduZWQ=\u{07}\u{9B}1m\u{202E}\u{2029}y"
        XCTAssertEqual(ExplainReport.sanitized(hostile), "x\\u{1B}]52;c;cHduZWQ=\\u{7}\\u{9B}1m\\u{202E}\\u{2029}y")
        XCTAssertEqual(GraphvizRenderer.escaped(hostile), "x ]52;c;cHduZWQ=  1m  y")
        XCTAssertEqual(JSONValue.string(hostile).rendered(indent: nil), "\"x\\u001b]52;c;cHduZWQ=\\u0007\\u009b1m\\u202e\\u2029y\"")
    }
}
