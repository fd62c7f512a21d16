import ConformanceCases
import Debugger
import Foundation
import Script
import XCTest
@testable import TerminalUI

/// Every conformance program, run once by the engine (`ConformanceRun.all`), renders at a dozen steps spread over the run (the
/// status line names the step shown) and with every pane's details open at its last step, and every
/// failure it raised is reachable with `e`.
final class ConformanceSmokeTests: XCTestCase {
    func testEveryConformanceProgramRendersAcrossItsRun() throws {
        let runs = try ConformanceRun.all.get()
        XCTAssertGreaterThan(runs.count, 20)
        for run in runs {
            let name = run.program.name
            var state = DebuggerState(debugger: try Debugger(tape: run.outcome.tape))
            for step in stride(from: 0, to: state.stepCount, by: max(1, state.stepCount / 12)) {
                state.move(to: step)
                let status = state.render(width: 100, height: 30).lines.last ?? ""
                XCTAssertTrue(status.contains("step \(step + 1)/\(state.stepCount)"), "\(name): \(status)")
                XCTAssertTrue(status.contains(state.positionText), "\(name): \(status)")
            }
            for _ in Pane.allCases {
                state.reduce(.enter)
                let frame = state.render(width: 80, height: 24).lines
                XCTAssertTrue(frame.allSatisfy { !$0.contains("\u{1B}") }, "\(name): no escape sequence reaches a cell")
                state.reduce(.escape)
                state.reduce(.tab)
            }
            for failure in state.failures {
                state.reduce(.character("e"))
                XCTAssertEqual(state.cursor, failure.step, name)
                XCTAssertNotNil(state.failureHere, name)
            }
        }
    }
}
