import XCTest
@testable import Tape

final class TapeIndexTests: XCTestCase {
    private func sampleTape() -> Tape {
        var tape = Tape(header: TraceHeader(producer: "p", path: "p.py", source: ""))
        tape.append(.tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [5], dtype: "float32", requiresGrad: true)))
        tape.append(.node(NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: .max, op: nil, next: [], variable: 0)))
        tape.append(.op(OpRecord(index: 0, name: "aten::mul.Tensor", call: "*", site: CallSite(line: 3), gradMode: true,
                                 inputs: [TensorVersion(tensor: 0, version: 0)], outputs: [TensorVersion(tensor: 1, version: 0)])))
        tape.append(.tensor(TensorInfo(id: 1, counter: 1, storage: 1, shape: [5], dtype: "float32", requiresGrad: true)))
        tape.append(.op(OpRecord(index: 1, name: "aten::add_.Tensor", call: "+=", site: CallSite(line: 4), gradMode: true,
                                 inputs: [TensorVersion(tensor: 1, version: 0)], outputs: [TensorVersion(tensor: 1, version: 1)], isInPlace: true)))
        tape.append(.op(OpRecord(index: 2, name: "aten::mul_.Tensor", call: "Adam.step", site: CallSite(line: 3, file: "optim.py"),
                                 gradMode: false, inputs: [], outputs: [])))
        tape.append(.op(OpRecord(index: 3, name: "aten::sum", call: "sum", site: CallSite(line: 3), gradMode: true, inputs: [], outputs: [])))
        tape.append(.backward(BackwardCall(id: 0, roots: [], site: CallSite(line: 5), retainGraph: false)))
        tape.append(.tensor(TensorInfo(id: 0, counter: 9, storage: 9, shape: [], dtype: "x", requiresGrad: false)))
        return tape
    }

    func testIndexesFindEventsByIdAndLine() throws {
        for tape in [sampleTape(), try TraceReader.decode(TraceWriter.encode(sampleTape()), file: "t.tdt")] {
            XCTAssertEqual(tape.eventIndex(ofTensor: 0), 0, "the first sighting wins")
            XCTAssertEqual(tape.eventIndex(ofTensor: 1), 3)
            XCTAssertNil(tape.eventIndex(ofTensor: 2))
            XCTAssertNil(tape.eventIndex(ofTensor: -1))
            XCTAssertEqual(tape.eventIndex(ofNode: 0), 1)
            XCTAssertEqual((0..<4).map { tape.eventIndex(ofOp: $0) }, [2, 4, 5, 6])
            XCTAssertEqual(tape.eventIndex(ofBackward: 0), 7)
            XCTAssertEqual(tape.opEvents(atLine: 3), [2, 6], "ops in other files are not lines of the program")
            XCTAssertEqual(tape.opEvents(atLine: 4), [4])
            XCTAssertEqual(tape.opEvents(atLine: 1_000_000), [])
            XCTAssertEqual(tape.kind(at: 4), .op)
            XCTAssertEqual(tape.map(\.kind), (0..<tape.count).map { tape.kind(at: $0) })
        }
    }

    func testSparseIdsStayCheapAndFindable() {
        var tape = Tape(header: TraceHeader(producer: "", path: "", source: ""))
        let ids = [5, 1 << 40, -3, 2, 1 << 20, 3, Int.max]
        for id in ids {
            tape.append(.node(NodeRecord(id: id, name: "N", sequenceNr: 0, op: nil, next: [])))
            tape.append(.op(OpRecord(index: id, name: "a", call: "b", site: CallSite(line: id), gradMode: true, inputs: [], outputs: [])))
        }
        for (position, id) in ids.enumerated() {
            XCTAssertEqual(tape.eventIndex(ofNode: id), 2 * position)
            XCTAssertEqual(tape.eventIndex(ofOp: id), 2 * position + 1)
            XCTAssertEqual(tape.opEvents(atLine: id), [2 * position + 1])
        }
        XCTAssertLessThan(tape.memoryFootprint, 100_000)
    }

    func testTypicalEventsAreCompact() {
        var tape = Tape(header: TraceHeader(producer: "", path: "", source: ""))
        for index in 0..<10_000 {
            tape.append(.op(OpRecord(index: index, name: "aten::mul.Tensor", call: "Tensor.mul", site: CallSite(line: 40 + index % 30, column: 5, endColumn: 20),
                                     gradMode: true, inputs: [TensorVersion(tensor: 2 * index, version: 0), TensorVersion(tensor: 7, version: 3)],
                                     outputs: [TensorVersion(tensor: 2 * index + 1, version: 0)])))
            tape.append(.bump(VersionBump(counter: index, tensor: index, from: 1, to: 2, op: index)))
        }
        tape.trimCapacity()
        XCTAssertLessThan(tape.memoryFootprint / tape.count, 40)
    }
}
