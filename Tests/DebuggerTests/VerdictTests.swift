import Foundation
import Script
import Tape
import XCTest
@testable import Debugger

/// A run that did not reach its end is never reported clean: the verdict, the text report and the
/// JSON say where it stopped and why.
final class VerdictTests: XCTestCase {
    private func report(_ source: String, path: String = "prog.py") throws -> ExplainReport {
        let tape = ProgramRunner(path: path, source: source).run(stdout: { _ in }, stderr: { _ in }).tape
        return try Debugger(tape: tape).explain()
    }

    func testACompletedRunWithoutAutogradErrorsIsClean() throws {
        let report = try report("import torch\nx = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()\n")
        XCTAssertEqual(report.end, .completed)
        XCTAssertEqual(report.verdict, .clean)
        XCTAssertEqual(report.exitStatus, 0)
        XCTAssertEqual(report.text(), "prog.py: no autograd errors\n")
    }

    func testARunStoppedOutsideTheSubsetIsIncompleteAndNamesWhere() throws {
        let report = try report("import torch\nx = torch.ones(3)\nz = torch.linspace(0, 1, 3)\nprint(z)\n")
        guard case let .incomplete(end) = report.verdict, let error = end.exception else {
            return XCTFail("expected an incomplete verdict, got \(report.verdict)")
        }
        XCTAssertEqual(error.type, "NotImplementedError")
        XCTAssertEqual(error.message, "tapedeck does not support torch.linspace")
        XCTAssertEqual(error.site.line, 3)
        XCTAssertEqual(report.exitStatus, 3)
        let text = report.text()
        XCTAssertFalse(text.contains("no autograd errors\n"), text)
        XCTAssertTrue(text.hasPrefix("prog.py:3:5: note: the run stopped here, incomplete: NotImplementedError: tapedeck does not support torch.linspace\n"), text)
        XCTAssertTrue(text.contains("  3 | z = torch.linspace(0, 1, 3)\n"), text)
        XCTAssertTrue(text.contains("hint: record it with real PyTorch"), text)
        XCTAssertTrue(text.hasSuffix("prog.py: incomplete run: no autograd errors in the part that ran, nothing after it checked (0 warnings generated).\n"), text)
    }

    func testTheJSONSaysTheRunDidNotComplete() throws {
        let json = try report("x = 1\nraise ValueError('bad input')\n").json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["verdict"] as? String, "incomplete")
        let run = try XCTUnwrap(object["run"] as? [String: Any])
        XCTAssertEqual(run["completed"] as? Bool, false)
        XCTAssertEqual(run["end"] as? String, "exception")
        XCTAssertEqual(run["exit_code"] as? Int, 1)
        let exception = try XCTUnwrap(run["exception"] as? [String: Any])
        XCTAssertEqual(exception["type"] as? String, "ValueError")
        XCTAssertEqual(exception["message"] as? String, "bad input")
        XCTAssertEqual(exception["file"] as? String, "prog.py")
        XCTAssertEqual(exception["line"] as? Int, 2)
        XCTAssertEqual(run["reason"] as? String, "the program stopped with an uncaught ValueError")
        let keys = ["\"program\"", "\"verdict\"", "\"run\"", "\"errors\"", "\"warnings\"", "\"diagnoses\""]
        let offsets = keys.map { json.range(of: $0)!.lowerBound }
        XCTAssertEqual(offsets, offsets.sorted(), "keys come in the documented order")
    }

    /// Ctrl-C ends a run with an uncaught `KeyboardInterrupt` (exit 130), recorded as any exception is
    /// (by the PyTorch recorder too); the report says plainly that the user stopped the run there and
    /// that nothing can be said about the steps after it, instead of `KeyboardInterrupt: ` and the
    /// hint to fix the exception.
    func testARunInterruptedByTheUserSaysSoAndGivesNoVerdictAboutLaterSteps() throws {
        let source = "import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\nraise KeyboardInterrupt\ny.backward()\n"
        let report = try report(source, path: "train.py")
        XCTAssertTrue(report.end.wasInterrupted)
        XCTAssertEqual(report.end.exitCode, 130)
        guard case .incomplete = report.verdict else { return XCTFail("expected an incomplete verdict, got \(report.verdict)") }
        XCTAssertEqual(report.exitStatus, 3)
        XCTAssertEqual(report.text(), """
            train.py:4:7: note: the run was interrupted by the user here, incomplete: KeyboardInterrupt
              4 | raise KeyboardInterrupt
                |       ^~~~~~~~~~~~~~~~~
              the user interrupted the run (Ctrl-C, KeyboardInterrupt) at train.py:4; the steps after it did not run, so no verdict about them is possible
              hint: run the program again and let it finish to have its later steps checked

            train.py: incomplete run, interrupted by the user at train.py:4: no autograd errors before that point; no verdict is possible about the steps after it (0 warnings generated).

            """)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        XCTAssertEqual(object["verdict"] as? String, "incomplete")
        let run = try XCTUnwrap(object["run"] as? [String: Any])
        XCTAssertEqual(run["exit_code"] as? Int, 130)
        XCTAssertEqual(run["reason"] as? String, "the user interrupted the run (Ctrl-C, KeyboardInterrupt)")
    }

    func testASyntaxErrorIsIncomplete() throws {
        let report = try report("x = (1,\n")
        XCTAssertEqual(report.end.exception?.type, "SyntaxError")
        XCTAssertEqual(report.exitStatus, 3)
        XCTAssertTrue(report.text().contains("fix the syntax error"), report.text())
    }

    func testExitWithANonZeroStatusIsIncompleteAndExitZeroIsClean() throws {
        let failed = try report("print(1)\nexit(4)\nprint(2)\n")
        XCTAssertEqual(failed.end, .exited(code: 4))
        XCTAssertEqual(failed.exitStatus, 3)
        XCTAssertTrue(failed.text().contains("called exit(4)"), failed.text())
        let fine = try report("print(1)\nexit(0)\nprint(2)\n")
        XCTAssertEqual(fine.verdict, .clean)
    }

    func testAnUncaughtAutogradErrorIsAnErrorNotAnIncompleteRun() throws {
        let report = try report("import torch\na = torch.ones(3, requires_grad=True)\nb = a * 1\ny = b * b\nb += 1\ny.sum().backward()\n")
        XCTAssertEqual(report.verdict, .autogradErrors(count: 1))
        XCTAssertTrue(report.end.stoppedByAutogradError)
        XCTAssertEqual(report.exitStatus, 1)
        XCTAssertFalse(report.text().contains("note: the run stopped here"), report.text())
    }

    func testACaughtAutogradErrorThenAStopStillCountsAsAnErrorAndSaysWhereItStopped() throws {
        let source = """
            import torch
            a = torch.ones(3, requires_grad=True)
            try:
                a.add_(1)
            except RuntimeError as e:
                print(e)
            torch.linspace(0, 1, 2)

            """
        let report = try report(source)
        XCTAssertEqual(report.verdict, .autogradErrors(count: 1))
        XCTAssertEqual(report.exitStatus, 1)
        XCTAssertTrue(report.text().contains("prog.py:7:1: note: the run stopped here, incomplete: NotImplementedError"), report.text())
    }

    func testATraceWithoutItsExitEventIsUnfinished() throws {
        var tape = Tape(header: TraceHeader(producer: "test", path: "cut.py", source: "print(1)\n"))
        tape.append(.output("1\n"))
        let report = try Debugger(tape: tape).explain()
        XCTAssertEqual(report.end, .unfinished)
        XCTAssertEqual(report.exitStatus, 3)
        XCTAssertTrue(report.text().contains("no `exit` event"), report.text())
    }

    func testSeveralRunsAreJudgedErrorsFirstThenIncompleteThenClean() {
        let stopped = Verdict.incomplete(.unfinished)
        XCTAssertEqual(Verdict.combined([.clean, stopped, .autogradErrors(count: 1), .autogradErrors(count: 2)]),
                       .autogradErrors(count: 3))
        XCTAssertEqual(Verdict.combined([.clean, stopped]), stopped)
        XCTAssertEqual(Verdict.combined([.clean, .clean]), .clean)
        XCTAssertEqual(Verdict.combined([stopped, .autogradErrors(count: 1)]).exitStatus, 1)
    }
}
