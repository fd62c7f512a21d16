import Autograd
import Tape
import XCTest

/// What the runtime reports to the tape: tensors, ops, nodes, saves, bumps and backward steps.
final class TapeEventTests: XCTestCase {
    private func events(_ rt: Runtime) -> [Event] {
        (0..<rt.recorder.tape.count).map { rt.recorder.tape[$0] }
    }

    func testEveryIdIsAnnouncedBeforeUse() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let a = try x.mul(2)
        let v = try a.getitem([.slice(start: 0, stop: 2, step: nil)])
        try v.mul_(3)
        try a.sum().backward()
        var tensors = Set<Int>()
        var nodes = Set<Int>()
        for event in events(rt) {
            switch event {
            case .tensor(let info):
                XCTAssertEqual(info.id, tensors.count)
                if let base = info.base { XCTAssertTrue(tensors.contains(base)) }
                tensors.insert(info.id)
            case .node(let record):
                XCTAssertEqual(record.id, nodes.count)
                for edge in record.next.compactMap({ $0 }) { XCTAssertTrue(nodes.contains(edge.node)) }
                nodes.insert(record.id)
            case .op(let op):
                for tv in op.inputs + op.outputs { XCTAssertTrue(tensors.contains(tv.tensor)) }
            case .save(let slot):
                XCTAssertTrue(nodes.contains(slot.node))
                XCTAssertTrue(tensors.contains(slot.tensor))
            case .gradFn(let change):
                XCTAssertTrue(tensors.contains(change.tensor))
                if let node = change.node { XCTAssertTrue(nodes.contains(node)) }
            case .nodeRun(let run):
                XCTAssertTrue(nodes.contains(run.node))
            default:
                break
            }
        }
    }

    func testInPlaceOnViewRecordsBumpCopySlicesAndAsStrided() throws {
        let rt = Runtime()
        let x = try rt.ones([4], requiresGrad: true)
        let a = try x.mul(2)
        let b = try a.getitem([.slice(start: 1, stop: 3, step: nil)])
        let before = rt.recorder.tape.count
        try b.mul_(10)
        let recorded = Array(events(rt)[before...])
        guard case .op(let op) = recorded.first(where: { if case .op = $0 { true } else { false } }) else {
            return XCTFail("no op recorded")
        }
        XCTAssertEqual(op.name, "aten::mul_.Tensor")
        XCTAssertTrue(op.isInPlace)
        XCTAssertEqual(op.outputs.map(\.version), [1])
        let nodeNames = recorded.compactMap { event -> String? in if case .node(let n) = event { n.name } else { nil } }
        XCTAssertEqual(nodeNames, ["MulBackward0", "torch::autograd::CopySlices", "AsStridedBackward0"])
        let bumps = recorded.compactMap { event -> VersionBump? in if case .bump(let b) = event { b } else { nil } }
        XCTAssertEqual(bumps.map { [$0.from, $0.to, $0.op] }, [[0, 1, op.index]])
        let changes = recorded.compactMap { event -> GradFnChange? in if case .gradFn(let c) = event { c } else { nil } }
        XCTAssertEqual(changes.count, 2)
        XCTAssertEqual(changes.map(\.version), [1, 1])
    }

    func testViewsShareCounterAndDataDoesNot() throws {
        let rt = Runtime()
        let x = try rt.ones([2, 2], requiresGrad: true)
        let a = try x.mul(1)
        let t = try a.t()
        let d = a.data
        try d.zero_()
        var infos = [Int: TensorInfo]()
        for case .tensor(let info) in events(rt) { infos[info.id] = info }
        let byShapeCounter = infos.values.sorted { $0.id < $1.id }
        let aInfo = byShapeCounter[1]
        let tInfo = byShapeCounter.first { $0.base == aInfo.id }!
        XCTAssertEqual(tInfo.counter, aInfo.counter)
        XCTAssertEqual(tInfo.storage, aInfo.storage)
        let dInfo = byShapeCounter.last!
        XCTAssertEqual(dInfo.storage, aInfo.storage)
        XCTAssertNotEqual(dInfo.counter, aInfo.counter)
        XCTAssertEqual([t.version, d.version], [0, 1])
    }

    func testSavesAreRecordedInDeclarationOrder() throws {
        let rt = Runtime()
        let b = try rt.ones([2], requiresGrad: true)
        let e = try rt.ones([2], requiresGrad: true)
        _ = try b.pow(e)
        let slots = events(rt).compactMap { event -> SavedSlot? in if case .save(let s) = event { s } else { nil } }
        XCTAssertEqual(slots.map(\.slot), ["exponent", "self", "result"])
        XCTAssertEqual(slots.map(\.isOutput), [false, false, true])
    }

    func testBackwardRecordsRunsReleasesAndEnd() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        let loss = try x.exp().sum()
        let before = rt.recorder.tape.count
        try loss.backward()
        let kinds = events(rt)[before...].map { event -> String in
            switch event {
            case .backward: "backward"
            case .nodeRun: "run"
            case .nodeResult: "result"
            case .release: "release"
            case .backwardEnd(let end): end.message == nil ? "end" : "failed"
            default: "other"
            }
        }
        XCTAssertEqual(kinds, ["backward", "run", "result", "run", "release", "result", "run", "result", "end"])
        assertThrows("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.") {
            try loss.backward()
        }
    }

    func testInterpreterCallAndSiteAreUsed() throws {
        let rt = Runtime()
        rt.recorder.site = CallSite(line: 7, column: 1, endColumn: 7)
        rt.recorder.call = "+="
        let x = try rt.zeros([2])
        try x.add_(1)
        let ops = events(rt).compactMap { event -> OpRecord? in if case .op(let op) = event { op } else { nil } }
        XCTAssertEqual(ops.last?.call, "+=")
        XCTAssertEqual(ops.last?.site.line, 7)
    }
}
