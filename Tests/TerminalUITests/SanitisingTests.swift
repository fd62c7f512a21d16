import Debugger
import Foundation
import Tape
import XCTest
@testable import TerminalUI

/// A trace file is untrusted: no control character or escape sequence in it may reach a cell.
final class SanitisingTests: XCTestCase {
    static let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07}x\u{1B}[31m\t\r\u{9B}\u{202E}"

    func hostileTape() -> Tape {
        let evil = SanitisingTests.hostile
        var tape = Tape(header: TraceHeader(producer: evil, path: "evil\u{1B}[H.py", source: "x = 1\(evil)\ny = x * x\(evil)\n"))
        let events: [Event] = [
            .tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [2], dtype: "float\(evil)", requiresGrad: true, values: [1, 2])),
            .binding(Binding(name: "x\(evil)", tensor: 0, line: 1)),
            .node(NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr, op: nil, next: [], variable: 0)),
            .tensor(TensorInfo(id: 1, counter: 1, storage: 1, shape: [2], dtype: "float32", requiresGrad: true, values: [1, 4])),
            .op(OpRecord(index: 0, name: "aten::mul\(evil)", call: "*\(evil)", site: CallSite(line: 2, file: nil, frame: "f\(evil)"), gradMode: true,
                         inputs: [TensorVersion(tensor: 0, version: 0), TensorVersion(tensor: 0, version: 0)], outputs: [TensorVersion(tensor: 1, version: 0)])),
            .node(NodeRecord(id: 1, name: "Mul\(evil)Backward0", sequenceNr: 0, op: 0, next: [Edge(node: 0, inputNr: 0), Edge(node: 0, inputNr: 0)])),
            .save(SavedSlot(node: 1, slot: "self\(evil)", tensor: 0, savedVersion: 0, isOutput: false, shape: [2])),
            .gradFn(GradFnChange(tensor: 1, node: 1, outputNr: 0, requiresGrad: true, version: 0)),
            .binding(Binding(name: "y\(evil)", tensor: 1, line: 2)),
            .output("printed \(evil)\n"),
            .error(RaisedError(type: "Runtime\(evil)Error", message: "boom \(evil)", site: CallSite(line: 2))),
            .exit(code: 1),
        ]
        for event in events {
            tape.append(event)
        }
        return tape
    }

    func assertClean(_ buffer: Buffer, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for cell in buffer.cells {
            for scalar in cell.symbol.unicodeScalars {
                let value = scalar.value
                XCTAssertFalse(scalar.isTerminalUnsafe,
                               "\(what): U+\(String(value, radix: 16)) reached a cell", file: file, line: line)
            }
        }
    }

    func testNoControlCharacterReachesAnyPaneOrOverlay() {
        var state = SampleTapes.state(hostileTape())
        assertClean(state.render(width: 120, height: 40), "start")
        state.reduce(.character("e"))
        assertClean(state.render(width: 120, height: 40), "at the error")
        for pane in 0..<Pane.allCases.count {
            state.reduce(.enter)
            assertClean(state.render(width: 120, height: 40), "details of pane \(pane)")
            state.reduce(.escape)
            state.reduce(.tab)
        }
        state.reduce(.character("/"))
        for character in "x\u{1B}[31m" {
            state.reduce(.character(character))
        }
        assertClean(state.render(width: 120, height: 40), "search prompt")
        XCTAssertTrue(state.render(width: 120, height: 40).lines.joined().contains("\u{FFFD}"))
    }

    /// `Tests/BadInputs/traces/injected-escapes.tdt` carries OSC 52 (a clipboard write), OSC 0 and 2
    /// (title changes), CSI (clear screen, colour), a C1 CSI and bidi overrides in its path,
    /// producer, source, variable names, frame, call and error message. The screen at the failure is
    /// a golden: every sequence is dropped whole or shown as `�`, and the layout is intact.
    func testInjectedSequencesNeverReachTheScreen() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../BadInputs/traces/injected-escapes.tdt").standardizedFileURL.path
        var state = DebuggerState(debugger: try Debugger(tape: try TraceReader.read(contentsOf: path)))
        state.reduce(.character("e"))
        let screen = state.render(width: 100, height: 30)
        assertClean(screen, "at the failure")
        assertGolden(screen, "injected-escapes-failure-100x30")
        for pane in 0..<Pane.allCases.count {
            state.reduce(.enter)
            assertClean(state.render(width: 100, height: 30), "details of pane \(pane)")
            state.reduce(.escape)
            state.reduce(.tab)
        }
    }
}
