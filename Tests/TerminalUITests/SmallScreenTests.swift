import XCTest
@testable import TerminalUI

final class SmallScreenTests: XCTestCase {
    /// A terminal can be made as small as one cell: every pane, focused and zoomed or not, scrolled
    /// or not, draws into every size up to 30×12 without trapping.
    func testEverySmallScreenDraws() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.reduce(.character("G"))
        for (pane, row) in Pane.allCases.flatMap({ pane in [0, 3].map { (pane, $0) } }) {
            state.focus = pane
            state.rows = [pane: row]
            for zoomed in [false, true] {
                state.zoomed = zoomed
                for width in 1...30 {
                    for height in 1...12 {
                        let frame = state.render(width: width, height: height)
                        XCTAssertEqual(frame.lines.count, height)
                    }
                }
            }
        }
    }

    /// Each pane on its own, in areas too small for its border: nothing drawn, nothing trapped.
    func testEveryPaneDrawsIntoAreasTooSmallForItsBorder() {
        var state = SampleTapes.state(SampleTapes.savedInputMul())
        state.reduce(.character("G"))
        for (pane, scroll) in Pane.allCases.flatMap({ pane in [0, 2].map { (pane, $0) } }) {
            state.focus = pane
            state.rows = [pane: scroll]
            for width in 0...4 {
                for height in 0...4 {
                    var buffer = Buffer(width: 6, height: 6)
                    let area = Rect(x: 1, y: 1, width: width, height: height)
                    ConsolePane(state: state).render(into: &buffer, area: area)
                    GraphPane(state: state).render(into: &buffer, area: area)
                    TapePane(state: state).render(into: &buffer, area: area)
                    TensorsPane(state: state).render(into: &buffer, area: area)
                    SavedPane(state: state).render(into: &buffer, area: area)
                    SourcePane(state: state).render(into: &buffer, area: area)
                    XCTAssertEqual(buffer.lines.count, 6)
                }
            }
        }
    }
}
