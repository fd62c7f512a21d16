import XCTest
@testable import Tape

final class RoundTripTests: XCTestCase {
    private let header = TraceHeader(producer: "tapedeck test", path: "dir/prog \"1\".py", source: "import torch\nx = 1\t# é 😀\n")

    private func roundTrip(_ tape: Tape, file: StaticString = #filePath, line: UInt = #line) throws -> Tape {
        let text = TraceWriter.encode(tape)
        return try TraceReader.decode(text, file: "test.tdt")
    }

    func testGeneratedEventsSurviveStorageAndTraceFile() throws {
        for seed in 0..<8 as Range<UInt64> {
            var generator = EventGenerator(seed: seed)
            let events = (0..<1500).map { _ in generator.event() }
            var tape = Tape(header: header)
            for event in events { tape.append(event) }
            XCTAssertEqual(Array(tape), events, "in-memory storage, seed \(seed)")
            let read = try roundTrip(tape)
            XCTAssertEqual(read.count, events.count)
            for (index, event) in events.enumerated() where read[index] != event {
                XCTFail("seed \(seed) event \(index): wrote \(event), read \(read[index])")
                break
            }
            XCTAssertEqual(read, tape)
        }
    }

    /// Traces over 1 MB are parsed in two halves on two threads and merged.
    func testLargeTraceParsedInTwoHalvesMatches() throws {
        var generator = EventGenerator(seed: 42)
        var tape = Tape(header: header)
        while tape.count < 20_000 { tape.append(generator.event()) }
        var text = TraceWriter.encode(tape)
        XCTAssertGreaterThan(text.count, 1 << 20)
        let read = try TraceReader.decode(text, file: "big.tdt")
        XCTAssertEqual(read, tape)

        let lineStarts = [0] + text.indices.filter { text[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
        let badLine = lineStarts.count * 3 / 4
        text.replaceSubrange(lineStarts[badLine - 1]..<lineStarts[badLine] - 1, with: Array(#"{"k":"exit","code":"x"}"#.utf8))
        XCTAssertThrowsError(try TraceReader.decode(text, file: "big.tdt")) { error in
            XCTAssertEqual((error as? TraceError)?.description,
                           #"big.tdt:\#(badLine): field "code" of "exit" must be an integer, found '"'"#)
        }
    }

    func testEdgeCases() throws {
        let events: [Event] = [
            .node(NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: .max, op: nil, next: [], variable: 0)),
            .node(NodeRecord(id: 1, name: "MulBackward0", sequenceNr: .max - 1, op: 0, next: [nil, Edge(node: 0, inputNr: 0), nil])),
            .node(NodeRecord(id: 2, name: "", sequenceNr: 0, op: nil, next: [])),
            .tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [], dtype: "float32", requiresGrad: false)),
            .tensor(TensorInfo(id: .max, counter: .min, storage: -1, shape: [0, .max], dtype: "", requiresGrad: true,
                               base: .min, isParameter: true, values: [-0.0, 0, .infinity, -.infinity, Double(bitPattern: 1), 1.7976931348623157e308, 0.1, 1e22, 1e23])),
            .output(""),
            .output("quote \" backslash \\ slash / nul \u{0} bell \u{7} del \u{7F} newline \n cr \r tab \t ff \u{C} bs \u{8}"),
            .output("é 日本 😀 \u{2028}\u{2029} \u{FEFF} \u{10FFFF}"),
            .error(RaisedError(type: "RuntimeError", message: "one of the variables needed...", site: .unknown)),
            .error(RaisedError(type: "E", message: "m", site: CallSite(line: 3, column: 4, endColumn: 9, file: "lib.py", frame: "Adam.step"), backward: 0)),
            .backward(BackwardCall(id: 0, roots: [], site: CallSite(line: 1), retainGraph: false)),
            .nodeRun(NodeRun(backward: 0, node: 1, incoming: [])),
            .nodeRun(NodeRun(backward: 0, node: 1, incoming: Array(repeating: nil, count: 200) + [TensorValues(tensor: 2, shape: [1], values: [3])])),
            .nodeRun(NodeRun(backward: 0, node: 1, incoming: [nil, TensorValues(tensor: -1, shape: [], values: [])])),
            .nodeResult(NodeResult(backward: 0, node: 1, outgoing: [TensorValues(tensor: 3, shape: [2], values: [1, 2]), nil])),
            .backwardEnd(BackwardEnd(backward: 0)),
            .backwardEnd(BackwardEnd(backward: 0, failedNode: 1, failedSlot: "", message: "")),
            .gradFn(GradFnChange(tensor: 1, node: nil, outputNr: 0, requiresGrad: false, version: 0)),
            .save(SavedSlot(node: 1, slot: "result", tensor: 2, savedVersion: 0, isOutput: true, outputNr: 0, shape: [])),
            .op(OpRecord(index: 0, name: "aten::mul", call: "*", site: .unknown, gradMode: false, inputs: [], outputs: [])),
            .release(node: 1),
            .exit(code: -1),
        ]
        var tape = Tape(header: TraceHeader(producer: "", path: "", source: ""))
        for event in events { tape.append(event) }
        XCTAssertEqual(Array(tape), events)
        XCTAssertEqual(Array(try roundTrip(tape)), events)
    }

    func testNaNSurvivesAsNaN() throws {
        var tape = Tape(header: header)
        tape.append(.values(TensorValues(tensor: 0, shape: [2], values: [.nan, 1])))
        guard case .values(let values) = try roundTrip(tape)[0] else { return XCTFail("not values") }
        XCTAssertTrue(values.values[0].isNaN)
        XCTAssertEqual(values.values[1], 1)
    }

    func testWriterEscapesControlCharactersAndWritesNumbersCompactly() {
        var tape = Tape(header: TraceHeader(producer: "p", path: "a.py", source: "s"))
        tape.append(.output("a\u{1}b\"\n"))
        tape.append(.values(TensorValues(tensor: 4, shape: [5], values: [2, -0.0, 0.5, .nan, -.infinity])))
        tape.append(.node(NodeRecord(id: 2, name: "torch::autograd::AccumulateGrad", sequenceNr: .max, op: nil, next: [], variable: 0)))
        let lines = String(decoding: TraceWriter.encode(tape), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines, [
            #"{"format":"tapedeck-trace","version":"1.0","producer":"p","path":"a.py","source":"s"}"#,
            #"{"k":"print","text":"a\u0001b\"\n"}"#,
            #"{"k":"values","t":4,"shape":[5],"val":[2,-0.0,0.5,"nan","-inf"]}"#,
            #"{"k":"node","n":2,"name":"torch::autograd::AccumulateGrad","seq":18446744073709551615,"var":0}"#,
        ])
    }

    func testWriteToFileThenReadContentsOf() throws {
        let tape = ValidTraceGenerator.tape(seed: 99, events: 300)
        let path = NSTemporaryDirectory() + "tapedeck-roundtrip-\(getpid()).tdt"
        defer { unlink(path) }
        try TraceWriter.write(tape, toFile: path)
        XCTAssertEqual(try TraceReader.read(contentsOf: path), tape)
    }
}
