import XCTest
@testable import Debugger

/// `tapedeck graph`'s picture: the failing backward call's graph with versions and blame.
final class GraphPictureTests: XCTestCase {
    func testPictureAtTheFailureMarksTheStaleSlotAndTheCulprit() throws {
        let picture = try Debugger(tape: Programs.savedInputMul()).picture()
        XCTAssertEqual(picture.title, "saved_input_mul.py:10: in-place operation modified a tensor saved for backward")
        XCTAssertEqual(picture.nodes.map(\.name), ["SumBackward0", "MulBackward0", "MulBackward0", "torch::autograd::AccumulateGrad"])
        let failing = try XCTUnwrap(picture.nodes.first { $0.isFailing })
        XCTAssertEqual(failing.sequenceNr, 1)
        XCTAssertEqual(failing.site?.line, 5)
        XCTAssertEqual(failing.saved.map(\.tensorName), ["a", "a"])
        XCTAssertEqual(failing.saved.map(\.value.status), [.stale, .stale])
        XCTAssertEqual(failing.saved.map(\.isFailing), [true, false])
        XCTAssertEqual(picture.culprit?.site.line, 8)
        XCTAssertFalse(picture.culpritIsNode, "`a += 1` made a node the failing graph never reaches")
        XCTAssertEqual(picture.culpritTarget, failing.id)
        XCTAssertEqual(picture.edges.filter { $0.from == failing.id }.count, 2, "a * a: two edges to a's grad_fn")
    }

    func testDOTDrawsVersionsAndBlameInRed() throws {
        let debugger = try Debugger(tape: Programs.savedInputMul())
        let dot = GraphvizRenderer(picture: debugger.picture(), source: debugger.source).dot()
        let lines = dot.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "digraph grad_fn {")
        XCTAssertEqual(lines.last, "}")
        let failing = try XCTUnwrap(lines.first { $0.contains("sequence_nr 1 ") })
        XCTAssertTrue(failing.contains("color=\"#d62728\""), failing)
        XCTAssertTrue(failing.contains("sequence_nr 1 · line 5 · *"), failing)
        XCTAssertTrue(failing.contains("<i>a * a</i>"), failing)
        XCTAssertTrue(failing.contains("<font color=\"#d62728\">_saved_other = a: saved v0, now v1 — stale, unpack fails</font>"), failing)
        XCTAssertTrue(failing.contains("_saved_self = a: saved v0, now v1 — stale<"), failing)
        let fresh = try XCTUnwrap(lines.first { $0.contains("sequence_nr 0 ") })
        XCTAssertTrue(fresh.contains("color=\"black\""), fresh)
        XCTAssertTrue(fresh.contains("<td align=\"left\">_saved_other = t2: saved v0, now v0</td>"), fresh)
        XCTAssertTrue(dot.contains("variable: x"))
        let culprit = try XCTUnwrap(lines.first { $0.hasPrefix("  culprit [") })
        XCTAssertTrue(culprit.contains("in-place op to blame") && culprit.contains("line 8 · +=") && culprit.contains("<i>a += 1</i>"), culprit)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  culprit -> n\(failingID(debugger)) [style=dashed") })
    }

    func testACulpritThatMadeAGraphNodeIsThatNode() throws {
        let debugger = try Debugger(tape: Programs.reluInPlace())
        let picture = debugger.picture()
        XCTAssertTrue(picture.culpritIsNode)
        XCTAssertEqual(picture.nodes.filter(\.isCulprit).map(\.name), ["ReluBackward0"])
        XCTAssertFalse(GraphvizRenderer(picture: picture, source: debugger.source).dot().contains("  culprit ["))
    }

    func testTapeTextCannotInjectMarkup() {
        XCTAssertEqual(GraphvizRenderer.escaped("<b>\"x\" & y\u{1B}[2J"), "&lt;b&gt;&quot;x&quot; &amp; y [2J")
    }

    private func failingID(_ debugger: Debugger) -> Int {
        debugger.picture().nodes.first { $0.isFailing }?.id ?? -1
    }
}
