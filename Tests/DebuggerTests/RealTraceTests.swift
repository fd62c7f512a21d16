import ConformanceCases
import Foundation
import Tape
import XCTest
@testable import Debugger

/// The conformance programs recorded from real torch 2.13 by the `tapedeck_torch` recorder
/// (`python3 -m tapedeck_torch -o Traces/NAME.tdt NAME.py` in Tests/Conformance/cases): the
/// debugger, reading only the trace, must agree with what PyTorch's engine really did.
final class RealTraceTests: XCTestCase {
    private static let tracesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Traces")

    private func traces() throws -> [(name: String, debugger: Debugger)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.tracesDirectory.path)
            .filter { $0.hasSuffix(".tdt") }.sorted()
        XCTAssertFalse(files.isEmpty)
        return try files.map { file in
            let tape = try TraceReader.read(contentsOf: Self.tracesDirectory.appendingPathComponent(file).path)
            return (String(file.dropLast(4)), try Debugger(tape: tape))
        }
    }

    /// Same nodes in the same order as PyTorch's engine ran them, and the same failing node, slot
    /// and message wherever a saved tensor could not be unpacked.
    func testReplayMatchesPyTorchsEngine() throws {
        var failing = 0
        for (name, debugger) in try traces() {
            let engine = EngineRecord(tape: debugger.tape)
            for replay in debugger.replays {
                let id = replay.call.id
                let ran = engine.runs(backward: id)
                if !ran.isEmpty {
                    XCTAssertEqual(replay.steps.map(\.node), ran, "\(name): node order of backward #\(id)")
                }
                guard let end = engine.end(backward: id), let node = end.failedNode, end.failedSlot != nil else {
                    XCTAssertNil(replay.failure, "\(name): backward #\(id) did not fail on an unpack in PyTorch")
                    continue
                }
                failing += 1
                XCTAssertEqual(replay.failure?.node, node, "\(name): failing node of backward #\(id)")
                XCTAssertEqual(replay.failure?.saved.slot, end.failedSlot, "\(name): failing slot of backward #\(id)")
                XCTAssertEqual(replay.failure?.message, end.message, "\(name): message of backward #\(id)")
            }
        }
        XCTAssertGreaterThanOrEqual(failing, 15)
    }

    /// The first diagnosis blames each case's hand-checked culprit line.
    func testCulpritLinesFromRealTraces() throws {
        var checked = 0
        for (name, debugger) in try traces() {
            guard let line = try ConformanceCase(name: name).expected.culprit_line else { continue }
            checked += 1
            XCTAssertEqual(debugger.explain().diagnoses.first?.culprit?.site.line, line, "\(name): culprit line")
        }
        XCTAssertGreaterThanOrEqual(checked, 15)
    }

    /// A write through `.data` is reported as a warning and the run still exits 0.
    func testDataWriteIsASilentMutationWarning() throws {
        let debugger = try XCTUnwrap(traces().first { $0.name == "data_does_not_share_version" }?.debugger)
        let report = debugger.explain()
        XCTAssertEqual(report.diagnoses.map(\.kind), [.silentMutation])
        XCTAssertEqual(report.diagnoses.first?.culprit?.site.line, 6)
        XCTAssertEqual(report.exitStatus, 0)
    }
}
