import XCTest
@testable import Tape

final class TapeStoreTests: XCTestCase {
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

    func testKindsReadWithoutDecodingMatchDecodedEvents() throws {
        for tape in [sampleTape(), try TraceReader.decode(TraceWriter.encode(sampleTape()), file: "t.tdt")] {
            XCTAssertEqual(tape.kind(at: 4), .op)
            XCTAssertEqual(tape.map(\.kind), (0..<tape.count).map { tape.kind(at: $0) })
        }
    }

    /// Events name the real line of their file, past blank lines and lines of skipped kinds.
    func testTraceLinesCountBlankAndSkippedLines() throws {
        let header = #"{"format":"tapedeck-trace","version":"1.0"}"#
        let text = [header, #"{"k":"exit","code":0}"#, "", #"{"k":"sync","vc":0}"#, #"{"k":"exit","code":1}"#,
                    #"{"k":"exit","code":2}"#, "  ", "", #"{"k":"exit","code":3}"#].joined(separator: "\n")
        let tape = try TraceReader.decode(Array(text.utf8), file: "lines.tdt")
        XCTAssertEqual(tape.indices.map { tape.traceLine(ofEvent: $0) }, [2, 5, 6, 9])
        XCTAssertNil(sampleTape().traceLine(ofEvent: 0), "a tape built in memory has no file lines")
    }

    /// The two reader threads' halves join with the second half's lines offset by the first's.
    func testTraceLinesSurviveTheSplitIntoTwoHalves() throws {
        let tape = ValidTraceGenerator.tape(seed: 3, events: 12_000)
        var lines = TraceWriter.encode(tape).split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        for position in stride(from: lines.count - 2, to: 1, by: -97) { lines.insert(Array(#"{"k":"sync"}"#.utf8), at: position) }
        let text = Array(lines.joined(separator: [10]))
        XCTAssertGreaterThan(text.count, 1 << 20, "large enough to be parsed in two halves")
        let read = try TraceReader.load(text, file: "big.tdt")
        XCTAssertEqual(read.count, tape.count)
        var expected: [Int] = []
        for (index, line) in lines.enumerated() where index > 0 && !line.isEmpty && line != Array(#"{"k":"sync"}"#.utf8) {
            expected.append(index + 1)
        }
        XCTAssertEqual(read.indices.map { read.traceLine(ofEvent: $0)! }, expected)
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
