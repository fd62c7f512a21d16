import Autograd
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
