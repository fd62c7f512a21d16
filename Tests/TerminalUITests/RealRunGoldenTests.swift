import Debugger
import Foundation
import Script
import Tape
import XCTest
@testable import TerminalUI

/// Golden screens of the seed examples and a stale-saved-tensor case at the moments that tell the
/// story (start, mid-forward, the failure), rendered from real runs: the program run by tapedeck's
/// own engine, and the trace real PyTorch 2.13 recorded for it (`Golden/traces`, written by
/// `python3 -m tapedeck_torch`). Both must show the same diagnosis.
final class RealRunGoldenTests: XCTestCase {
    static let cases = ["seed_example1", "seed_example2", "seed_example3", "saved_input_mul"]

    func engineState(_ name: String) throws -> DebuggerState {
        let path = "Tests/Conformance/cases/\(name).py"
        let outcome = ProgramRunner(path: path, source: SampleTapes.source(name)).run(stdout: { _ in }, stderr: { _ in })
        return DebuggerState(debugger: try Debugger(tape: outcome.tape))
    }

    func traceState(_ name: String) throws -> DebuggerState {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/traces/\(name).tdt").path
        return DebuggerState(debugger: try Debugger(tape: try TraceReader.read(contentsOf: path)))
    }

    /// Renders the start, the middle of the forward pass and the failure (or the last step).
    func assertMoments(_ start: DebuggerState, _ prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        var state = start
        assertGolden(state.render(width: 100, height: 30), "\(prefix)-start", file: file, line: line)
        let forwardOps = state.debugger.opCount
        if let middle = state.index.step(ofOp: forwardOps / 2) {
            state.move(to: middle)
            assertGolden(state.render(width: 100, height: 30), "\(prefix)-mid-forward", file: file, line: line)
        }
        state.apply(state.failures.isEmpty ? .lastStep : .nextError)
        assertGolden(state.render(width: 100, height: 30), "\(prefix)-\(state.failures.isEmpty ? "end" : "failure")", file: file, line: line)
    }

    func testEngineRunsOfTheSeedExamples() throws {
        for name in RealRunGoldenTests.cases {
            assertMoments(try engineState(name), "engine-\(name)")
        }
    }

    func testPyTorchTracesOfTheSeedExamples() throws {
        for name in RealRunGoldenTests.cases {
            assertMoments(try traceState(name), "pytorch-\(name)")
        }
    }

    func testEngineAndPyTorchAgreeOnEveryFailureAndCulprit() throws {
        let expectations: [String: (culprit: Int?, raised: String?)] = [
            "seed_example1": (9, "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation."),
            "seed_example2": (nil, nil),
            "seed_example3": (12, "RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation."),
            "saved_input_mul": (8, "RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation"),
        ]
        for name in RealRunGoldenTests.cases {
            for var state in [try engineState(name), try traceState(name)] {
                let expected = expectations[name] ?? (nil, nil)
                state.apply(.nextError)
                XCTAssertEqual(state.failureHere?.culpritLine, expected.culprit, name)
                if let raised = expected.raised {
                    XCTAssertTrue(state.failureHere?.headline.hasPrefix(raised) ?? false, "\(name): \(state.failureHere?.headline ?? "no failure")")
                    let screen = state.render(width: 100, height: 30).lines
                    XCTAssertTrue(screen.contains { $0.hasPrefix(" ✗ RuntimeError") }, "\(name): no banner")
                } else {
                    XCTAssertNil(state.failureHere, name)
                }
            }
        }
    }

    func testTheStaleSlotIsMarkedInEveryPaneAtTheFailingNode() throws {
        for var state in [try engineState("saved_input_mul"), try traceState("saved_input_mul")] {
            state.apply(.nextError)
            XCTAssertTrue(state.step?.isNode ?? false)
            let screen = state.render(width: 100, height: 30).lines.joined(separator: "\n")
            XCTAssertTrue(screen.contains("│ ✗ 8 a += 1"), "source marks the culprit line")
            XCTAssertTrue(screen.contains("✗ add_.Tensor +="), "tape marks the culprit op")
            XCTAssertTrue(screen.contains("✗ ◀ MulBackward0"), "tape marks the failing node")
            XCTAssertTrue(screen.contains("✗ MulBackward0 #"), "graph marks the failing node")
            XCTAssertTrue(screen.contains("saved@v0 now@v1 ✗ stale"), "graph shows the stale slot")
            XCTAssertTrue(screen.contains("hint: use the out-of-place form"), "console shows the hint")
        }
    }
}

extension RealRunGoldenTests {
    func testBackwardTwiceBlamesTheFirstBackwardCall() throws {
        for var state in [try engineState("backward_twice"), try traceState("backward_twice")] {
            state.apply(.nextError)
            let failure = try XCTUnwrap(state.failureHere)
            XCTAssertEqual(failure.culpritLine, 5)
            let culprit = try XCTUnwrap(failure.culpritStep)
            XCTAssertEqual(state.index.steps[culprit].kind, .backwardCall)
            let screen = state.render(width: 120, height: 40).lines.joined(separator: "\n")
            XCTAssertTrue(screen.contains("unpacks other, freed by backward #0"), "console says freed")
            XCTAssertTrue(screen.contains("saved@v0 now@v0 freed"), "graph says freed")
            state.move(to: culprit)
            let tape = state.render(width: 120, height: 40).lines.joined(separator: "\n")
            XCTAssertTrue(tape.contains("✗ backward() #0 from SumBackward0"), "tape marks the first backward")
        }
    }
}
