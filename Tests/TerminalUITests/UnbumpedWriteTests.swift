import Debugger
import Tape
import XCTest
@testable import TerminalUI

/// A fused optimizer kernel's write moves no version counter (a bump from v0 to v0 in the trace):
/// the tape row says so instead of showing a move from a version to itself.
final class UnbumpedWriteTests: XCTestCase {
    private func fusedStep() -> Tape {
        let source = "import torch\nw = torch.nn.Parameter(torch.ones(3))\nopt = torch.optim.AdamW([w], fused=True)\nopt.step()\n"
        var tape = Tape(header: TraceHeader(producer: "tapedeck tests", path: "fused.py", source: source))
        let events: [Event] = [
            .tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [3], dtype: "float32", requiresGrad: true, values: [1, 1, 1])),
            .binding(Binding(name: "w", tensor: 0, line: 2)),
            .op(OpRecord(index: 0, name: "aten::_fused_adamw_", call: "torch._fused_adamw_", site: CallSite(line: 4, column: 1, endColumn: 11), gradMode: false, inputs: [TensorVersion(tensor: 0, version: 0)], outputs: [], isInPlace: true)),
            .bump(VersionBump(counter: 0, tensor: 0, from: 0, to: 0, op: 0)),
            .exit(code: 0),
        ]
        for event in events {
            tape.append(event)
        }
        return tape
    }

    func testTheTapeRowSaysTheWriteMovedNoVersion() {
        let state = SampleTapes.state(fusedStep())
        let screen = state.render(width: 200, height: 30).lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("in-place t0 v0 (no bump)"), screen)
        XCTAssertFalse(screen.contains("v0→v0"), screen)
    }
}
