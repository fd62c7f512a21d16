import Debugger
import Script
import XCTest
@testable import TerminalUI

/// A run that stopped early says so on the status line, so the screen never passes for a clean run,
/// and `q` exits with the incomplete verdict's status.
final class StoppedRunTests: XCTestCase {
    private func state(_ source: String) throws -> DebuggerState {
        let outcome = ProgramRunner(path: "stopped.py", source: source).run(stdout: { _ in }, stderr: { _ in })
        return DebuggerState(debugger: try Debugger(tape: outcome.tape), glyphs: .ascii)
    }

    func testTheStatusLineSaysWhereAnIncompleteRunStopped() throws {
        let state = try state("import torch\nx = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\nz = torch.linspace(0, 1, 3)\n")
        XCTAssertEqual(state.verdict.exitStatus, 3)
        let lines = state.render(width: 120, height: 30).lines
        XCTAssertTrue(lines.last?.contains("STOPPED: NotImplementedError at line 4") == true, lines.joined(separator: "\n"))
    }

    /// Ctrl-C (an uncaught `KeyboardInterrupt`) is not the program's fault: the status line says the
    /// user interrupted it and that nothing is known about the later steps, as `explain` does.
    func testAnInterruptedRunSaysTheUserStoppedItAndGivesNoVerdict() throws {
        let state = try state("import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\nraise KeyboardInterrupt\ny.backward()\n")
        XCTAssertEqual(state.verdict.exitStatus, 3)
        XCTAssertEqual(state.stoppedText, "INTERRUPTED by the user at line 4: no verdict about later steps")
        let screen = state.render(width: 120, height: 30)
        XCTAssertTrue(screen.lines.last?.contains("INTERRUPTED by the user at line 4: no verdict about later steps") == true)
        XCTAssertFalse(screen.lines.joined().contains("STOPPED"))
        assertGolden(screen, "interrupted-run-120x30")
    }

    func testACleanRunShowsNoStop() throws {
        let state = try state("import torch\nx = torch.ones(3, requires_grad=True)\n(x * 2).sum().backward()\n")
        XCTAssertEqual(state.verdict, .clean)
        XCTAssertNil(state.stoppedText)
        XCTAssertFalse(state.render(width: 120, height: 30).lines.joined().contains("STOPPED"))
    }
}
