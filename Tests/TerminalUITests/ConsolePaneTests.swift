import Tape
import XCTest
@testable import TerminalUI

final class ConsolePaneTests: XCTestCase {
    /// `saved_input_mul.py` with a long log printed before its backward call: lines short and
    /// longer than the pane, several in one print, prints of nothing and of only a newline.
    private func loggingState() -> DebuggerState {
        let sample = SampleTapes.savedInputMul()
        var tape = Tape(header: sample.header)
        for position in 0..<sample.count {
            let event = sample[position]
            tape.append(event)
            guard case .output("1 AddBackward0\n") = event else { continue }
            for step in 0..<Self.logSteps {
                tape.append(.output(Self.log(step)))
            }
        }
        var state = SampleTapes.state(tape)
        state.reduce(.character("G"))
        return state
    }

    private static let logSteps = 300

    private static func log(_ step: Int) -> String {
        switch step % 5 {
        case 0: "step \(step) loss 0.\(step)\n"
        case 1: "epoch \(step): " + String(repeating: "long words wrap ", count: step % 7 + 1) + "\n"
        case 2: "a\nb \(step)\n\nc"
        case 3: ""
        default: "\n"
        }
    }

    /// The pane reads only the lines its rows show; what it draws must be the bottom of every
    /// line of the console wrapped, at every height, width and scroll (past the top included).
    func testTheLastLinesDrawWhatEveryLineWrappedWouldDraw() {
        var state = loggingState()
        XCTAssertFalse(state.revealed.isEmpty, "the failure is reached, so its lines follow the log")
        for (width, height) in [(30, 3), (41, 8), (80, 20), (120, 60)] {
            for scroll in [0, 1, 7, 40, 5_000] {
                state.rows[.console] = scroll
                let pane = ConsolePane(state: state)
                let area = Rect(x: 0, y: 0, width: width, height: height)
                var drawn = Buffer(width: width, height: height)
                pane.render(into: &drawn, area: area)
                var expected = Buffer(width: width, height: height)
                let block = Block(title: Pane.console.rawValue, focused: state.focus == .console, glyphs: state.glyphs)
                block.render(into: &expected, area: area)
                Paragraph(lines: pane.lines(last: .max), anchor: .bottom, scroll: scroll)
                    .render(into: &expected, area: block.inner(area))
                XCTAssertEqual(drawn.lines, expected.lines, "\(width)x\(height) scrolled back \(scroll)")
                XCTAssertEqual(drawn.roleMask, expected.roleMask, "\(width)x\(height) scrolled back \(scroll)")
            }
        }
    }

    /// `print("loss", end="")` then `print(" 0.5")` is one line, as on a terminal; an error after a
    /// print without a newline still starts its own.
    func testPrintsWithoutANewlineRunOnIntoTheNext() {
        let sample = SampleTapes.savedInputMul()
        var tape = Tape(header: sample.header)
        for position in 0..<sample.count {
            let event = sample[position]
            guard case .output("1 AddBackward0\n") = event else {
                tape.append(event)
                continue
            }
            for text in ["epoch 1", ": ", "loss 0.5\nstep", " 2\n", "tail without newline"] {
                tape.append(.output(text))
            }
        }
        var state = SampleTapes.state(tape)
        state.reduce(.character("G"))
        let texts = ConsolePane(state: state).lines(last: .max).map(\.text)
        XCTAssertEqual(Array(texts.prefix(5)), ["0 MulBackward0", "epoch 1: loss 0.5", "step 2", "tail without newline",
                                                "RuntimeError: \(SampleTapes.expectedError("saved_input_mul").message)"])
        for count in 1...5 {
            XCTAssertEqual(ConsolePane(state: state).lines(last: count).map(\.text), texts.suffix(count).map { $0 }, "last \(count)")
        }
    }

    func testTheLastLinesAreTheSuffixOfAllLines() {
        let pane = ConsolePane(state: loggingState())
        let all = pane.lines(last: .max)
        // The last 200 console events: the log's last 199 prints, run on as a terminal shows
        // them, then the error backward raised.
        var log = (Self.logSteps - 199..<Self.logSteps).map(Self.log).joined()
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if log.last == "" { log.removeLast() }
        XCTAssertGreaterThan(log.count, 200, "more lines than events: some prints hold several")
        XCTAssertEqual(Array(all.map(\.text).prefix(log.count)), log, "the prints' lines in the order printed, run on")
        XCTAssertTrue(all[log.count].text.hasPrefix("RuntimeError: one of the variables needed"), all[log.count].text)
        for count in [0, 1, 5, 9, 200, all.count - 1, all.count, all.count + 3] {
            XCTAssertEqual(pane.lines(last: count).map(\.text), all.suffix(count).map(\.text), "last \(count)")
        }
    }
}
