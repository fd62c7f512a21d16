import Autograd
import XCTest

/// The hint every version error ends with when anomaly mode is off.
let hint = "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."

/// PyTorch's version-error text for a saved tensor.
func versionError(_ bracket: String, which: String?, current: Int, expected: Int) -> String {
    "one of the variables needed for gradient computation has been modified by an inplace operation: [\(bracket)]"
        + (which.map { ", which is output 0 of \($0)," } ?? "")
        + " is at version \(current); expected version \(expected) instead. " + hint
}

/// Asserts that `body` throws an `AutogradError` with exactly `message`.
func assertThrows<T>(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected error: \(message)", file: file, line: line)
    } catch let error as AutogradError {
        XCTAssertEqual(error.message, message, file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

extension Runtime {
    /// `torch.tensor([...])` of floats.
    func floats(_ values: [Double], requiresGrad: Bool = false) throws -> Tensor {
        try tensor(.list(values.map { .scalar(.float($0)) }), requiresGrad: requiresGrad)
    }

    /// `torch.tensor([[...], ...])` of floats.
    func floats(_ rows: [[Double]], requiresGrad: Bool = false) throws -> Tensor {
        try tensor(.list(rows.map { .list($0.map { .scalar(.float($0)) }) }), requiresGrad: requiresGrad)
    }
}

/// Float32 values as Python prints them from `tolist()`.
func rounded(_ values: [Double], _ digits: Int) -> [Double] {
    let scale = Foundation.pow(10.0, Double(digits))
    return values.map { ($0 * scale).rounded() / scale }
}
