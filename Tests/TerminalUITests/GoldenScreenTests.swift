import XCTest
@testable import TerminalUI

/// Whole screens at the moments that tell the story: the start, mid-forward, the failing node.
final class GoldenScreenTests: XCTestCase {
    func testSavedInputMulAtStart() {
        let state = SampleTapes.state(SampleTapes.savedInputMul())
        assertGolden(state.render(width: 100, height: 30), "saved_input_mul-start-100x30")
    }

    func testSavedInputMulMidForwardAfterTheInPlaceWrite() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.apply(.nextLine)
        state.apply(.nextLine)
        state.apply(.nextLine)
        state.apply(.nextLine)
        XCTAssertEqual(state.step?.line, 8)
        assertGolden(state.render(width: 100, height: 30), "saved_input_mul-inplace-100x30")
    }

    func testSavedInputMulAtTheFailingNode() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.reduce(.character("e"))
        assertGolden(state.render(width: 100, height: 30), "saved_input_mul-failing-node-100x30")
    }

    func testSavedInputMulAtTheFailingNodeAt80x24() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.reduce(.character("e"))
        assertGolden(state.render(width: 80, height: 24), "saved_input_mul-failing-node-80x24")
    }

    func testSeedExample1ForwardErrorInASCII() {
        var state = SampleTapes.state(SampleTapes.seedExample1(), glyphs: .ascii)
        state.reduce(.character("e"))
        assertGolden(state.render(width: 80, height: 24), "seed_example1-error-ascii-80x24")
    }

    func testTensorDetailsOverlay() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.reduce(.character("e"))
        state.reduce(.tab)
        state.reduce(.enter)
        assertGolden(state.render(width: 100, height: 30), "saved_input_mul-tensor-details-100x30")
    }

    func testHelpOverlay() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.reduce(.character("?"))
        assertGolden(state.render(width: 100, height: 36), "help-100x36")
    }

    func testBelowTheMinimumSizeAMessageReplacesTheLayout() {
        let state = SampleTapes.state(SampleTapes.savedInputMul())
        let screen = state.render(width: 50, height: 10)
        XCTAssertTrue(screen.lines.contains { $0.contains("tapedeck needs at least 60x16") })
        XCTAssertTrue(screen.lines.contains { $0.contains("this terminal is 50x10") })
        XCTAssertFalse(screen.lines.joined().contains("┌"))
    }

    func testZoomedTapePaneFillsTheScreen() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.reduce(.character("z"))
        let screen = state.render(width: 80, height: 24)
        XCTAssertTrue(screen.lines[0].hasPrefix("┌─[Tape 9 steps]"))
        XCTAssertTrue(screen.lines[22].hasPrefix("└"))
        XCTAssertTrue(screen.lines[23].contains("ZOOM"))
    }
}
