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

/// `torch.autograd.grad` and `backward(inputs=)`: captured gradients, pruning, PyTorch's errors.
final class PartialBackwardTests: XCTestCase {
    func testGradCapturesWithoutTouchingGrad() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        let b = try x.mul(2)
        let c = try b.sin()
        assertThrows("One of the differentiated Tensors does not require grad") { try rt.grad([c.sum()], inputs: [rt.ones([2])]) }
        let w = try rt.ones([2], requiresGrad: true)
        assertThrows("The differentiated Tensor at index 0 appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.") {
            try rt.grad([c.sum()], inputs: [w], retainGraph: true)
        }
        XCTAssertNil(try rt.grad([c.sum()], inputs: [w], retainGraph: true, allowUnused: true)[0])
        let grads = try rt.grad([c.sum()], inputs: [b, x])
        XCTAssertEqual(grads.map { $0.map { rounded($0.values, 4) } }, [[-0.4161, -0.4161], [-0.8323, -0.8323]])
        XCTAssertNil(x.grad)
    }

    func testPrunedNodesAreNotChecked() throws {
        let rt = Runtime()
        let x = try rt.rand([3], requiresGrad: true)
        let y = try rt.rand([3], requiresGrad: true)
        let z = try x.mul(.tensor(y))
        try rt.withGradMode(false) { try y.add_(1) }
        assertThrows(versionError("torch.FloatTensor [3]", which: nil, current: 1, expected: 0)) {
            try rt.grad([z.sum()], inputs: [y])
        }
        let a = try rt.rand([3], requiresGrad: true)
        let w = try rt.rand([3], requiresGrad: true)
        let out = try a.sin().add(.tensor(w))
        try rt.withGradMode(false) { try a.add_(1) }
        XCTAssertEqual(try rt.grad([out.sum()], inputs: [w])[0]?.values, [1, 1, 1])
    }

    func testBackwardWithInputs() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        let y = try x.mul(3)
        try rt.backward([y.mul(.tensor(y)).sum()], inputs: [x])
        XCTAssertEqual(x.grad?.values, [18, 18])
        let n = try x.mul(3)
        try rt.backward([n.mul(.tensor(n)).sum()], inputs: [n])
        XCTAssertEqual(n.grad?.values, [6, 6])
        XCTAssertEqual(x.grad?.values, [18, 18])
    }
}

/// Anomaly mode: the version-error hint changes and NaN gradients raise.
final class AnomalyModeTests: XCTestCase {
    func testNaNCheckAndHint() throws {
        let rt = Runtime()
        rt.isAnomalyDetectionEnabled = true
        let x = try rt.floats([-1, 1], requiresGrad: true)
        assertThrows("Function 'SqrtBackward0' returned nan values in its 0th output.") { try x.sqrt().sum().backward() }
        let a = try x.mul(1)
        let s = try a.sin()
        try a.add_(1)
        assertThrows("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of Add, is at version 1; expected version 0 instead. Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!") {
            try s.sum().backward()
        }
    }
}
