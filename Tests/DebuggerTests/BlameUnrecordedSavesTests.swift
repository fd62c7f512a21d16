import Foundation
import Tape
import XCTest
@testable import Debugger

/// Blame when the failing node's saved variables are not on the tape: traces recorded from real
/// torch 2.13 by `tapedeck_torch --values 0` of small `_foreach_*` programs (the programs are in
/// each trace's header), whose nodes have no Python bindings for their saved variables.
final class BlameUnrecordedSavesTests: XCTestCase {
    private func explain(_ name: String) throws -> ExplainReport {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Traces/UnrecordedSaves/\(name).tdt").path
        return try Debugger(tape: TraceReader.read(contentsOf: path)).explain()
    }

    /// `outs = torch._foreach_mul([x, y], [y, x])` then `x.add_(1)`: only `x` went from v0 to v1,
    /// and PyTorch's message (`output 0 of Add`, v1, expected v0) is the one rebuilt for it.
    func testASavedInputIsFoundByItsMessage() throws {
        let report = try explain("foreach_mul_input")
        let diagnosis = try XCTUnwrap(report.diagnoses.first)
        XCTAssertEqual(diagnosis.kind, .savedTensorModified)
        XCTAssertEqual(diagnosis.node?.name, "ForeachMulBackward0List")
        XCTAssertTrue(diagnosis.savedSlotUnrecorded)
        XCTAssertEqual(diagnosis.savedName, "x")
        XCTAssertEqual(diagnosis.saved?.isOutput, false)
        XCTAssertEqual(diagnosis.saveSite?.line, 6)
        XCTAssertEqual(diagnosis.culprit?.site.line, 7)
        XCTAssertEqual(diagnosis.culprit?.text, "x.add_(1)")
        XCTAssertEqual(diagnosis.bumps.map { [$0.from, $0.to] }, [[0, 1]])
        let text = report.text()
        XCTAssertTrue(text.contains("the trace has none of its saved tensors"), text)
        XCTAssertTrue(text.contains("`x` (tensor t"), text)
        XCTAssertTrue(text.contains("<- culprit"), text)
    }

    /// `outs = torch._foreach_exp([x, y])`, `e = outs[1]`, `e.mul_(2)`: the node saved its outputs;
    /// the message names output 1 of ForeachExp, which only `e` is.
    func testASavedOutputIsFoundByItsMessage() throws {
        let diagnosis = try XCTUnwrap(explain("foreach_exp_output").diagnoses.first)
        XCTAssertEqual(diagnosis.node?.name, "ForeachExpBackward0")
        XCTAssertTrue(diagnosis.savedSlotUnrecorded)
        XCTAssertEqual(diagnosis.saved?.isOutput, true)
        XCTAssertEqual(diagnosis.saved?.outputNr, 1)
        XCTAssertEqual(diagnosis.savedName, "e")
        XCTAssertEqual(diagnosis.culprit?.site.line, 8)
        XCTAssertEqual(diagnosis.culprit?.text, "e.mul_(2)")
    }

    /// Both `x` and `y` went from v0 to v1 through `add_`, so the message fits either: nothing is
    /// named, rather than a guess.
    func testAnAmbiguousMessageNamesNoCulprit() throws {
        let diagnosis = try XCTUnwrap(explain("foreach_mul_ambiguous").diagnoses.first)
        XCTAssertEqual(diagnosis.kind, .savedTensorModified)
        XCTAssertNil(diagnosis.culprit)
        XCTAssertNil(diagnosis.saved)
        XCTAssertFalse(diagnosis.savedSlotUnrecorded)
    }

    /// The JSON report says the slot was not recorded instead of inventing a name.
    func testTheJSONReportLeavesTheSlotUnnamed() throws {
        let json = try explain("foreach_mul_input").json()
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let diagnosis = try XCTUnwrap((report["diagnoses"] as? [[String: Any]])?.first)
        let saved = try XCTUnwrap(diagnosis["saved"] as? [String: Any])
        XCTAssertTrue(saved["slot"] is NSNull, json)
        XCTAssertEqual(saved["slot_recorded"] as? Bool, false, json)
        XCTAssertEqual(saved["name"] as? String, "x", json)
    }
}
