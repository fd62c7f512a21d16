import XCTest
import TorchRules

final class AutogradMessageTests: XCTestCase {
    func testForwardOpNameFollowsNodeForwardOpName() {
        XCTAssertEqual(AutogradMessage.forwardOpName("AddBackward0"), "Add")
        XCTAssertEqual(AutogradMessage.forwardOpName("AsStridedBackward0"), "AsStrided")
        XCTAssertEqual(AutogradMessage.forwardOpName("PowBackward1"), "Pow1")
        XCTAssertEqual(AutogradMessage.forwardOpName("FillBackward2"), "Fill2")
        XCTAssertEqual(AutogradMessage.forwardOpName("MyFnBackward"), "MyFn")
        XCTAssertEqual(AutogradMessage.forwardOpName("BackwardHookFunctionBackward"), "BackwardHookFunction")
        XCTAssertEqual(AutogradMessage.forwardOpName("torch::autograd::CopySlices"), "torch::autograd::CopySlices")
        XCTAssertEqual(AutogradMessage.forwardOpName("torch::autograd::CopyBackwards"), "torch::autograd::CopyBackwards")
    }

    func testLegacyTypeStrings() {
        XCTAssertEqual(AutogradMessage.legacyTypeString(dtype: "float32"), "torch.FloatTensor")
        XCTAssertEqual(AutogradMessage.legacyTypeString(dtype: "float64"), "torch.DoubleTensor")
        XCTAssertEqual(AutogradMessage.legacyTypeString(dtype: "int64"), "torch.LongTensor")
        XCTAssertEqual(AutogradMessage.legacyTypeString(dtype: "bool"), "CPUBoolType")
        XCTAssertEqual(AutogradMessage.legacyTypeString(dtype: "bfloat16"), "CPUBFloat16Type")
    }

    func testZeroDimensionalTensorShowsEmptySizes() {
        let message = AutogradMessage.versionMismatch(dtype: "float32", sizes: [], gradFn: nil, current: 2, saved: 1)
        XCTAssertTrue(message.contains(": [torch.FloatTensor []] is at version 2; expected version 1 instead. Hint: "))
    }
}
