import Autograd
import Foundation
import XCTest

/// Comparisons, dtype conversion, maximum, tensor-exponent pow_ and loss reductions.
final class ExtraOpTests: XCTestCase {
    func testComparisonsGiveBoolWithoutHistory() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let mask = try x.gt(0)
        XCTAssertEqual(mask.dtype, .bool)
        XCTAssertFalse(mask.requiresGrad)
        XCTAssertNil(mask.gradFn)
        let ints = try rt.tensor(.list([.scalar(.int(1)), .scalar(.int(2))]))
        XCTAssertEqual(try ints.gt(.scalar(.float(1.5))).description, "tensor([False,  True])")
        XCTAssertEqual(try rt.ones([2]).eq(.tensor(rt.ones([2]))).description, "tensor([True, True])")
    }

    func testToAndConversions() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        XCTAssertTrue(try x.to(.float32) === x)
        XCTAssertEqual(try x.to(.float64).gradFn?.name, "ToCopyBackward0")
        let ints = try rt.tensor(.list([.scalar(.int(1)), .scalar(.int(2))]))
        XCTAssertEqual(try ints.to(.float32).description, "tensor([1., 2.])")
        XCTAssertEqual(try rt.ones([2]).to(.int64).description, "tensor([1, 1])")
    }

    func testMaximumAndPowInPlaceWithTensor() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        XCTAssertEqual(try x.maximum(rt.zeros([3])).gradFn?.name, "MaximumBackward0")
        let e = try rt.full([3], value: .float(2), requiresGrad: true)
        let z = try x.mul(1)
        try z.pow_(e)
        XCTAssertEqual(z.gradFn?.name, "PowBackward1")
        XCTAssertEqual(z.gradFn?.savedSlotNames, ["exponent", "self", "result"])
        XCTAssertEqual(try z.gradFn?.savedTensor("self")?.gradFn?.name, "CloneBackward0")
    }

    func testMseReductions() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let target = try rt.zeros([3])
        XCTAssertEqual(try Functional.mseLoss(x, target, reduction: .sum).description, "tensor(3., grad_fn=<MseLossBackward0>)")
        XCTAssertEqual(try Functional.mseLoss(x, target, reduction: .none).description,
                       "tensor([1., 1., 1.], grad_fn=<MseLossBackward0>)")
        try Functional.mseLoss(x, target, reduction: .sum).backward()
        XCTAssertEqual(x.grad?.values, [2, 2, 2])
    }
}

/// Multi-output and no_grad views (reference §3.3), permute and unbind.
final class ViewCreationTests: XCTestCase {
    private let multiTail = " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one."

    func testUnbindOutputsRefuseInPlace() throws {
        let rt = Runtime()
        let x = try rt.ones([2, 3], requiresGrad: true)
        let a = try x.mul(1)
        let rows = try a.unbind(dim: 0)
        XCTAssertEqual(rows.map { $0.gradFn?.name }, ["UnbindBackward0", "UnbindBackward0"])
        assertThrows("Output 1 of Unbind is a view and is being modified inplace." + multiTail) { try rows[1].add_(1) }
        assertThrows("Output 0 of View is a view and is being modified inplace." + multiTail) { try rows[1].view([3]).mul_(2) }
        assertThrows("Output 0 of Select is a view and is being modified inplace." + multiTail) {
            try rows[0].setitem([.int(0)], 5.0)
        }
        try rows[0].mul(.tensor(rows[1])).sum().backward()
        XCTAssertEqual(x.grad?.values, [1, 1, 1, 1, 1, 1])
        let plain = try rt.zeros([2, 2])
        for row in try plain.unbind() { try row.add_(1) }
        XCTAssertEqual(plain.values, [1, 1, 1, 1])
    }

    func testSplitPiecesAreMultipleViewsWithOneBackward() throws {
        let rt = Runtime()
        let x = try rt.ones([2, 5], requiresGrad: true)
        let a = try x.mul(1)
        let pieces = try a.split(2, dim: 1)
        XCTAssertEqual(pieces.map(\.shape), [[2, 2], [2, 2], [2, 1]])
        XCTAssertEqual(pieces.map { $0.gradFn?.name }, ["SplitBackward0", "SplitBackward0", "SplitBackward0"])
        XCTAssertTrue(pieces[0].gradFn === pieces[2].gradFn)
        assertThrows("Output 2 of Split is a view and is being modified inplace." + multiTail) { try pieces[2].mul_(2) }
        try pieces[2].mul(3).sum().backward()
        XCTAssertEqual(x.grad?.values, [0, 0, 0, 0, 3, 0, 0, 0, 0, 3])
        let sized = try a.split(sizes: [1, 4], dim: 1)
        XCTAssertEqual(sized.map { $0.gradFn?.name }, ["SplitWithSizesBackward0", "SplitWithSizesBackward0"])
        assertThrows("split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 1), but got split_sizes=[1, 3]") {
            _ = try a.split(sizes: [1, 3], dim: 1)
        }
    }

    func testMaskedFillSavesItsMask() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let mask = try rt.tensor(.list([.scalar(.bool(true)), .scalar(.bool(false)), .scalar(.bool(true))]))
        let y = try x.maskedFill(mask, .float(0))
        XCTAssertEqual(y.gradFn?.name, "MaskedFillBackward0")
        try y.mul(2).sum().backward()
        XCTAssertEqual(x.grad?.values, [0, 2, 0])
        let z = try x.maskedFill(mask, .float(0))
        try mask.fill_(.bool(false))
        assertThrows("one of the variables needed for gradient computation has been modified by an inplace operation: [CPUBoolType [3]] is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).") {
            try z.sum().backward()
        }
    }

    func testChunkSplitsIntoCeilingSizedPieces() throws {
        let rt = Runtime()
        let pieces = try rt.ones([2, 5]).chunk(3, dim: 1)
        XCTAssertEqual(pieces.map(\.shape), [[2, 2], [2, 2], [2, 1]])
        XCTAssertEqual(try rt.zeros([0, 2]).chunk(2).count, 2)
        assertThrows("chunk expects `chunks` to be greater than 0, got: 0") { try rt.ones([2]).chunk(0) }
    }

    func testNoGradViewModifiedWithGrad() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let v = try rt.withGradMode(false) { try x.getitem([.slice(start: nil, stop: 2, step: nil)]) }
        XCTAssertTrue(v.requiresGrad)
        XCTAssertNil(v.gradFn)
        assertThrows("A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).") {
            try v.add_(1)
        }
    }

    func testPermuteAndBoolNegation() throws {
        let rt = Runtime()
        let x = try rt.ones([2, 3], requiresGrad: true)
        let p = try x.permute([1, 0])
        XCTAssertEqual(p.gradFn?.name, "PermuteBackward0")
        XCTAssertEqual(p.shape, [3, 2])
        try p.mul(.tensor(rt.floats([[1, 2], [3, 4], [5, 6]]))).sum().backward()
        XCTAssertEqual(x.grad?.values, [1, 3, 5, 2, 4, 6])
        assertThrows("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.") {
            try rt.tensor(.list([.scalar(.bool(true))])).neg()
        }
    }
}

/// `x.data = t`: storage replaced, version counter kept (reference §1.2).
final class DataAssignmentTests: XCTestCase {
    func testSetDataKeepsCounter() throws {
        let rt = Runtime()
        let x = try rt.ones([3])
        try x.add_(1)
        let t = try rt.zeros([2])
        x.setData(t)
        XCTAssertEqual(x.version, 1)
        XCTAssertEqual(x.shape, [2])
        try t.add_(1)
        XCTAssertEqual(x.version, 1)
        XCTAssertEqual(x.values, [1, 1])
    }
}

/// CopySlices over a base whose layout is not contiguous (a detached transpose).
final class NonContiguousBaseTests: XCTestCase {
    func testInPlaceOnViewOfTransposedBase() throws {
        let rt = Runtime()
        let w = try rt.floats([1, 2], requiresGrad: true)
        let a = try rt.arange(end: .float(6)).view([2, 3]).t().detach()
        let v = try a.getitem([.int(1)])
        try v.mul_(.tensor(w))
        XCTAssertEqual(a.description, "tensor([[0., 3.],\n        [1., 8.],\n        [2., 5.]], grad_fn=<CopySlices>)")
        try a.mul(.tensor(rt.arange(end: .float(6)).view([3, 2]))).sum().backward()
        XCTAssertEqual(w.grad?.values, [2, 12])
    }
}

/// `vector @ matrix` is `unsqueeze(0).mm(m).squeeze_(0)` in PyTorch: SqueezeBackward4 at version 1.
final class VectorMatrixTests: XCTestCase {
    func testVectorTimesMatrix() throws {
        let rt = Runtime()
        let a = try rt.ones([3], requiresGrad: true)
        let r = try a.matmul(rt.ones([3, 2]))
        XCTAssertEqual(r.gradFn?.name, "SqueezeBackward4")
        XCTAssertEqual(r.gradFn?.nextFunctions.first?.node?.name, "MmBackward0")
        XCTAssertEqual(r.version, 1)
        XCTAssertEqual(r.shape, [2])
        try r.sum().backward()
        XCTAssertEqual(a.grad?.values, [2, 2, 2])
    }
}

/// In-place results are computed in the promoted dtype, then cast if `c10::canCast` allows it.
final class InPlaceCastTests: XCTestCase {
    func testInPlaceCastRules() throws {
        let rt = Runtime()
        let x = try rt.ones([2])
        try x.add_(.tensor(rt.ones([2], dtype: .float64)))
        XCTAssertEqual(x.description, "tensor([2., 2.])")
        let flags = try rt.tensor(.list([.scalar(.bool(true))]))
        assertThrows("result type Long can't be cast to the desired output type Bool") { try flags.add_(1) }
        let ints = try rt.tensor(.list([.scalar(.int(1))]))
        try ints.add_(true)
        XCTAssertEqual(ints.description, "tensor([2])")
        assertThrows("result type Float can't be cast to the desired output type Long") { try ints.add_(0.5) }
    }
}

/// Reading the grad_fn of a no_grad or multi-output view after its base changed raises.
final class IndirectViewErrorTests: XCTestCase {
    private let noGrad = "A view was created in no_grad mode and its base or another view of its base has been modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."

    func testNoGradViewAfterBaseModified() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let b = try x.mul(1)
        let v = try rt.withGradMode(false) { try b.getitem([.slice(start: nil, stop: 2, step: nil)]) }
        try b.add_(1)
        assertThrows(noGrad) { try v.readGradFn() }
        assertThrows(noGrad) { try v.mul(2) }
        XCTAssertEqual(v.description, "tensor([2., 2.], grad_fn=<Invalid>)")
    }

    func testUnbindOutputAfterBaseModified() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let a = try x.mul(1)
        let rows = try a.unbind()
        try a.add_(1)
        assertThrows("Output 0 of Unbind is a view and its base or another view of its base has been modified inplace. This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.") {
            try rows[0].readGradFn()
        }
    }
}

/// Classification losses: `F.cross_entropy` as `nll_loss` of `log_softmax`.
final class ClassificationLossTests: XCTestCase {
    func testCrossEntropyIsNllLossOfLogSoftmax() throws {
        let rt = Runtime()
        let x = try rt.zeros([2, 3], requiresGrad: true)
        let target = try rt.tensor(.list([.scalar(.int(0)), .scalar(.int(2))]))
        let loss = try Functional.crossEntropy(x, target)
        XCTAssertEqual(loss.gradFn?.name, "NllLossBackward0")
        XCTAssertEqual(loss.gradFn?.nextEdges.first??.node.name, "LogSoftmaxBackward0")
        XCTAssertEqual(try loss.item().doubleValue, Double(Float(log(3.0))), accuracy: 1e-6)
        try loss.backward()
        let expected: [Double] = [-1.0 / 3, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, -1.0 / 3]
        for (got, want) in zip(x.grad!.values, expected) { XCTAssertEqual(got, want, accuracy: 1e-6) }
        assertThrows("Target 3 is out of bounds.") {
            try Functional.nllLoss(x, try rt.tensor(.list([.scalar(.int(3)), .scalar(.int(0))])))
        }
    }
}

/// `torch.optim.Adam`'s first step moves each weight by about `lr` against its gradient's sign.
final class AdamTests: XCTestCase {
    func testFirstStepMovesByLearningRateAndBumpsOnce() throws {
        let rt = Runtime()
        let w = try rt.parameter(try rt.tensor(.list([.scalar(.float(1)), .scalar(.float(-1))])), requiresGrad: true)
        try w.mul(.tensor(try rt.tensor(.list([.scalar(.float(3)), .scalar(.float(-2))])))).sum().backward()
        let opt = Adam([w], lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0)
        let before = w.version
        try opt.step()
        XCTAssertEqual(w.version, before + 1)
        XCTAssertEqual(w.values[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(w.values[1], -0.9, accuracy: 1e-6)
    }
}
