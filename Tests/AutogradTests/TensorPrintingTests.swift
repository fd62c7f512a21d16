import Autograd
import XCTest

/// Tensor repr against strings printed by torch 2.13 (`repr(torch.tensor(...))`).
final class TensorPrintingTests: XCTestCase {
    struct PrintCase {
        let values: [Double]
        let shape: [Int]
        let dtype: DType
        let requiresGrad: Bool
        let expected: String
    }

    static let cases: [PrintCase] = [
        PrintCase(values: [1.0, 1.0, 1.0, 1.0, 1.0], shape: [5], dtype: .float32, requiresGrad: false,
                  expected: "tensor([1., 1., 1., 1., 1.])"),
        PrintCase(values: [1.0, 1.0, 1.0, 1.0, 1.0], shape: [5], dtype: .float32, requiresGrad: true,
                  expected: "tensor([1., 1., 1., 1., 1.], requires_grad=True)"),
        PrintCase(values: [0.5, 0.25], shape: [2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([0.5000, 0.2500])"),
        PrintCase(values: [0.5, 0.25], shape: [2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([0.5000, 0.2500], requires_grad=True)"),
        PrintCase(values: [1.0, 2.0, 3.0, 4.0], shape: [2, 2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([[1., 2.],\n        [3., 4.]])"),
        PrintCase(values: [1.0, 2.0, 3.0, 4.0], shape: [2, 2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"),
        PrintCase(values: [1.5, -2.25, 3.125, 100.0], shape: [2, 2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([[  1.5000,  -2.2500],\n        [  3.1250, 100.0000]])"),
        PrintCase(values: [1.5, -2.25, 3.125, 100.0], shape: [2, 2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([[  1.5000,  -2.2500],\n        [  3.1250, 100.0000]], requires_grad=True)"),
        PrintCase(values: [3.0], shape: [], dtype: .float32, requiresGrad: false,
                  expected: "tensor(3.)"),
        PrintCase(values: [3.0], shape: [], dtype: .float32, requiresGrad: true,
                  expected: "tensor(3., requires_grad=True)"),
        PrintCase(values: [3.5], shape: [], dtype: .float32, requiresGrad: false,
                  expected: "tensor(3.5000)"),
        PrintCase(values: [3.5], shape: [], dtype: .float32, requiresGrad: true,
                  expected: "tensor(3.5000, requires_grad=True)"),
        PrintCase(values: [9.999999747378752e-06, 1.0], shape: [2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([1.0000e-05, 1.0000e+00])"),
        PrintCase(values: [9.999999747378752e-06, 1.0], shape: [2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([1.0000e-05, 1.0000e+00], requires_grad=True)"),
        PrintCase(values: [1000000000.0, 1.0], shape: [2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([1.0000e+09, 1.0000e+00])"),
        PrintCase(values: [1000000000.0, 1.0], shape: [2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([1.0000e+09, 1.0000e+00], requires_grad=True)"),
        PrintCase(values: [123456.0, 0.0010000000474974513], shape: [2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([1.2346e+05, 1.0000e-03])"),
        PrintCase(values: [123456.0, 0.0010000000474974513], shape: [2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([1.2346e+05, 1.0000e-03], requires_grad=True)"),
        PrintCase(values: [0.0, 0.0], shape: [2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([0., 0.])"),
        PrintCase(values: [0.0, 0.0], shape: [2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([0., 0.], requires_grad=True)"),
        PrintCase(values: [1.0, 2.0, 3.0], shape: [3], dtype: .float64, requiresGrad: false,
                  expected: "tensor([1., 2., 3.], dtype=torch.float64)"),
        PrintCase(values: [1.0, 2.0, 3.0], shape: [3], dtype: .float64, requiresGrad: true,
                  expected: "tensor([1., 2., 3.], dtype=torch.float64, requires_grad=True)"),
        PrintCase(values: [0.1, 0.2, 0.3], shape: [3], dtype: .float64, requiresGrad: false,
                  expected: "tensor([0.1000, 0.2000, 0.3000], dtype=torch.float64)"),
        PrintCase(values: [0.1, 0.2, 0.3], shape: [3], dtype: .float64, requiresGrad: true,
                  expected: "tensor([0.1000, 0.2000, 0.3000], dtype=torch.float64, requires_grad=True)"),
        PrintCase(values: [1.0, 2.0, 3.0], shape: [3], dtype: .int64, requiresGrad: false,
                  expected: "tensor([1, 2, 3])"),
        PrintCase(values: [-10.0, 200.0, 3.0, 4.0], shape: [2, 2], dtype: .int64, requiresGrad: false,
                  expected: "tensor([[-10, 200],\n        [  3,   4]])"),
        PrintCase(values: [1.0, 0.0], shape: [2], dtype: .bool, requiresGrad: false,
                  expected: "tensor([ True, False])"),
        PrintCase(values: [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0], shape: [2, 3, 4], dtype: .float32, requiresGrad: false,
                  expected: "tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]])"),
        PrintCase(values: [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0], shape: [2, 3, 4], dtype: .float32, requiresGrad: true,
                  expected: "tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]], requires_grad=True)"),
        PrintCase(values: [0.0, 0.1428571492433548, 0.2857142984867096, 0.4285714328289032, 0.5714285969734192, 0.7142857313156128, 0.8571428656578064, 1.0, 1.1428571939468384, 1.2857142686843872, 1.4285714626312256, 1.5714285373687744, 1.7142857313156128, 1.8571428060531616, 2.0, 2.142857074737549, 2.2857143878936768, 2.4285714626312256, 2.5714285373687744, 2.7142856121063232, 2.857142925262451, 3.0, 3.142857074737549, 3.2857143878936768, 3.4285714626312256, 3.5714285373687744, 3.7142856121063232, 3.857142925262451, 4.0, 4.142857074737549], shape: [30], dtype: .float32, requiresGrad: false,
                  expected: "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n        3.8571, 4.0000, 4.1429])"),
        PrintCase(values: [0.0, 0.1428571492433548, 0.2857142984867096, 0.4285714328289032, 0.5714285969734192, 0.7142857313156128, 0.8571428656578064, 1.0, 1.1428571939468384, 1.2857142686843872, 1.4285714626312256, 1.5714285373687744, 1.7142857313156128, 1.8571428060531616, 2.0, 2.142857074737549, 2.2857143878936768, 2.4285714626312256, 2.5714285373687744, 2.7142856121063232, 2.857142925262451, 3.0, 3.142857074737549, 3.2857143878936768, 3.4285714626312256, 3.5714285373687744, 3.7142856121063232, 3.857142925262451, 4.0, 4.142857074737549], shape: [30], dtype: .float32, requiresGrad: true,
                  expected: "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n        3.8571, 4.0000, 4.1429], requires_grad=True)"),
        PrintCase(values: [0.0, 1.5, 3.0, 4.5, 6.0, 7.5, 9.0, 10.5, 12.0, 13.5, 15.0, 16.5, 18.0, 19.5, 21.0, 22.5], shape: [4, 4], dtype: .float32, requiresGrad: false,
                  expected: "tensor([[ 0.0000,  1.5000,  3.0000,  4.5000],\n        [ 6.0000,  7.5000,  9.0000, 10.5000],\n        [12.0000, 13.5000, 15.0000, 16.5000],\n        [18.0000, 19.5000, 21.0000, 22.5000]])"),
        PrintCase(values: [0.0, 1.5, 3.0, 4.5, 6.0, 7.5, 9.0, 10.5, 12.0, 13.5, 15.0, 16.5, 18.0, 19.5, 21.0, 22.5], shape: [4, 4], dtype: .float32, requiresGrad: true,
                  expected: "tensor([[ 0.0000,  1.5000,  3.0000,  4.5000],\n        [ 6.0000,  7.5000,  9.0000, 10.5000],\n        [12.0000, 13.5000, 15.0000, 16.5000],\n        [18.0000, 19.5000, 21.0000, 22.5000]], requires_grad=True)"),
        PrintCase(values: [.nan, 1.0, .infinity], shape: [3], dtype: .float32, requiresGrad: false,
                  expected: "tensor([nan, 1., inf])"),
        PrintCase(values: [.nan, 1.0, .infinity], shape: [3], dtype: .float32, requiresGrad: true,
                  expected: "tensor([nan, 1., inf], requires_grad=True)"),
        PrintCase(values: [.nan, 1.5, -.infinity], shape: [3], dtype: .float32, requiresGrad: false,
                  expected: "tensor([   nan, 1.5000,   -inf])"),
        PrintCase(values: [.nan, 1.5, -.infinity], shape: [3], dtype: .float32, requiresGrad: true,
                  expected: "tensor([   nan, 1.5000,   -inf], requires_grad=True)"),
        PrintCase(values: (0..<2000).map { Double(Float(Double($0) * 0.123)) }, shape: [2000], dtype: .float32, requiresGrad: false,
                  expected: "tensor([0.0000e+00, 1.2300e-01, 2.4600e-01,  ..., 2.4563e+02, 2.4575e+02,\n        2.4588e+02])"),
        PrintCase(values: (0..<2000).map { Double(Float(Double($0) * 0.123)) }, shape: [2000], dtype: .float32, requiresGrad: true,
                  expected: "tensor([0.0000e+00, 1.2300e-01, 2.4600e-01,  ..., 2.4563e+02, 2.4575e+02,\n        2.4588e+02], requires_grad=True)"),
        PrintCase(values: (0..<1200).map { Double(Float(Double($0) * 1.0)) }, shape: [40, 30], dtype: .float32, requiresGrad: false,
                  expected: "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.7000e+01, 2.8000e+01,\n         2.9000e+01],\n        [3.0000e+01, 3.1000e+01, 3.2000e+01,  ..., 5.7000e+01, 5.8000e+01,\n         5.9000e+01],\n        [6.0000e+01, 6.1000e+01, 6.2000e+01,  ..., 8.7000e+01, 8.8000e+01,\n         8.9000e+01],\n        ...,\n        [1.1100e+03, 1.1110e+03, 1.1120e+03,  ..., 1.1370e+03, 1.1380e+03,\n         1.1390e+03],\n        [1.1400e+03, 1.1410e+03, 1.1420e+03,  ..., 1.1670e+03, 1.1680e+03,\n         1.1690e+03],\n        [1.1700e+03, 1.1710e+03, 1.1720e+03,  ..., 1.1970e+03, 1.1980e+03,\n         1.1990e+03]])"),
        PrintCase(values: (0..<1200).map { Double(Float(Double($0) * 1.0)) }, shape: [40, 30], dtype: .float32, requiresGrad: true,
                  expected: "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.7000e+01, 2.8000e+01,\n         2.9000e+01],\n        [3.0000e+01, 3.1000e+01, 3.2000e+01,  ..., 5.7000e+01, 5.8000e+01,\n         5.9000e+01],\n        [6.0000e+01, 6.1000e+01, 6.2000e+01,  ..., 8.7000e+01, 8.8000e+01,\n         8.9000e+01],\n        ...,\n        [1.1100e+03, 1.1110e+03, 1.1120e+03,  ..., 1.1370e+03, 1.1380e+03,\n         1.1390e+03],\n        [1.1400e+03, 1.1410e+03, 1.1420e+03,  ..., 1.1670e+03, 1.1680e+03,\n         1.1690e+03],\n        [1.1700e+03, 1.1710e+03, 1.1720e+03,  ..., 1.1970e+03, 1.1980e+03,\n         1.1990e+03]], requires_grad=True)"),
        PrintCase(values: [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0], shape: [3, 4, 5], dtype: .int64, requiresGrad: false,
                  expected: "tensor([[[ 0,  1,  2,  3,  4],\n         [ 5,  6,  7,  8,  9],\n         [10, 11, 12, 13, 14],\n         [15, 16, 17, 18, 19]],\n\n        [[20, 21, 22, 23, 24],\n         [25, 26, 27, 28, 29],\n         [30, 31, 32, 33, 34],\n         [35, 36, 37, 38, 39]],\n\n        [[40, 41, 42, 43, 44],\n         [45, 46, 47, 48, 49],\n         [50, 51, 52, 53, 54],\n         [55, 56, 57, 58, 59]]])"),
        PrintCase(values: [-0.5, 0.25, -0.125], shape: [3], dtype: .float32, requiresGrad: false,
                  expected: "tensor([-0.5000,  0.2500, -0.1250])"),
        PrintCase(values: [-0.5, 0.25, -0.125], shape: [3], dtype: .float32, requiresGrad: true,
                  expected: "tensor([-0.5000,  0.2500, -0.1250], requires_grad=True)"),
        PrintCase(values: [9.99999993922529e-09, 9.999999717180685e-10], shape: [2], dtype: .float32, requiresGrad: false,
                  expected: "tensor([1.0000e-08, 1.0000e-09])"),
        PrintCase(values: [9.99999993922529e-09, 9.999999717180685e-10], shape: [2], dtype: .float32, requiresGrad: true,
                  expected: "tensor([1.0000e-08, 1.0000e-09], requires_grad=True)"),    ]

    func testReprMatchesPyTorch() throws {
        for c in Self.cases {
            let rt = Runtime()
            let t = try rt.tensor(nested(c.values, shape: c.shape, dtype: c.dtype), dtype: c.dtype, requiresGrad: c.requiresGrad)
            XCTAssertEqual(t.description, c.expected)
        }
    }

    func testEmptyTensors() throws {
        let rt = Runtime()
        XCTAssertEqual(try rt.zeros([0]).description, "tensor([])")
        XCTAssertEqual(try rt.zeros([0, 3]).description, "tensor([], size=(0, 3))")
        XCTAssertEqual(try rt.zeros([0], dtype: .int64).description, "tensor([], dtype=torch.int64)")
    }

    func testGradFnSuffixes() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        XCTAssertEqual(try x.mul(2).description, "tensor([2., 2.], grad_fn=<MulBackward0>)")
        let y = try x.mul(1)
        try y.setitem([.int(0)], 5.0)
        XCTAssertEqual(y.description, "tensor([5., 1.], grad_fn=<CopySlices>)")
        XCTAssertEqual(try x.sum().description, "tensor(2., grad_fn=<SumBackward0>)")
    }
}

/// Nested `torch.tensor` input for row-major `values` with `shape`.
func nested(_ values: [Double], shape: [Int], dtype: DType) -> NestedValues {
    guard let size = shape.first else {
        switch dtype {
        case .bool: return .scalar(.bool(values[0] != 0))
        case .int64: return .scalar(.int(Int64(values[0])))
        default: return .scalar(.float(values[0]))
        }
    }
    let rest = Array(shape.dropFirst())
    let chunk = rest.reduce(1, *)
    return .list((0..<size).map { nested(Array(values[($0 * chunk)..<(($0 + 1) * chunk)]), shape: rest, dtype: dtype) })
}
