@testable import Debugger
import ConformanceCases
import Foundation
import Script
import Tape
import TorchRules
import XCTest

/// Runs every conformance program on tapedeck's own engine and checks that the debugger, from the
/// tape alone, agrees with what the engine did and with what real PyTorch printed.
final class ConformanceReplayTests: XCTestCase {
    /// Every case's one run on the engine (`ConformanceRun.all`), indexed once for the tests below.
    private static let runs = Result {
        try ConformanceRun.all.get().map { run in (program: run.program, debugger: try Debugger(tape: run.outcome.tape)) }
    }

    /// Every backward call the engine ran: the replay runs the same nodes in the same order and
    /// fails on the same node and slot with the same message.
    func testReplayAgreesWithTheEngineOnEveryCase() throws {
        var calls = 0
        var failures = 0
        for (program, debugger) in try Self.runs.get() {
            let engine = EngineRecord(tape: debugger.tape)
            for replay in debugger.replays {
                calls += 1
                let id = replay.call.id
                let engineRuns = engine.runs(backward: id)
                if !engineRuns.isEmpty {
                    XCTAssertEqual(replay.steps.map(\.node), engineRuns, "\(program.name): node order of backward #\(id)")
                }
                guard let end = engine.end(backward: id), let failedNode = end.failedNode, end.failedSlot != nil else {
                    XCTAssertNil(replay.failure, "\(program.name): backward #\(id) succeeded on the engine")
                    continue
                }
                failures += 1
                XCTAssertEqual(replay.failure?.node, failedNode, "\(program.name): failing node of backward #\(id)")
                XCTAssertEqual(replay.failure?.saved.slot, end.failedSlot, "\(program.name): failing slot of backward #\(id)")
                XCTAssertEqual(replay.failure?.message, end.message, "\(program.name): message of backward #\(id)")
            }
        }
        XCTAssertGreaterThan(calls, 0)
        XCTAssertGreaterThan(failures, 0)
    }

    /// The messages the replay rebuilds are the ones real PyTorch printed (uncaught or caught).
    func testReplayMessagesMatchRealPyTorch() throws {
        for (program, debugger) in try Self.runs.get() {
            let rebuilt = Set(debugger.replays.compactMap(\.failure?.message))
            var printed = program.expected.stdout
                .split(separator: "\n").compactMap { line -> String? in
                    guard line.hasPrefix("RuntimeError: ") else { return nil }
                    return String(line.dropFirst("RuntimeError: ".count))
                }
            if let error = program.expected.error, error.hasPrefix("RuntimeError: ") {
                printed.append(String(error.dropFirst("RuntimeError: ".count)))
            }
            for message in printed where message.hasPrefix(AutogradMessage.versionMismatchPrefix) || message == AutogradMessage.backwardTwice {
                XCTAssertTrue(rebuilt.contains(message), "\(program.name): replay did not rebuild \(message)")
            }
        }
    }

    /// The first diagnosis blames the line real PyTorch's culprit is on, and the exit status
    /// says whether the run raised an autograd error.
    func testCulpritLinesAndExitStatus() throws {
        var checked = 0
        for (program, debugger) in try Self.runs.get() {
            let report = debugger.explain()
            if let line = program.expected.culprit_line {
                checked += 1
                XCTAssertEqual(report.diagnoses.first?.culprit?.site.line, line, "\(program.name): culprit line")
            }
            let error = program.expected.error ?? ""
            let stdout = program.expected.stdout
            let raisedAutogradError = [error, stdout].contains { text in
                text.contains(AutogradMessage.versionMismatchPrefix) || text.contains("Trying to backward through the graph")
                    || text.contains("in-place operation.") || text.contains("grad can be implicitly created")
                    || text.contains("does not require grad and does not have a grad_fn")
            }
            let completed = program.expected.exit_code == 0
            XCTAssertEqual(report.exitStatus, raisedAutogradError ? 1 : completed ? 0 : 3, "\(program.name): exit status")
        }
        XCTAssertGreaterThan(checked, 0)
    }
}
