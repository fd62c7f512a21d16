import ConformanceCases
import Debugger
import Foundation
import Tape
@testable import TerminalUI

/// Hand-built tapes of conformance programs, event for event what a recording of them holds,
/// so the UI is tested before the Script and Debugger modules exist.
enum SampleTapes {
    /// A debugger state over `tape`, which must be a valid tape.
    static func state(_ tape: Tape, glyphs: Glyphs = .unicode) -> DebuggerState {
        do {
            return DebuggerState(debugger: try Debugger(tape: tape), glyphs: glyphs)
        } catch {
            fatalError("invalid sample tape: \(error)")
        }
    }

    static func source(_ name: String) -> String {
        (try? ConformanceCase(name: name).source) ?? ""
    }

    /// The last stderr line real PyTorch printed for the case (`RuntimeError: ...`).
    static func expectedError(_ name: String) -> (type: String, message: String) {
        guard let error = try? ConformanceCase(name: name).expected.error, let colon = error.range(of: ": ")
        else { return ("RuntimeError", "") }
        return (String(error[..<colon.lowerBound]), String(error[colon.upperBound...]))
    }

    /// `saved_input_mul.py`: `a * a` saves `a` twice, `a += 1` bumps it, backward fails in MulBackward0.
    static func savedInputMul() -> Tape {
        let name = "saved_input_mul"
        var tape = Tape(header: TraceHeader(producer: "tapedeck tests", path: "\(name).py", source: source(name)))
        let ones: [Double] = [1, 1, 1, 1, 1]
        let error = expectedError(name)
        let events: [Event] = [
            .tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [5], dtype: "float32", requiresGrad: true, values: ones)),
            .op(OpRecord(index: 0, name: "aten::ones", call: "torch.ones", site: CallSite(line: 3, column: 5, endColumn: 38), gradMode: true, inputs: [], outputs: [TensorVersion(tensor: 0, version: 0)])),
            .binding(Binding(name: "x", tensor: 0, line: 3)),
            .tensor(TensorInfo(id: 1, counter: 1, storage: 1, shape: [5], dtype: "float32", requiresGrad: true, values: [2, 2, 2, 2, 2])),
            .op(OpRecord(index: 1, name: "aten::mul.Tensor", call: "*", site: CallSite(line: 4, column: 5, endColumn: 10), gradMode: true, inputs: [TensorVersion(tensor: 0, version: 0)], outputs: [TensorVersion(tensor: 1, version: 0)])),
            .node(NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr, op: nil, next: [], variable: 0)),
            .node(NodeRecord(id: 1, name: "MulBackward0", sequenceNr: 0, op: 1, next: [Edge(node: 0, inputNr: 0), nil])),
            .gradFn(GradFnChange(tensor: 1, node: 1, outputNr: 0, requiresGrad: true, version: 0)),
            .binding(Binding(name: "a", tensor: 1, line: 4)),
            .tensor(TensorInfo(id: 2, counter: 2, storage: 2, shape: [5], dtype: "float32", requiresGrad: true, values: [4, 4, 4, 4, 4])),
            .op(OpRecord(index: 2, name: "aten::mul.Tensor", call: "*", site: CallSite(line: 5, column: 5, endColumn: 10), gradMode: true, inputs: [TensorVersion(tensor: 1, version: 0), TensorVersion(tensor: 1, version: 0)], outputs: [TensorVersion(tensor: 2, version: 0)])),
            .node(NodeRecord(id: 2, name: "MulBackward0", sequenceNr: 1, op: 2, next: [Edge(node: 1, inputNr: 0), Edge(node: 1, inputNr: 0)])),
            .save(SavedSlot(node: 2, slot: "other", tensor: 1, savedVersion: 0, isOutput: false, shape: [5])),
            .save(SavedSlot(node: 2, slot: "self", tensor: 1, savedVersion: 0, isOutput: false, shape: [5])),
            .gradFn(GradFnChange(tensor: 2, node: 2, outputNr: 0, requiresGrad: true, version: 0)),
            .binding(Binding(name: "y", tensor: 2, line: 5)),
            .tensor(TensorInfo(id: 3, counter: 3, storage: 3, shape: [], dtype: "float32", requiresGrad: true, values: [20])),
            .op(OpRecord(index: 3, name: "aten::sum", call: "Tensor.sum", site: CallSite(line: 6, column: 8, endColumn: 15), gradMode: true, inputs: [TensorVersion(tensor: 2, version: 0)], outputs: [TensorVersion(tensor: 3, version: 0)])),
            .node(NodeRecord(id: 3, name: "SumBackward0", sequenceNr: 2, op: 3, next: [Edge(node: 2, inputNr: 0)])),
            .gradFn(GradFnChange(tensor: 3, node: 3, outputNr: 0, requiresGrad: true, version: 0)),
            .binding(Binding(name: "loss", tensor: 3, line: 6)),
            .output("0 MulBackward0\n"),
            .op(OpRecord(index: 4, name: "aten::add_.Tensor", call: "+=", site: CallSite(line: 8, column: 1, endColumn: 7), gradMode: true, inputs: [TensorVersion(tensor: 1, version: 0)], outputs: [TensorVersion(tensor: 1, version: 1)], isInPlace: true)),
            .bump(VersionBump(counter: 1, tensor: 1, from: 0, to: 1, op: 4)),
            .node(NodeRecord(id: 4, name: "AddBackward0", sequenceNr: 3, op: 4, next: [Edge(node: 1, inputNr: 0)])),
            .gradFn(GradFnChange(tensor: 1, node: 4, outputNr: 0, requiresGrad: true, version: 1)),
            .values(TensorValues(tensor: 1, shape: [5], values: [3, 3, 3, 3, 3])),
            .output("1 AddBackward0\n"),
            .backward(BackwardCall(id: 0, roots: [Edge(node: 3, inputNr: 0)], site: CallSite(line: 10, column: 1, endColumn: 16), retainGraph: false)),
            .nodeRun(NodeRun(backward: 0, node: 3, incoming: [TensorValues(tensor: -1, shape: [], values: [1])])),
            .nodeResult(NodeResult(backward: 0, node: 3, outgoing: [TensorValues(tensor: -1, shape: [5], values: ones)])),
            .nodeRun(NodeRun(backward: 0, node: 2, incoming: [TensorValues(tensor: -1, shape: [5], values: ones)])),
            .backwardEnd(BackwardEnd(backward: 0, failedNode: 2, failedSlot: "other", message: error.message)),
            .error(RaisedError(type: error.type, message: error.message, site: CallSite(line: 10, column: 1, endColumn: 16), backward: 0)),
            .exit(code: 1),
        ]
        for event in events {
            tape.append(event)
        }
        return tape
    }

    /// `seed_example1.py`: `x += 1` on a leaf that requires grad raises during the forward pass.
    static func seedExample1() -> Tape {
        let name = "seed_example1"
        var tape = Tape(header: TraceHeader(producer: "tapedeck tests", path: "\(name).py", source: source(name)))
        let error = expectedError(name)
        let events: [Event] = [
            .tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [5], dtype: "float32", requiresGrad: true, values: [1, 1, 1, 1, 1])),
            .op(OpRecord(index: 0, name: "aten::ones", call: "torch.ones", site: CallSite(line: 4, column: 5, endColumn: 38), gradMode: true, inputs: [], outputs: [TensorVersion(tensor: 0, version: 0)])),
            .binding(Binding(name: "x", tensor: 0, line: 4)),
            .tensor(TensorInfo(id: 1, counter: 1, storage: 1, shape: [5], dtype: "float32", requiresGrad: true, values: [2, 2, 2, 2, 2])),
            .op(OpRecord(index: 1, name: "aten::mul.Tensor", call: "*", site: CallSite(line: 5, column: 5, endColumn: 10), gradMode: true, inputs: [TensorVersion(tensor: 0, version: 0)], outputs: [TensorVersion(tensor: 1, version: 0)])),
            .node(NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr, op: nil, next: [], variable: 0)),
            .node(NodeRecord(id: 1, name: "MulBackward0", sequenceNr: 0, op: 1, next: [nil, Edge(node: 0, inputNr: 0)])),
            .gradFn(GradFnChange(tensor: 1, node: 1, outputNr: 0, requiresGrad: true, version: 0)),
            .binding(Binding(name: "y", tensor: 1, line: 5)),
            .tensor(TensorInfo(id: 2, counter: 2, storage: 2, shape: [], dtype: "float32", requiresGrad: true, values: [10])),
            .op(OpRecord(index: 2, name: "aten::sum", call: "Tensor.sum", site: CallSite(line: 6, column: 8, endColumn: 15), gradMode: true, inputs: [TensorVersion(tensor: 1, version: 0)], outputs: [TensorVersion(tensor: 2, version: 0)])),
            .node(NodeRecord(id: 2, name: "SumBackward0", sequenceNr: 1, op: 2, next: [Edge(node: 1, inputNr: 0)])),
            .gradFn(GradFnChange(tensor: 2, node: 2, outputNr: 0, requiresGrad: true, version: 0)),
            .binding(Binding(name: "loss", tensor: 2, line: 6)),
            .error(RaisedError(type: error.type, message: error.message, site: CallSite(line: 9, column: 1, endColumn: 7))),
            .exit(code: 1),
        ]
        for event in events {
            tape.append(event)
        }
        return tape
    }
}
