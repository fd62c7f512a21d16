import Foundation
import XCTest
@testable import Debugger

final class ExplainReportTests: XCTestCase {
    /// An op issued from C++ rather than a Python call (DDP's broadcast `aten::copy_` in its
    /// `__init__`) has an empty `call`: the timeline names its aten op, never a bare `aten`.
    func testWriteWithoutPythonCallIsNamedByItsAtenOp() throws {
        let report = try Debugger(tape: Programs.savedInputMul(culpritCall: "")).explain()
        XCTAssertTrue(report.text().contains("    v1  bumped by op #4 `aten::add_.Tensor` (line 8: a += 1)  <- culprit"), report.text())
        XCTAssertEqual(report.diagnoses.first?.culprit?.spelling, "aten::add_.Tensor")
        XCTAssertEqual(report.diagnoses.first?.bumps.first?.spelling, "aten::add_.Tensor")
    }

    func testTextReadsLikeACompilerDiagnostic() throws {
        let text = try Debugger(tape: Programs.savedInputMul()).explain().text()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "saved_input_mul.py:8:1: error: in-place operation modified a tensor saved for backward")
        XCTAssertEqual(lines[1], "  8 | a += 1")
        XCTAssertEqual(lines[2], "    | ^~~~~~")
        XCTAssertTrue(lines[3].hasPrefix("  RuntimeError (raised at line 10 in backward call #0): one of the variables"))
        XCTAssertEqual(lines[4], "  failing node: MulBackward0 (sequence_nr 1, created by op #2 at line 5), saved slot `other` = `a` (tensor t1)")
        XCTAssertEqual(lines[5], "  version timeline of `a`:")
        XCTAssertEqual(lines[6], "    v0  saved by op #2 (line 5: y = a * a)")
        XCTAssertEqual(lines[7], "    v1  bumped by op #4 `+=` (line 8: a += 1)  <- culprit")
        XCTAssertEqual(lines[8], "    backward expected v0 and found v1")
        XCTAssertEqual(lines[9], "  hint: use the out-of-place form so the saved tensor keeps its values: `a = a + 1`")
        XCTAssertEqual(lines.suffix(2), ["1 error, 0 warnings generated.", ""])
    }

    func testMarkerUnderlinesTheRecordedColumns() throws {
        let text = try Debugger(tape: Programs.reluInPlace()).explain().text()
        XCTAssertTrue(text.hasPrefix("relu_inplace.py:7:7: error: "))
        XCTAssertTrue(text.contains("  7 | out = act(h)\n    |       ^~~~~~\n"), text)
    }

    func testJSONHasTheDocumentedShapeAndKeyOrder() throws {
        let json = try Debugger(tape: Programs.savedInputMul()).explain().json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let diagnosis = try XCTUnwrap((object["diagnoses"] as? [[String: Any]])?.first)
        XCTAssertEqual(diagnosis["kind"] as? String, "saved_tensor_modified")
        XCTAssertEqual(diagnosis["line"] as? Int, 10)
        XCTAssertEqual((diagnosis["node"] as? [String: Any])?["name"] as? String, "MulBackward0")
        let saved = try XCTUnwrap(diagnosis["saved"] as? [String: Any])
        XCTAssertEqual(saved["slot"] as? String, "other")
        XCTAssertEqual(saved["saved_version"] as? Int, 0)
        XCTAssertEqual(saved["current_version"] as? Int, 1)
        let culprit = try XCTUnwrap(diagnosis["culprit"] as? [String: Any])
        XCTAssertEqual(culprit["line"] as? Int, 8)
        XCTAssertEqual(culprit["column"] as? Int, 1)
        XCTAssertEqual(culprit["op"] as? Int, 4)
        XCTAssertEqual(culprit["text"] as? String, "a += 1")
        XCTAssertEqual((diagnosis["bumps"] as? [[String: Any]])?.count, 1)
        let keys = ["\"kind\"", "\"severity\"", "\"error_type\"", "\"message\"", "\"line\"", "\"column\"", "\"backward\"",
                    "\"node\"", "\"saved\"", "\"culprit\"", "\"bumps\"", "\"replay_message\"", "\"hint\""]
        let diagnoses = try XCTUnwrap(json.range(of: "\"diagnoses\"")).upperBound
        let offsets = keys.map { json[diagnoses...].range(of: $0)!.lowerBound }
        XCTAssertEqual(offsets, offsets.sorted(), "keys come in the documented order")
    }

    func testCleanRunHasNoDiagnosesAndExitsZero() throws {
        let b = TapeBuilder(source: "print(1)\n", path: "clean.py")
        b.record(.output("1\n"))
        b.record(.exit(code: 0))
        let report = try Debugger(tape: b.tape).explain()
        XCTAssertEqual(report.exitStatus, 0)
        XCTAssertEqual(report.text(), "clean.py: no autograd errors\n")
        XCTAssertEqual(report.json(), """
            {
              "program": "clean.py",
              "verdict": "clean",
              "run": {
                "completed": true,
                "end": "completed",
                "exit_code": 0,
                "exception": null,
                "reason": null,
                "hint": null
              },
              "errors": 0,
              "warnings": 0,
              "diagnoses": [],
              "dropped": null
            }

            """)
    }

    func testTextEscapesTerminalControlCharacters() {
        XCTAssertEqual(ExplainReport.sanitized("a\u{1B}[2Jb\nc\td\u{202E}e\u{9B}"), "a\\u{1B}[2Jb\nc\td\\u{202E}e\\u{9B}")
    }

    func testJSONStringsAreEscaped() {
        let value = JSONValue.object([("s", .string("a\"b\\c\nd\t\u{01}\u{7F}é\u{2028}"))])
        XCTAssertEqual(value.rendered(indent: nil), #"{"s":"a\"b\\c\nd\t\u0001\u007fé\u2028"}"#)
        XCTAssertEqual(JSONValue.unsigned(UInt64.max).rendered(), "18446744073709551615")
    }
}
