import Autograd
import Tape
import XCTest

/// Sequence numbers, engine order (reference §5.2) and what the tape records during backward.
final class EngineTests: XCTestCase {
    /// Mirrors a PyTorch probe: node creation order, including CopySlices and lazily rebuilt views.
    func testSequenceNumbersFollowPyTorch() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let base = try x.mul(1).gradFn!.sequenceNr
        func seq(_ t: Tensor) -> UInt64 { t.gradFn!.sequenceNr - base }
        let a = try x.mul(2)
        let b = try a.sin()
        let c = try a.cos()
        let e = try b.add(.tensor(c))
        XCTAssertEqual([a, b, c, e].map(seq), [1, 2, 3, 4])
        let c2 = try x.mul(1)
        let v = try c2.getitem([.int(0)])
        try v.add_(1)
        XCTAssertEqual([seq(c2), seq(v)], [8, 9])
        let y = try x.mul(1)
        try y.setitem([.int(0)], 5.0)
        XCTAssertEqual(seq(y), 13)
        let w = try x.mul(1)
        let t = try w.t()
        try w.add_(1)
        XCTAssertEqual([seq(w), seq(t)], [17, 18])
        let linear = try Linear(rt, inFeatures: 2, outFeatures: 2)
        let out = try linear.forward(rt.ones([1, 2]))
        XCTAssertEqual(seq(out), 20)
        XCTAssertEqual(out.gradFn!.nextFunctions.map { $0.node?.typeName }, ["AccumulateGrad", nil, "TBackward0"])
        let m = try x.mul(1)
        try m.mul_(.tensor(x))
        XCTAssertEqual(seq(m), 22)
        let savedSelf = try m.gradFn!.savedTensor("self")!
        XCTAssertEqual(savedSelf.gradFn?.name, "CloneBackward0")
        XCTAssertEqual(savedSelf.gradFn!.sequenceNr - base, 23)
    }

    private func runOrder(_ rt: Runtime, _ body: () throws -> Void) throws -> [String] {
        let start = rt.recorder.tape.count
        try body()
        var names = [Int: String]()
        var order = [String]()
        for i in 0..<rt.recorder.tape.count {
            switch rt.recorder.tape[i] {
            case .node(let record): names[record.id] = record.name
            case .nodeRun(let run) where i >= start: order.append(names[run.node]!)
            default: break
            }
        }
        return order
    }

    func testDiamondOrder() throws {
        let rt = Runtime()
        let a = try rt.ones([2], requiresGrad: true)
        let b = try a.mul(2)
        let c = try b.sin()
        let d = try b.cos()
        let e = try c.add(.tensor(d))
        let order = try runOrder(rt) { try e.sum().backward() }
        XCTAssertEqual(order, ["SumBackward0", "AddBackward0", "CosBackward0", "SinBackward0", "MulBackward0",
                               "torch::autograd::AccumulateGrad"])
    }

    func testShortBranchLeafAccumulatesFirst() throws {
        let rt = Runtime()
        let p = try rt.ones([2], requiresGrad: true)
        let q = try rt.ones([2], requiresGrad: true)
        let r = try p.exp().exp().exp().add(.tensor(q.sin()))
        let order = try runOrder(rt) { try r.sum().backward() }
        XCTAssertEqual(order, ["SumBackward0", "AddBackward0", "SinBackward0", "torch::autograd::AccumulateGrad",
                               "ExpBackward0", "ExpBackward0", "ExpBackward0", "torch::autograd::AccumulateGrad"])
        XCTAssertEqual(p.grad?.values, [157_123_440, 157_123_440])
    }

    func testTwoRootsUseGraphRoot() throws {
        let rt = Runtime()
        let a = try rt.ones([2], requiresGrad: true)
        let r1 = try a.mul(2).sum()
        let r2 = try a.exp().sum()
        let order = try runOrder(rt) { try rt.backward([r1, r2]) }
        XCTAssertEqual(order, ["torch::autograd::GraphRoot", "SumBackward0", "ExpBackward0", "SumBackward0", "MulBackward0",
                               "torch::autograd::AccumulateGrad"])
    }

    func testFailureKeepsEarlierEffectsAndRecordsSlot() throws {
        let rt = Runtime()
        let p = try rt.ones([2], requiresGrad: true)
        let q = try rt.ones([2], requiresGrad: true)
        let s = try p.sin()
        let loss = try s.mul(.tensor(q)).sum()
        try rt.withGradMode(false) { try s.add_(1) }
        assertThrows(versionError("torch.FloatTensor [2]", which: "Sin", current: 1, expected: 0)) { try loss.backward() }
        XCTAssertNil(q.grad)
        XCTAssertNil(p.grad)
        guard case .backwardEnd(let end) = rt.recorder.tape[rt.recorder.tape.count - 1] else {
            return XCTFail("backward should end with bwend")
        }
        XCTAssertEqual(end.failedSlot, "self")
        XCTAssertNotNil(end.failedNode)
    }

    func testRetainGradOnNonLeaf() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        let n = try x.mul(2)
        try n.retainGrad()
        try n.sum().backward(retainGraph: true)
        let first = n.grad!
        XCTAssertEqual(first.values, [1, 1])
        try n.sum().backward()
        XCTAssertFalse(n.grad! === first)
        XCTAssertEqual(n.grad!.values, [2, 2])
        XCTAssertEqual(first.version, 0)
    }

    func testLeafGradAccumulatesInPlace() throws {
        let rt = Runtime()
        let g = try rt.ones([3], requiresGrad: true)
        try g.mul(2).sum().backward()
        let grad = g.grad!
        XCTAssertEqual(grad.version, 0)
        try g.mul(2).sum().backward()
        XCTAssertTrue(g.grad! === grad)
        XCTAssertEqual(grad.version, 1)
        XCTAssertEqual(grad.values, [4, 4, 4])
    }

    func testGradAssignmentChecksSize() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        assertThrows("attempting to assign a gradient of size '[4]' to a tensor of size '[3]'. Please ensure that the gradient and the tensor are the same size") {
            try x.setGrad(rt.ones([4]))
        }
    }

    func testMismatchedGradientShape() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        assertThrows("Mismatch in shape: grad_output[0] has a shape of torch.Size([4]) and output[0] has a shape of torch.Size([3]).") {
            try x.mul(2).backward(gradient: rt.ones([4]))
        }
    }
}
