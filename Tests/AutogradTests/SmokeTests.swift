import Autograd
import XCTest

final class SmokeTests: XCTestCase {
    func testSavedInputMulVersionError() throws {
        let rt = Runtime()
        let x = try rt.ones([5], requiresGrad: true)
        let a = try x.mul(2)
        let y = try a.mul(.tensor(a))
        let loss = try y.sum()
        XCTAssertEqual(a.version, 0)
        XCTAssertEqual(a.gradFn?.name, "MulBackward0")
        try a.add_(1)
        XCTAssertEqual(a.version, 1)
        XCTAssertEqual(a.gradFn?.name, "AddBackward0")
        XCTAssertThrowsError(try loss.backward()) { error in
            XCTAssertEqual((error as? AutogradError)?.message,
                           "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [5]], which is output 0 of Add, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        }
    }

    func testInPlaceBeforeUse() throws {
        let rt = Runtime()
        let x = try rt.ones([3], requiresGrad: true)
        let a = try x.mul(2)
        try a.add_(1)
        try a.mul_(3)
        let y = try a.mul(.tensor(a))
        try y.sum().backward()
        XCTAssertEqual(x.grad?.values, [108, 108, 108])
        XCTAssertEqual(a.version, 2)
    }
}
