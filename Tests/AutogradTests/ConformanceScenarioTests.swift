import Autograd
import XCTest

/// The conformance programs (Tests/Conformance/cases) driven through the Swift API, asserting
/// the values, versions, names and messages real PyTorch 2.13 printed.
final class ConformanceScenarioTests: XCTestCase {
    func testBackwardTwice() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        let y = try x.mul(.tensor(x)).sum()
        try y.backward()
        XCTAssertEqual(x.grad?.values, [2, 2])
        assertThrows("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.") {
            try y.backward()
        }
        let z = try x.mul(3).sum()
        try z.backward(retainGraph: true)
        try z.backward()
        XCTAssertEqual(x.grad?.values, [8, 8])
    }

    func testBaseModifiedAfterViewSaved() throws {
        let rt = Runtime()
        let x = try rt.ones([2, 3], requiresGrad: true)
        let a = try x.mul(1)
        let t = try a.t()
        let y = try t.tanh()
        let z = try t.mul(5)
        let row = try a.getitem([.int(0)])
        try row.add_(1)
        try a.setitem([.int(0)], .tensor(row))
        XCTAssertEqual([a.version, t.version], [2, 2])
        try z.sum().backward(retainGraph: true)
        XCTAssertEqual(x.grad?.values, [5, 5, 5, 5, 5, 5])
        try y.sum().backward()
    }

    func testCatStack() throws {
        let rt = Runtime()
        let a = try rt.floats([1, 2], requiresGrad: true)
        let b = try rt.floats([3], requiresGrad: true)
        let c = try rt.cat([a.mul(2), b.exp()])
        let s = try rt.stack([a, a.mul(.tensor(a))])
        XCTAssertEqual(c.gradFn?.name, "CatBackward0")
        XCTAssertEqual(s.gradFn?.name, "StackBackward0")
        XCTAssertEqual(c.shape, [3])
        XCTAssertEqual(s.shape, [2, 2])
        try c.sum().add(.tensor(s.sum())).backward()
        XCTAssertEqual(a.grad?.values, [5, 7])
        XCTAssertEqual(rounded(b.grad!.values, 5), [20.08554])
    }

    func testCloneFix() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let y = try x.sigmoid()
        let z = try y.clone()
        try z.mul_(2)
        try y.add(.tensor(z)).sum().backward()
        XCTAssertEqual(rounded(x.grad!.values, 6), [0.589836, 0.589836, 0.589836])
        XCTAssertEqual([y.version, z.version], [0, 1])
        XCTAssertEqual(z.gradFn?.name, "MulBackward0")
    }

    func testDataDoesNotShareVersion() throws {
        let rt = Runtime()
        let x = try rt.floats([1, 2, 3], requiresGrad: true)
        let y = try x.sigmoid()
        let d = y.data
        try d.zero_()
        XCTAssertEqual([y.version, d.version], [0, 1])
        try y.sum().backward()
        XCTAssertEqual(x.grad?.values, [0, 0, 0])
    }

    func testDetachSharesVersion() throws {
        let rt = Runtime()
        let x = try rt.floats([1, 2, 3], requiresGrad: true)
        let y = try x.sigmoid()
        let d = y.detach()
        try d.zero_()
        XCTAssertEqual([y.version, d.version], [1, 1])
        XCTAssertFalse(d.requiresGrad)
        assertThrows(versionError("torch.FloatTensor [3]", which: "Sigmoid", current: 1, expected: 0)) {
            try y.sum().backward()
        }
    }

    func testDoublePrecision() throws {
        let rt = Runtime()
        let x = try rt.tensor(.list([.scalar(.float(1.5)), .scalar(.float(2.5))]), dtype: .float64, requiresGrad: true)
        let y = try x.log()
        let x2 = try y.mul(1)
        try x2.sin_()
        XCTAssertEqual(x2.dtype.pythonName, "torch.float64")
        XCTAssertEqual(x2.version, 1)
        let z = try x2.cos()
        try x2.add_(1)
        assertThrows(versionError("torch.DoubleTensor [2]", which: "Add", current: 2, expected: 1)) {
            try z.sum().backward()
        }
    }

    func testGanOptimizerStep() throws {
        let rt = Runtime()
        let gen = try Linear(rt, inFeatures: 2, outFeatures: 2)
        let disc = try Linear(rt, inFeatures: 2, outFeatures: 1)
        try rt.withGradMode(false) {
            try gen.weight.fill_(.float(0.5))
            try gen.bias!.zero_()
            try disc.weight.fill_(.float(-1.0))
            try disc.bias!.fill_(.float(0.25))
        }
        let optD = SGD(disc.parameters, lr: 0.1)
        let z = try rt.ones([4, 2])
        let fake = try gen.forward(z)
        let dOut = try disc.forward(fake)
        let lossD = try dOut.mean()
        let lossG = try dOut.mean().neg()
        optD.zeroGrad()
        try lossD.backward(retainGraph: true)
        try optD.step()
        XCTAssertEqual(disc.weight.version, 3)
        XCTAssertEqual(disc.weight.values, [-1.100000023841858, -1.100000023841858])
        assertThrows(versionError("torch.FloatTensor [2, 1]", which: "AsStrided", current: 3, expected: 2)) {
            try lossG.backward()
        }
    }

    func testGradFnNames() throws {
        let rt = Runtime()
        let x = try rt.ones([2, 3], requiresGrad: true)
        XCTAssertNil(x.gradFn)
        XCTAssertTrue(x.isLeaf)
        let ops: [Tensor] = [
            try x.add(1), try x.sub(1), try x.mul(2), try x.div(2), try x.neg(), try x.pow(.int(2)), try x.exp(),
            try x.log(), try x.sin(), try x.cos(), try x.tanh(), try x.sigmoid(), try x.relu(), try x.sqrt(), try x.abs(),
            try x.sum(), try x.mean(), try x.t(), try x.view([3, 2]), try x.reshape([6]), try x.unsqueeze(0),
            try x.getitem([.int(0)]), try x.getitem([.slice(start: nil, stop: nil, step: nil), .slice(start: 1, stop: nil, step: nil)]),
            try x.clone(), try x.sum(dim: [1]), try x.clamp(min: .float(0), max: .float(0.5)), try x.softmax(dim: 1),
            try x.logSoftmax(dim: 1), try x.transpose(0, 1), try x.pow(.int(3)),
        ]
        XCTAssertEqual(ops.map { $0.gradFn!.name }, [
            "AddBackward0", "SubBackward0", "MulBackward0", "DivBackward0", "NegBackward0", "PowBackward0", "ExpBackward0",
            "LogBackward0", "SinBackward0", "CosBackward0", "TanhBackward0", "SigmoidBackward0", "ReluBackward0",
            "SqrtBackward0", "AbsBackward0", "SumBackward0", "MeanBackward0", "TBackward0", "ViewBackward0", "ViewBackward0",
            "UnsqueezeBackward0", "SelectBackward0", "SliceBackward0", "CloneBackward0", "SumBackward1", "ClampBackward1",
            "SoftmaxBackward0", "LogSoftmaxBackward0", "TransposeBackward0", "PowBackward0",
        ])
    }

    func testInPlaceBeforeUse() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let a = try x.mul(2)
        try a.add_(1)
        try a.mul_(3)
        try a.mul(.tensor(a)).sum().backward()
        XCTAssertEqual(x.grad?.values, [108, 108, 108])
        XCTAssertEqual(a.version, 2)
        XCTAssertEqual(a.gradFn?.name, "MulBackward0")
    }

    func testLeafInPlaceMethods() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let leaf = "a leaf Variable that requires grad is being used in an in-place operation."
        assertThrows(leaf) { try x.add_(1) }
        assertThrows(leaf) { try x.mul_(2) }
        assertThrows(leaf) { try x.zero_() }
        assertThrows(leaf) { try x.fill_(.float(3)) }
        assertThrows("a view of a leaf Variable that requires grad is being used in an in-place operation.") {
            try x.setitem([.int(0)], 5.0)
        }
        XCTAssertEqual(x.version, 0)
        XCTAssertEqual(x.values, [1, 1, 1])
    }

    func testLeafInPlaceNoGrad() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let y = try x.mul(.tensor(x))
        try rt.withGradMode(false) { try x.add_(1) }
        XCTAssertEqual(x.version, 1)
        XCTAssertTrue(x.requiresGrad)
        XCTAssertTrue(x.isLeaf)
        assertThrows(versionError("torch.FloatTensor [3]", which: nil, current: 1, expected: 0)) {
            try y.sum().backward()
        }
        XCTAssertNil(x.grad)
    }

    func testMatmul() throws {
        let rt = Runtime()
        let a = try rt.floats([[1, 2], [3, 4]], requiresGrad: true)
        let b = try rt.floats([[0.5, 0], [1, -1]], requiresGrad: true)
        let c = try a.matmul(b)
        let loss = try c.mul(.tensor(c)).mean()
        try loss.backward()
        XCTAssertEqual(a.grad?.values, [0.625, 2.25, 1.375, 4.75])
        XCTAssertEqual(b.grad?.values, [9.5, -7.0, 13.5, -10.0])
        XCTAssertEqual(c.gradFn?.name, "MmBackward0")
        XCTAssertEqual(loss.gradFn?.name, "MeanBackward0")
    }

    func testMatmulSavedOperand() throws {
        let rt = Runtime()
        let a = try rt.floats([[1, 2], [3, 4]], requiresGrad: true)
        let b = try rt.floats([[0.5, 0], [1, -1]], requiresGrad: true)
        let w = try b.mul(1)
        let c = try a.matmul(w)
        let loss = try c.sum()
        try w.setitem([.int(1), .int(1)], 0.0)
        assertThrows(versionError("torch.FloatTensor [2, 2]", which: "torch::autograd::CopySlices", current: 1, expected: 0)) {
            try loss.backward()
        }
    }

    func testModuleForwardInPlace() throws {
        let rt = Runtime()
        let scale = try rt.parameter(rt.floats([2, 2]))
        let x = try rt.floats([0.1, 0.2], requiresGrad: true)
        let g = try x.mul(.tensor(scale)).tanh()
        try g.add_(1)
        XCTAssertEqual(g.gradFn?.name, "AddBackward0")
        assertThrows(versionError("torch.FloatTensor [2]", which: "Tanh", current: 1, expected: 0)) {
            try g.sum().backward()
        }
    }

    func testMultipleStaleFirstReported() throws {
        let rt = Runtime()
        let x = try rt.floats([1, 2], requiresGrad: true)
        let a = try x.exp()
        let b = try x.sin()
        let c = try a.mul(.tensor(b))
        let d = try c.sigmoid()
        let loss = try d.sum()
        try a.add_(1)
        try b.add_(1)
        try c.add_(1)
        assertThrows(versionError("torch.FloatTensor [2]", which: "Add", current: 1, expected: 0)) {
            try loss.backward()
        }
    }

    func testNoGradInPlaceOnSaved() throws {
        let rt = Runtime()
        let w = try rt.floats([2, 3], requiresGrad: true)
        let x = try rt.floats([1, 1])
        let h = try w.mul(.tensor(x))
        let p = try h.pow(.int(2))
        try rt.withGradMode(false) { try h.mul_(0.5) }
        XCTAssertEqual(h.version, 1)
        XCTAssertTrue(h.requiresGrad)
        assertThrows(versionError("torch.FloatTensor [2]", which: "Mul", current: 1, expected: 0)) {
            try p.sum().backward()
        }
    }

    func testNonScalarBackward() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let y = try x.mul(2)
        assertThrows("grad can be implicitly created only for scalar outputs") { try y.backward() }
        try y.backward(gradient: rt.ones([3]))
        XCTAssertEqual(x.grad?.values, [2, 2, 2])
        let z = try rt.ones([3])
        assertThrows("element 0 of tensors does not require grad and does not have a grad_fn") { try z.sum().backward() }
    }

    func testNotSavedAdd() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let a = try x.add(0)
        let b = try a.add(5)
        try a.mul_(10)
        try b.sum().backward()
        XCTAssertEqual(x.grad?.values, [1, 1, 1])
        XCTAssertEqual([a.version, b.version], [1, 0])
    }

    func testOutOfPlaceFix() throws {
        let rt = Runtime()
        let x0 = try rt.ones([5], requiresGrad: true)
        let loss = try x0.mul(2).sum()
        let x = try x0.add(1)
        try loss.backward()
        XCTAssertNil(x.grad)
        XCTAssertFalse(x.isLeaf)
        XCTAssertEqual(x.gradFn?.name, "AddBackward0")
    }

    func testReluInPlaceAfterSigmoid() throws {
        let rt = Runtime()
        let x = try rt.floats([[-1, 0.5], [2, -3]], requiresGrad: true)
        let h = try x.mul(1).sigmoid()
        let out = try ReLU(inplace: true).forward(h)
        XCTAssertTrue(out === h)
        XCTAssertEqual(h.version, 1)
        XCTAssertEqual(h.gradFn?.name, "ReluBackward0")
        assertThrows(versionError("torch.FloatTensor [2, 2]", which: "Sigmoid", current: 1, expected: 0)) {
            try out.sum().backward()
        }
    }

    func testReluInPlaceOk() throws {
        let rt = Runtime()
        let x = try rt.floats([[-1, 0.5], [2, -3]], requiresGrad: true)
        let h = try x.add(1)
        let out = try Functional.relu(h, inplace: true)
        XCTAssertEqual(h.version, 1)
        XCTAssertEqual(out.gradFn?.name, "ReluBackward0")
        try out.sum().backward()
        XCTAssertEqual(x.grad?.values, [0, 1, 1, 0])
    }

    func testRetainGraphAccumulates() throws {
        let rt = Runtime()
        let w = try rt.floats([1, -2], requiresGrad: true)
        let h = try w.tanh()
        let loss = try h.mul(.tensor(h)).sum()
        try loss.backward(retainGraph: true)
        let g1 = try w.grad!.clone()
        try loss.backward()
        XCTAssertEqual(w.grad!.values, try g1.mul(2).values)
        try w.grad!.zero_()
        XCTAssertEqual(w.grad!.values, [0, 0])
    }

    func testRnnStateInPlace() throws {
        let rt = Runtime()
        let w = try rt.floats([0.5, -0.5], requiresGrad: true)
        var h = try rt.zeros([2])
        for _ in 0..<3 {
            h = try h.add(.tensor(w)).tanh()
            XCTAssertEqual(h.gradFn?.name, "TanhBackward0")
            XCTAssertEqual(h.version, 0)
        }
        try h.sum().backward()
        XCTAssertEqual(rounded(w.grad!.values, 4), [0.5073, 0.5073])
        var h2 = try rt.zeros([2])
        h2 = try h2.add(.tensor(w))
        for _ in 0..<2 { try h2.add_(.tensor(h2.tanh())) }
        XCTAssertEqual(h2.version, 2)
        XCTAssertEqual(h2.gradFn?.name, "AddBackward0")
        try h2.sum().backward()
    }

    func testSavedInputMul() throws {
        let rt = Runtime()
        let x = try rt.ones([5], requiresGrad: true)
        let a = try x.mul(2)
        let loss = try a.mul(.tensor(a)).sum()
        try a.add_(1)
        assertThrows(versionError("torch.FloatTensor [5]", which: "Add", current: 1, expected: 0)) { try loss.backward() }
    }

    func testSavedOutputExpInPlace() throws {
        let rt = Runtime()
        let x = try rt.floats([1, 2], requiresGrad: true)
        let h = try x.mul(3)
        let z = try h.exp_()
        XCTAssertTrue(z === h)
        XCTAssertEqual(h.version, 1)
        XCTAssertEqual(h.gradFn?.name, "ExpBackward0")
        try z.sum().backward()
        XCTAssertEqual(x.grad?.values, [60.25661087036133, 1210.286376953125])
    }

    func testSavedOutputSigmoid() throws {
        let rt = Runtime()
        let x = try rt.floats([0.5, -1, 2], requiresGrad: true)
        let y = try x.mul(1).sigmoid()
        try y.mul_(2)
        XCTAssertEqual(y.version, 1)
        XCTAssertEqual(y.gradFn?.name, "MulBackward0")
        assertThrows(versionError("torch.FloatTensor [3]", which: "Sigmoid", current: 1, expected: 0)) {
            try y.sum().backward()
        }
        XCTAssertNil(x.grad)
    }

    func testScalarMulNotSaved() throws {
        let rt = Runtime()
        let x = try rt.ones([5], requiresGrad: true)
        let h = try x.mul(1)
        let loss = try h.mul(2).sum()
        try h.add_(1)
        try loss.backward()
        XCTAssertEqual(x.grad?.values, [2, 2, 2, 2, 2])
        XCTAssertEqual(h.version, 1)
    }

    func testScalarTensorMessage() throws {
        let rt = Runtime()
        let x = try rt.tensor(.scalar(.float(3)), requiresGrad: true)
        let s = try x.mul(1)
        let t = try s.exp()
        try s.add_(1)
        XCTAssertEqual([s.version, t.version], [1, 0])
        XCTAssertEqual(s.gradFn?.name, "AddBackward0")
        try t.backward()
        XCTAssertEqual(rounded(x.grad!.values, 5), [20.08554], "ExpBackward0 uses the saved result, which the write to s left alone")
    }

    func testSeedExamples() throws {
        let rt = Runtime()
        let x = try rt.ones([5], requiresGrad: true)
        _ = try x.mul(2).sum()
        assertThrows("a leaf Variable that requires grad is being used in an in-place operation.") { try x.add_(1) }

        let x2 = try rt.ones([5], requiresGrad: true)
        let clone = try x2.clone()
        let first = try clone.getitem([.int(0)])
        try first.add_(1)
        try clone.setitem([.int(0)], .tensor(first))
        try clone.sum().backward()
        XCTAssertEqual(x2.grad?.description, "tensor([1., 1., 1., 1., 1.])")

        let x3 = try rt.rand([4, 4], requiresGrad: true)
        try x3.sum().backward()
        let copy = try x3.clone()
        let rows: [TensorIndex] = [.slice(start: nil, stop: 2, step: nil), .slice(start: nil, stop: nil, step: nil)]
        let top = try copy.getitem(rows)
        try top.add_(1)
        try copy.setitem(rows, .tensor(top))
        try copy.sum().backward()
        XCTAssertEqual(x3.grad?.values, [Double](repeating: 2, count: 16))
        let view = try x3.getitem(rows)
        assertThrows("a view of a leaf Variable that requires grad is being used in an in-place operation.") { try view.add_(1) }
    }

    func testSequentialTraining() throws {
        let rt = Runtime()
        let l1 = try Linear(rt, inFeatures: 3, outFeatures: 4)
        let l2 = try Linear(rt, inFeatures: 4, outFeatures: 1)
        let params = l1.parameters + l2.parameters
        try rt.withGradMode(false) { for p in params { try p.fill_(.float(0.1)) } }
        let opt = SGD(params, lr: 0.5)
        let x = try rt.floats([[1, 2, 3], [0, -1, 1]])
        let target = try rt.floats([[1], [0]])
        var losses = [Double]()
        for _ in 0..<3 {
            opt.zeroGrad()
            let pred = try l2.forward(ReLU().forward(l1.forward(x)))
            let loss = try Functional.mseLoss(pred, target)
            try loss.backward()
            try opt.step()
            losses.append(try loss.item().doubleValue)
        }
        XCTAssertEqual(rounded(losses, 6), [0.202, 0.426859, 0.891665])
        XCTAssertEqual(l1.weight.version, 5)
    }

    func testSetitemOnNonLeaf() throws {
        let rt = Runtime()
        let x = try rt.floats([1, 2, 3], requiresGrad: true)
        let y = try x.mul(1)
        try y.setitem([.int(1)], 0.0)
        XCTAssertEqual(y.gradFn?.name, "torch::autograd::CopySlices")
        XCTAssertEqual(y.version, 1)
        try y.sum().backward()
        XCTAssertEqual(x.grad?.values, [1, 0, 1])
        let z = try x.exp()
        let w = try z.mul(1)
        try z.setitem([.int(0)], 1.0)
        assertThrows(versionError("torch.FloatTensor [3]", which: "Exp", current: 1, expected: 0)) { try w.sum().backward() }
    }

    func testSoftmaxSavedOutput() throws {
        let rt = Runtime()
        let logits = try rt.floats([[1, 2, 3]], requiresGrad: true)
        let p = try logits.softmax(dim: 1)
        let loss = try p.mul(.tensor(rt.floats([[0, 0, 1]]))).sum()
        try p.div_(2)
        assertThrows(versionError("torch.FloatTensor [1, 3]", which: "Softmax", current: 1, expected: 0)) { try loss.backward() }
    }

    func testVersionCounting() throws {
        let rt = Runtime()
        let t = try rt.zeros([4])
        XCTAssertEqual(t.version, 0)
        try t.add_(1)
        try t.add_(1)
        try t.setitem([.int(0)], 3.0)
        let middle: [TensorIndex] = [.slice(start: 1, stop: 3, step: nil)]
        let view = try t.getitem(middle)
        try view.add_(1)
        try t.setitem(middle, .tensor(view))
        try t.mul_(2).add_(1)
        try t.zero_()
        XCTAssertEqual(t.version, 8)
        let u = try t.view([2, 2])
        try u.fill_(.float(1))
        XCTAssertEqual([t.version, u.version], [9, 9])
        let c = try t.clone()
        XCTAssertEqual(c.version, 0)
        try t.copy_(c)
        XCTAssertEqual([t.version, c.version], [10, 0])
    }

    func testViewNonLeafCopySlices() throws {
        let rt = Runtime()
        let x = try rt.floats([1, 2, 3, 4], requiresGrad: true)
        let a = try x.mul(2)
        let b = try a.getitem([.slice(start: 1, stop: 3, step: nil)])
        XCTAssertEqual(b.gradFn?.name, "SliceBackward0")
        try b.mul_(10)
        XCTAssertEqual(a.gradFn?.name, "torch::autograd::CopySlices")
        XCTAssertEqual(b.gradFn?.name, "AsStridedBackward0")
        XCTAssertEqual([a.version, b.version], [1, 1])
        try a.sum().backward()
        XCTAssertEqual(x.grad?.values, [2, 20, 20, 2])
        XCTAssertEqual(a.values, [2, 40, 60, 8])
    }

    func testViewOfLeaf() throws {
        let rt = Runtime()
        let x = try rt.zeros([2, 3], requiresGrad: true)
        let v = try x.getitem([.int(0)])
        XCTAssertEqual(v.gradFn?.name, "SelectBackward0")
        XCTAssertFalse(v.isLeaf)
        XCTAssertEqual(v.version, 0)
        let message = "a view of a leaf Variable that requires grad is being used in an in-place operation."
        assertThrows(message) { try v.add_(1) }
        let rows: [TensorIndex] = [.slice(start: 1, stop: nil, step: nil), .slice(start: nil, stop: nil, step: nil)]
        let view = try x.getitem(rows)
        assertThrows(message) { try view.add_(1) }
    }

    func testViewSharesVersion() throws {
        let rt = Runtime()
        let x = try rt.ones([4], requiresGrad: true)
        let a = try x.exp()
        let v = try a.view([2, 2])
        XCTAssertEqual([a.version, v.version], [0, 0])
        try v.setitem([.int(0), .int(0)], 7.0)
        XCTAssertEqual([a.version, v.version], [1, 1])
        assertThrows(versionError("torch.FloatTensor [4]", which: "Exp", current: 1, expected: 0)) { try a.sum().backward() }
        XCTAssertNil(x.grad)
    }
}
