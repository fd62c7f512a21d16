import Autograd
import XCTest

/// Unpack order, message clauses and in-place-on-view saves (reference §2.2, §3.1, probes g2 and e9).
final class SavedVariableTests: XCTestCase {
    private func nonLeaf(_ rt: Runtime, _ shape: [Int]) throws -> Tensor {
        try rt.rand(shape, requiresGrad: true).mul(1)
    }

    private func bump(_ rt: Runtime, _ t: Tensor, _ n: Int) throws {
        try rt.withGradMode(false) { for _ in 0..<n { try t.add_(0) } }
    }

    private func reported(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no exception"
        } catch let error as AutogradError {
            let m = error.message
            let start = m.firstIndex(of: "[")!
            let end = m.range(of: " instead.")!.upperBound
            return String(m[start..<end])
        } catch {
            return "\(error)"
        }
    }

    func testFirstStaleSlotInDeclarationOrderIsReported() throws {
        let rt = Runtime()
        let mul = reported {
            let (x, y) = (try nonLeaf(rt, [3]), try nonLeaf(rt, [3]))
            let z = try x.mul(.tensor(y))
            try bump(rt, x, 1)
            try bump(rt, y, 2)
            try z.sum().backward()
        }
        XCTAssertEqual(mul, "[torch.FloatTensor [3]], which is output 0 of Mul, is at version 2; expected version 0 instead.")
        let mm = reported {
            let (x, y) = (try nonLeaf(rt, [2, 3]), try nonLeaf(rt, [3, 4]))
            let z = try x.mm(y)
            try bump(rt, x, 1)
            try bump(rt, y, 2)
            try z.sum().backward()
        }
        XCTAssertEqual(mm, "[torch.FloatTensor [3, 4]], which is output 0 of Mul, is at version 2; expected version 0 instead.")
        let pow = reported {
            let (x, y) = (try nonLeaf(rt, [3]), try nonLeaf(rt, [3]))
            let z = try x.pow(y)
            try bump(rt, x, 1)
            try bump(rt, y, 2)
            try bump(rt, z, 3)
            try z.sum().backward()
        }
        XCTAssertEqual(pow, "[torch.FloatTensor [3]], which is output 0 of Mul, is at version 2; expected version 0 instead.")
        let max = reported {
            let x = try nonLeaf(rt, [3])
            let z = try x.max()
            try bump(rt, x, 1)
            try bump(rt, z, 2)
            try z.backward()
        }
        XCTAssertEqual(max, "[torch.FloatTensor [3]], which is output 0 of Mul, is at version 1; expected version 0 instead.")
        let addmm = reported {
            let (b, m1, m2) = (try nonLeaf(rt, [4]), try nonLeaf(rt, [2, 3]), try nonLeaf(rt, [3, 4]))
            let z = try b.addmm(m1, m2)
            try bump(rt, m1, 1)
            try bump(rt, m2, 2)
            try z.sum().backward()
        }
        XCTAssertEqual(addmm, "[torch.FloatTensor [2, 3]], which is output 0 of Mul, is at version 1; expected version 0 instead.")
        let mse = reported {
            let (x, t) = (try nonLeaf(rt, [3]), try nonLeaf(rt, [3]))
            let z = try Functional.mseLoss(x, t)
            try bump(rt, x, 1)
            try bump(rt, t, 2)
            try z.backward()
        }
        XCTAssertEqual(mse, "[torch.FloatTensor [3]], which is output 0 of Mul, is at version 1; expected version 0 instead.")
    }

    func testInPlaceOnViewSavesResultWithViewGradFn() throws {
        let rt = Runtime()
        let a = try rt.rand([4], requiresGrad: true)
        let b = try a.mul(1)
        let v = try b.getitem([.slice(start: nil, stop: 2, step: nil)])
        try v.exp_()
        XCTAssertEqual(b.gradFn?.name, "torch::autograd::CopySlices")
        XCTAssertEqual(v.gradFn?.name, "AsStridedBackward0")
        XCTAssertEqual(v.version, 1)
        try b.add_(1)
        XCTAssertEqual(b.gradFn?.name, "AddBackward0")
        XCTAssertEqual(v.gradFn?.name, "AsStridedBackward0")
        assertThrows(versionError("torch.FloatTensor [2]", which: "Exp", current: 2, expected: 1)) { try b.sum().backward() }
    }

    func testInPlaceOnViewUntouchedNamesAsStrided() throws {
        let rt = Runtime()
        let a = try rt.rand([4], requiresGrad: true)
        let b = try a.mul(1)
        let v = try b.getitem([.slice(start: nil, stop: 2, step: nil)])
        try v.sigmoid_()
        try rt.withGradMode(false) { try b.mul_(2) }
        assertThrows(versionError("torch.FloatTensor [2]", which: "AsStrided", current: 2, expected: 1)) { try b.sum().backward() }
        XCTAssertEqual(v.version, 2)
    }

    func testInPlaceOnViewSavingCloneIsHarmless() throws {
        let rt = Runtime()
        let a = try rt.floats([0.1, 0.5, 0.2, 0.3], requiresGrad: true)
        let b = try a.mul(1)
        let v = try b.getitem([.slice(start: nil, stop: 2, step: nil)])
        try v.sin_()
        try b.add_(1)
        try b.sum().backward()
        XCTAssertEqual(rounded(a.grad!.values, 4), [0.995, 0.8776, 1, 1])
    }

    func testSavedTensorAccessors() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        let y = try x.mul(2)
        XCTAssertEqual(y.gradFn?.savedSlotNames, ["other", "self"])
        XCTAssertEqual(try y.gradFn?.savedTensor("other")?.dtype, .int64)
        XCTAssertNil(try y.gradFn?.savedTensor("self"))
        let e = try x.exp()
        try e.sum().backward()
        assertThrows("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.") {
            try e.gradFn?.savedTensor("result")
        }
    }

    func testForwardOpNameRendering() throws {
        let rt = Runtime()
        let x = try rt.ones([2], requiresGrad: true)
        XCTAssertEqual(try x.pow(x).gradFn?.forwardOpName, "Pow1")
        XCTAssertEqual(try x.max().gradFn?.forwardOpName, "Max1")
        XCTAssertEqual(try x.exp().gradFn?.forwardOpName, "Exp")
        let y = try x.mul(1)
        try y.copy_(x)
        XCTAssertEqual(y.gradFn?.forwardOpName, "torch::autograd::CopyBackwards")
    }
}
