import XCTest
@testable import Tape

/// `TraceScanner.int` and `uint64` on both sides of the boundary between their unchecked loop
/// (up to 19 digits, ended by a plain terminator) and the checked path (longer numbers, and
/// anything that is not an integer), with the position and the message each leaves.
final class ScannerIntegerTests: XCTestCase {
    /// What `read` gives for `text` followed by `,`: the value and the position after it, or the
    /// error's message.
    private func scan<Value>(_ text: String, _ read: (inout TraceScanner) throws(TraceError) -> Value) -> Result<(Value, Int), TraceError> {
        let bytes = Array((text + ",").utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = TraceScanner(base: buffer.baseAddress!, count: buffer.count, file: "i.tdt")
            defer { scanner.deallocate() }
            do throws(TraceError) {
                let value = try read(&scanner)
                return .success((value, scanner.position))
            } catch {
                return .failure(error)
            }
        }
    }

    private func int(_ text: String) -> Result<(Int, Int), TraceError> { scan(text) { s throws(TraceError) in try s.int("n") } }

    func testIntegersUpToAndPastNineteenDigits() throws {
        let cases: [(String, Int)] = [
            ("0", 0), ("7", 7), ("-7", -7), ("  42", 42), ("1234567890123456789", 1_234_567_890_123_456_789),
            ("-1234567890123456789", -1_234_567_890_123_456_789), ("9223372036854775807", .max),
            ("-9223372036854775808", .min), ("00000000000000000001", 1), ("000000000000000000000000000042", 42),
        ]
        for (text, expected) in cases {
            let (value, end) = try int(text).get()
            XCTAssertEqual(value, expected, text)
            XCTAssertEqual(end, text.utf8.count, text)
        }
        let (big, _) = try scan("18446744073709551615") { s throws(TraceError) in try s.uint64("n") }.get()
        XCTAssertEqual(big, .max)
    }

    func testWhatIsNotAnIntegerKeepsItsMessage() {
        let cases: [(String, String)] = [
            ("1.5", "i.tdt:1: n must be an integer, found '.'"),
            ("12e3", "i.tdt:1: n must be an integer, found 'e'"),
            ("12E3", "i.tdt:1: n must be an integer, found 'E'"),
            ("1234567890123456789.0", "i.tdt:1: n must be an integer, found '.'"),
            ("-", "i.tdt:1: n must be an integer, found ','"),
            ("x", "i.tdt:1: n must be an integer, found 'x'"),
            ("9223372036854775808", "i.tdt:1: n is out of range for a 64-bit integer"),
            ("-9223372036854775809", "i.tdt:1: n is out of range for a 64-bit integer"),
            ("123456789012345678901234", "i.tdt:1: n is out of range for a 64-bit integer"),
        ]
        for (text, message) in cases {
            guard case .failure(let error) = int(text) else { return XCTFail("\(text) read as an integer") }
            XCTAssertEqual(error.description, message, text)
        }
    }
}
