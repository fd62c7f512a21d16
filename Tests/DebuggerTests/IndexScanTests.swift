import Foundation
import Tape
import TestSupport
import XCTest
@testable import Debugger

/// The index built by one scan (`Tape.scan(into:)`): events whose fields come in another order
/// than the writers' (read by the scan's field loop) index exactly as the same events in order,
/// every record, timeline and grouping, on every recorded trace and on a long generated chain;
/// and a tape that refers to something never announced throws the first such reference,
/// wherever it is.
final class IndexScanTests: XCTestCase {
    private static let tracesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Traces")

    func testFieldsInAnotherOrderIndexAlikeOnRecordedTraces() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.tracesDirectory.path).filter { $0.hasSuffix(".tdt") }
        XCTAssertFalse(files.isEmpty)
        var reordered = 0
        for file in files.sorted() {
            let tape = try TraceReader.read(contentsOf: Self.tracesDirectory.appendingPathComponent(file).path)
            let (reversed, changed) = try keysReversed(tape)
            if changed { reordered += 1 }
            assertAgree(try TapeIndex(tape), try TapeIndex(reversed), file)
        }
        // Traces that only print have no line of more than two keys: the others must have changed.
        XCTAssertGreaterThan(reordered, files.count / 2)
    }

    func testFieldsInAnotherOrderIndexAlikeOnALongChain() throws {
        let tape = Self.chain(ops: 3_000)
        let (reversed, changed) = try keysReversed(tape)
        XCTAssertTrue(changed)
        assertAgree(try TapeIndex(tape), try TapeIndex(reversed), "chain")
    }

    /// A bad reference early, in the middle and in the last event.
    func testTheFirstBadReferenceIsThrownWhereverItIs() throws {
        let chain = Self.chain(ops: 500)
        for bad in [5, chain.count / 2, chain.count] {
            var tape = Tape(header: chain.header)
            for position in 0..<chain.count {
                if position == bad { tape.append(.release(node: 1_000_000)) }
                tape.append(chain[position])
            }
            if bad == chain.count { tape.append(.release(node: 1_000_000)) }
            XCTAssertThrowsError(try TapeIndex(tape)) { XCTAssertEqual($0 as? DebuggerError, .unknownNode(id: 1_000_000, event: bad)) }
        }
    }

    /// `tape` written as a trace whose event lines keep `"k"` first and give every other key in
    /// reverse order, read back, and whether any line changed.
    private func keysReversed(_ tape: Tape) throws -> (tape: Tape, changed: Bool) {
        let original = TraceWriter.encode(tape)
        let text = Self.keysReversed(original)
        XCTAssertEqual(text.count, original.count)
        return (try TraceReader.decode(text, file: "reversed.tdt"), text != original)
    }

    /// The trace `original` with the keys of each event line but `"k"` in reverse order.
    private static func keysReversed(_ original: [UInt8]) -> [UInt8] {
        let lines = original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var text: [UInt8] = []
        for (number, line) in lines.enumerated() {
            if number > 0 { text.append(UInt8(ascii: "\n")) }
            let pairs = number == 0 ? [] : TraceLinePairs.pairs(line)
            guard pairs.count > 2 else {
                text.append(contentsOf: line)
                continue
            }
            let members = ([pairs[0]] + pairs.dropFirst().reversed()).map { Array("\"\($0.key)\":".utf8) + $0.value }
            text.append(UInt8(ascii: "{"))
            text.append(contentsOf: members.joined(separator: [UInt8(ascii: ",")]))
            text.append(UInt8(ascii: "}"))
        }
        return text
    }

    /// A chain of `ops` multiplications, each with its tensor, node, save, grad_fn change,
    /// binding and values (the `relations` benchmark's shape), an in-place write, and a backward
    /// call whose engine runs and releases are recorded.
    static func chain(ops: Int) -> Tape {
        var tape = Tape(header: TraceHeader(producer: "tests", path: "chain.py", source: "h = h * w\n"))
        tape.append(.tensor(TensorInfo(id: 0, counter: 0, storage: 0, shape: [2], dtype: "float32", requiresGrad: true, values: [1, 2])))
        tape.append(.node(NodeRecord(id: 0, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr, op: nil, next: [], variable: 0)))
        tape.append(.binding(Binding(name: "w", tensor: 0, line: 1)))
        for op in 0..<ops {
            let tensor = op + 1
            tape.append(.tensor(TensorInfo(id: tensor, counter: tensor, storage: tensor, shape: [2], dtype: "float32", requiresGrad: true, values: [1, 2])))
            tape.append(.op(OpRecord(
                index: op, name: "aten::mul.Tensor", call: "*", site: CallSite(line: 1), gradMode: true,
                inputs: [TensorVersion(tensor: tensor - 1, version: 0), TensorVersion(tensor: 0, version: 0)],
                outputs: [TensorVersion(tensor: tensor, version: 0)])))
            tape.append(.node(NodeRecord(
                id: tensor, name: "MulBackward0", sequenceNr: UInt64(op), op: op,
                next: [Edge(node: tensor - 1, inputNr: 0), op % 3 == 0 ? nil : Edge(node: 0, inputNr: 0)])))
            tape.append(.save(SavedSlot(node: tensor, slot: "self", tensor: tensor - 1, savedVersion: 0, isOutput: false, shape: [2])))
            tape.append(.gradFn(GradFnChange(tensor: tensor, node: tensor, outputNr: 0, requiresGrad: true, version: 0)))
            tape.append(.binding(Binding(name: "h", tensor: tensor, line: 1)))
            tape.append(.values(TensorValues(tensor: tensor, shape: [2], values: [1, 2])))
            if op % 100 == 0 { tape.append(.output("step \(op)\n")) }
        }
        tape.append(.op(OpRecord(
            index: ops, name: "aten::add_.Tensor", call: "+=", site: CallSite(line: 1), gradMode: false,
            inputs: [TensorVersion(tensor: 5, version: 0)], outputs: [TensorVersion(tensor: 5, version: 1)], isInPlace: true)))
        tape.append(.bump(VersionBump(counter: 5, tensor: 5, from: 0, to: 1, op: ops)))
        tape.append(.backward(BackwardCall(id: 0, roots: [Edge(node: ops, inputNr: 0)], site: CallSite(line: 1), retainGraph: false)))
        for node in stride(from: ops, through: 0, by: -1) {
            tape.append(.nodeRun(NodeRun(backward: 0, node: node, incoming: [])))
            tape.append(.release(node: node))
        }
        tape.append(.exit(code: 0))
        return tape
    }

    private func assertAgree(_ a: TapeIndex, _ b: TapeIndex, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        func check<T: Equatable>(_ x: T, _ y: T, _ what: String) {
            XCTAssertEqual(x, y, "\(label): \(what)", file: file, line: line)
        }
        check(a.eventCount, b.eventCount, "events")
        check(Array(a.tensors), Array(b.tensors), "tensors")
        check(Array(a.tensorEvents), Array(b.tensorEvents), "tensor events")
        check(a.producers, b.producers, "producers")
        check(Array(a.opEvents), Array(b.opEvents), "op events")
        check(Array(a.opEnds), Array(b.opEnds), "op ends")
        check(Array(a.nodes), Array(b.nodes), "nodes")
        check(Array(a.saveList), Array(b.saveList), "saves")
        check(Array(a.bumpList), Array(b.bumpList), "bumps")
        check(a.firstNodeOfOp, b.firstNodeOfOp, "first nodes")
        check(a.wrapped, b.wrapped, "wrapped")
        check(a.consoleEvents, b.consoleEvents, "console")
        check(a.backwardCalls, b.backwardCalls, "backward calls")
        check(a.backwardEvents, b.backwardEvents, "backward events")
        check(a.backwardEnds.mapValues { [$0.event] }, b.backwardEnds.mapValues { [$0.event] }, "backward ends")
        check(a.errors.map(\.event), b.errors.map(\.event), "errors")
        check(a.firstErrorByBackward, b.firstErrorByBackward, "first errors")
        check(a.exitCode, b.exitCode, "exit code")
        check(a.graph.sequenceNrs, b.graph.sequenceNrs, "sequence numbers")
        for node in a.nodes.indices {
            check(Array(a.graph.next(of: node)), Array(b.graph.next(of: node)), "edges of n\(node)")
            check(Array(a.saves(of: node)), Array(b.saves(of: node)), "saves of n\(node)")
            check(a.runsOfNode[node], b.runsOfNode[node], "runs of n\(node)")
            check(a.resultsOfNode[node], b.resultsOfNode[node], "results of n\(node)")
        }
        for tensor in a.tensors.indices {
            check(Array(a.gradFns[tensor].positions), Array(b.gradFns[tensor].positions), "grad_fn positions of t\(tensor)")
            check(Array(a.gradFns[tensor].values), Array(b.gradFns[tensor].values), "grad_fns of t\(tensor)")
            check(Array(a.values[tensor].positions), Array(b.values[tensor].positions), "values of t\(tensor)")
            check(Array(a.bindings[tensor].positions), Array(b.bindings[tensor].positions), "bindings of t\(tensor)")
            check(a.accumulateRuns[tensor], b.accumulateRuns[tensor], "accumulate runs of t\(tensor)")
            check(a.viewsOfBase[tensor], b.viewsOfBase[tensor], "views of t\(tensor)")
            check(Array(a.storageBumps[a.tensors[tensor].storage].values), Array(b.storageBumps[b.tensors[tensor].storage].values), "storage bumps of t\(tensor)")
        }
        let counters = Set(a.tensors.map(\.counter))
        for counter in counters.sorted() {
            check(Array(a.counterVersions[counter].positions), Array(b.counterVersions[counter].positions), "version positions of c\(counter)")
            check(Array(a.counterVersions[counter].values), Array(b.counterVersions[counter].values), "versions of c\(counter)")
            check(Array(a.counterBumps[counter].values), Array(b.counterBumps[counter].values), "bumps of c\(counter)")
            check(a.tensorsOfCounter[counter], b.tensorsOfCounter[counter], "tensors of c\(counter)")
            check(a.savesOfCounter[counter], b.savesOfCounter[counter], "saves of c\(counter)")
        }
        for op in a.opEvents.indices { check(a.bumpsOfOp[op], b.bumpsOfOp[op], "bumps of op \(op)") }
    }
}
