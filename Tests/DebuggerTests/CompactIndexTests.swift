import Foundation
import Tape
import XCTest
@testable import Debugger

/// The index keeps ids, positions and names in 4 bytes (nil as -1): every record and timeline it
/// answers with agrees with what a plain reading of the tape says, each event decoded whole
/// (`Tape[_:]`), on every recorded trace and on a long generated chain with an in-place write
/// and a backward call.
final class CompactIndexTests: XCTestCase {
    private static let tracesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Traces")

    func testRecordsAgreeWithTheDecodedEventsOfRecordedTraces() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.tracesDirectory.path).filter { $0.hasSuffix(".tdt") }
        XCTAssertFalse(files.isEmpty)
        for file in files.sorted() {
            let tape = try TraceReader.read(contentsOf: Self.tracesDirectory.appendingPathComponent(file).path)
            try assertAgreesWithDecodedEvents(tape, file)
        }
    }

    func testRecordsAgreeWithTheDecodedEventsOfALongChain() throws {
        try assertAgreesWithDecodedEvents(IndexScanTests.chain(ops: 3_000), "chain")
    }

    /// What the index answers, checked against the events decoded one by one.
    private func assertAgreesWithDecodedEvents(_ tape: Tape, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let index = try TapeIndex(tape)
        var tensors: [TensorInfo] = []
        var producers: [Int?] = []
        var nodes: [(record: NodeRecord, event: Int)] = []
        var saves: [(slot: SavedSlot, event: Int)] = []
        var gradFns: [Int: [(change: GradFnChange, event: Int)]] = [:]
        var bindings: [Int: [Int]] = [:]
        var firstNodes: [Int: Int] = [:]
        for position in 0..<tape.count {
            switch tape[position] {
            case let .tensor(info):
                tensors.append(info)
                producers.append(nil)
            case let .op(record):
                for output in record.outputs where producers[output.tensor] == nil { producers[output.tensor] = record.index }
            case let .node(record):
                nodes.append((record, position))
                if let op = record.op, firstNodes[op] == nil { firstNodes[op] = record.id }
            case let .save(slot): saves.append((slot, position))
            case let .gradFn(change): gradFns[change.tensor, default: []].append((change, position))
            case let .binding(binding): bindings[binding.tensor, default: []].append(position)
            default: break
            }
        }
        func check<T: Equatable>(_ x: T, _ y: T, _ what: String) {
            XCTAssertEqual(x, y, "\(label): \(what)", file: file, line: line)
        }
        check(index.tensors.count, tensors.count, "tensor count")
        for (id, info) in tensors.enumerated() {
            let record = index.tensors[id]
            check([record.counter, record.storage], [info.counter, info.storage], "counter and storage of t\(id)")
            check(record.base, info.base, "base of t\(id)")
            check(record.requiresGrad, info.requiresGrad, "requires_grad of t\(id)")
            check(index.producer(of: id), producers[id], "producer of t\(id)")
            let changes = gradFns[id] ?? []
            check(index.gradFns[id].positions.map(Int.init), changes.map(\.event), "grad_fn positions of t\(id)")
            check(index.gradFns[id].values.map(\.node), changes.map(\.change.node), "grad_fn nodes of t\(id)")
            check(index.gradFns[id].values.map(\.outputNr), changes.map(\.change.outputNr), "grad_fn output numbers of t\(id)")
            check(index.gradFns[id].values.map(\.version), changes.map(\.change.version), "grad_fn versions of t\(id)")
            check(index.gradFns[id].values.map(\.requiresGrad), changes.map(\.change.requiresGrad), "grad_fn requires_grad of t\(id)")
            check(index.bindings[id].positions.map(Int.init), bindings[id] ?? [], "bindings of t\(id)")
        }
        check(index.nodes.count, nodes.count, "node count")
        for (id, node) in nodes.enumerated() {
            check(index.nodes[id].event, node.event, "event of n\(id)")
            check(index.node(id), NodeRecord(
                id: id, name: node.record.name, sequenceNr: node.record.sequenceNr, op: node.record.op,
                next: node.record.next, variable: node.record.variable), "n\(id)")
            let own = saves.filter { $0.slot.node == id }
            check(index.saves(of: id).map(\.event), own.map(\.event), "saves of n\(id)")
            check(index.saves(of: id).map { index.slotName(of: $0) }, own.map(\.slot.slot), "slots of n\(id)")
        }
        check(index.saveList.count, saves.count, "save count")
        for (i, save) in saves.enumerated() {
            let record = index.saveList[i]
            check([record.node, record.tensor, record.savedVersion, record.outputNr, record.event],
                  [save.slot.node, save.slot.tensor, save.slot.savedVersion, save.slot.outputNr, save.event], "save \(i)")
            check(record.isOutput, save.slot.isOutput, "save \(i) is an output")
        }
        for op in 0..<index.opCount { check(index.firstNode(ofOp: op), firstNodes[op], "first node of op \(op)") }
    }
}
