import XCTest
@testable import Tape

/// The field-only reads (`scan(into:)`, `summary(at:)`, `forEachTensorVersion(ofOpAt:_:)`) must
/// give exactly the fields the full decoder gives, on arbitrary events and on events read back
/// from a trace file.
final class EventSummaryTests: XCTestCase {
    func testFieldReadsAgreeWithTheFullDecoderOnGeneratedEvents() throws {
        var generator = EventGenerator(seed: 7)
        var tape = Tape(header: TraceHeader(producer: "p", path: "p.py", source: ""))
        for _ in 0..<5_000 { tape.append(generator.event()) }
        let read = try TraceReader.decode(TraceWriter.encode(tape), file: "summary.tdt")
        for checked in [tape, read] { assertAgrees(checked) }
    }

    /// A trace line that repeats a list key keeps its last copy, in the field reads as in the decoder.
    func testRepeatedListFieldsCountByTheirLastCopy() throws {
        let text = [
            #"{"format":"tapedeck-trace","version":"1.0"}"#,
            #"{"k":"tensor","t":0,"vc":0,"st":0,"shape":[],"dtype":"float32","rg":true}"#,
            #"{"k":"node","n":0,"name":"A","seq":1,"next":[null],"next":[]}"#,
            #"{"k":"node","n":1,"name":"B","seq":2,"next":[[0,0]],"next":[[0,1],null]}"#,
            #"{"k":"op","i":0,"name":"aten::x","line":1,"grad":true,"in":[[0,0]],"out":[],"in":[[0,3]],"out":[[0,4]]}"#,
        ].joined(separator: "\n")
        let tape = try TraceReader.decode(Array(text.utf8), file: "repeat.tdt")
        assertAgrees(tape)
    }

    /// The scan reads an event whose fields are stored in the writer's order (its in-order
    /// reads) and the same event with its fields in reverse order (its field loop) alike.
    func testFieldsInAnyOrderReadAlike() {
        var generator = EventGenerator(seed: 11)
        var tape = Tape(header: TraceHeader(producer: "p", path: "p.py", source: ""))
        for _ in 0..<2_000 { tape.append(generator.event()) }
        var reversed = tape
        reversed.store = EventStore()
        reversed.store.strings = tape.store.strings
        tape.store.bytes.withUnsafeBufferPointer { bytes in
            for index in 0..<tape.count {
                let range = tape.store.fieldRange(of: index)
                let kind = tape.kind(at: index)
                var c = EventCursor(base: bytes.baseAddress!, position: range.lowerBound, end: range.upperBound)
                var fields: [Range<Int>] = []
                while let field = c.field() {
                    let start = c.position - 1
                    if let type = TraceSchema.shared.type(of: field, in: kind) { c.skip(type) }
                    fields.append(start..<c.position)
                }
                reversed.store.begin(kind)
                for field in fields.reversed() { reversed.store.bytes.append(contentsOf: bytes[field]) }
            }
        }
        XCTAssertNotEqual(reversed.store.bytes, tape.store.bytes)
        XCTAssertEqual(try ScanRecorder.visits(of: reversed), try ScanRecorder.visits(of: tape))
        assertAgrees(reversed)
    }

    /// A scan stops at the first error its visitor throws, and hands on nothing after it.
    func testScanStopsAtTheVisitorsError() {
        var generator = EventGenerator(seed: 3)
        var tape = Tape(header: TraceHeader(producer: "p", path: "p.py", source: ""))
        for _ in 0..<50 { tape.append(generator.event()) }
        var recorder = ScanRecorder(tape: tape, stop: 20)
        XCTAssertThrowsError(try tape.scan(into: &recorder)) { XCTAssertEqual($0 as? ScanRecorder.Stop, ScanRecorder.Stop(position: 20)) }
        XCTAssertEqual(recorder.visits.map(\.position), Array(0...20))
    }

    /// Every event of `tape`, as the scan hands it to a visitor, agrees with the full decoder,
    /// as do `summary(at:)` and `forEachTensorVersion(ofOpAt:_:)`; the kind counts with the kinds.
    private func assertAgrees(_ tape: Tape, file: StaticString = #filePath, line: UInt = #line) {
        let visits: [ScanRecorder.Visit]
        do {
            visits = try ScanRecorder.visits(of: tape)
        } catch {
            return XCTFail("scan failed: \(error)", file: file, line: line)
        }
        XCTAssertEqual(visits.map(\.position), Array(tape.indices), file: file, line: line)
        for visit in visits {
            XCTAssertEqual(visit.fields, ScanRecorder.fields(decoding: tape, at: visit.position), "event \(visit.position)", file: file, line: line)
            assertAgrees(tape, at: visit.position, file: file, line: line)
        }
        var counts = [Int](repeating: 0, count: Event.Kind.allCases.count)
        for position in tape.indices { counts[Int(tape.kind(at: position).rawValue)] += 1 }
        XCTAssertEqual(tape.kindCounts(), counts, file: file, line: line)
    }

    /// `summary(at:)` and `forEachTensorVersion(ofOpAt:_:)` of event `position` against the full decoder.
    private func assertAgrees(_ tape: Tape, at position: Int, file: StaticString, line: UInt) {
        let summary = tape.summary(at: position)
        var inputs: [TensorVersion] = []
        var outputs: [TensorVersion] = []
        tape.forEachTensorVersion(ofOpAt: position) { seen, isOutput in
            if isOutput { outputs.append(seen) } else { inputs.append(seen) }
        }
        let name = summary.name.map(tape.internedString)
        XCTAssertEqual(summary.kind, tape.kind(at: position), file: file, line: line)
        switch tape[position] {
        case let .tensor(t):
            XCTAssertEqual([summary.tensor, summary.counter, summary.storage, summary.base], [t.id, t.counter, t.storage, t.base], file: file, line: line)
            XCTAssertEqual(summary.requiresGrad, t.requiresGrad, file: file, line: line)
        case let .op(o):
            XCTAssertEqual(summary.op, o.index, file: file, line: line)
            XCTAssertEqual(name, o.name, file: file, line: line)
            XCTAssertEqual(summary.call.map(tape.internedString) ?? "", o.call, file: file, line: line)
            XCTAssertEqual(summary.line, o.site.line, file: file, line: line)
            XCTAssertEqual(inputs, o.inputs, file: file, line: line)
            XCTAssertEqual(outputs, o.outputs, file: file, line: line)
        case let .node(n):
            XCTAssertEqual([summary.node, summary.op, summary.variable], [n.id, n.op, n.variable], file: file, line: line)
            XCTAssertEqual(name, n.name, file: file, line: line)
            XCTAssertEqual(summary.sequenceNr, n.sequenceNr, file: file, line: line)
        case let .gradFn(g):
            XCTAssertEqual([summary.tensor, summary.node, summary.outputNr, summary.version], [g.tensor, g.node, g.outputNr, g.version], file: file, line: line)
            XCTAssertEqual(summary.requiresGrad, g.requiresGrad, file: file, line: line)
        case let .save(s):
            XCTAssertEqual([summary.node, summary.tensor, summary.version, summary.outputNr], [s.node, s.tensor, s.savedVersion, s.outputNr], file: file, line: line)
            XCTAssertEqual(summary.slot.map(tape.internedString), s.slot, file: file, line: line)
            XCTAssertEqual(summary.isOutput, s.isOutput, file: file, line: line)
        case let .bump(b):
            XCTAssertEqual([summary.counter, summary.tensor, summary.from, summary.to, summary.op], [b.counter, b.tensor, b.from, b.to, b.op], file: file, line: line)
        case let .values(v):
            XCTAssertEqual(summary.tensor, v.tensor, file: file, line: line)
        case let .binding(b):
            XCTAssertEqual([summary.tensor, summary.line], [b.tensor, b.line], file: file, line: line)
            XCTAssertEqual(name, b.name, file: file, line: line)
        case let .nodeRun(r):
            XCTAssertEqual([summary.backward, summary.node], [r.backward, r.node], file: file, line: line)
        case let .nodeResult(r):
            XCTAssertEqual([summary.backward, summary.node], [r.backward, r.node], file: file, line: line)
        case let .release(node):
            XCTAssertEqual(summary.node, node, file: file, line: line)
        case let .backward(b):
            XCTAssertEqual([summary.backward, summary.line], [b.id, b.site.line], file: file, line: line)
        case let .backwardEnd(e):
            XCTAssertEqual(summary.backward, e.backward, file: file, line: line)
            XCTAssertEqual(summary.slot.map(tape.internedString), e.failedSlot, file: file, line: line)
        case let .error(e):
            XCTAssertEqual([summary.backward, summary.line], [e.backward, e.site.line], file: file, line: line)
        case .output, .exit:
            break
        }
        if summary.kind != .op { XCTAssertTrue(inputs.isEmpty && outputs.isEmpty, file: file, line: line) }
    }
}
