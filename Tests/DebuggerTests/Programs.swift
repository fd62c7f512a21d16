@testable import Debugger
import Tape
import TorchRules

/// Hand-recorded tapes of small programs, event for event as the engine records them (names,
/// saved slots in Functions.h order, sequence numbers and versions checked against torch 2.13).
enum Programs {
    static let hint = AutogradMessagePieces.hint

    /// `a = x * 2; y = a * a; a += 1; loss.backward()`: MulBackward0 finds `other` (a) stale.
    /// `culpritCall` is the Python spelling of the `a += 1` write ("" for an op issued from C++).
    static func savedInputMul(culpritCall: String = "+=") -> Tape {
        let source = """
        import torch

        x = torch.ones(5, requires_grad=True)
        a = x * 2
        y = a * a
        loss = y.sum()
        print(a._version, a.grad_fn.name())
        a += 1
        print(a._version, a.grad_fn.name())
        loss.backward()
        """
        let b = TapeBuilder(source: source, path: "saved_input_mul.py")
        let x = b.tensor("x", shape: [5], requiresGrad: true, line: 3)
        b.op("aten::ones", call: "torch.ones", line: 3, inputs: [], outputs: [x])
        let accX = b.accumulateGrad(x)
        let a = b.tensor("a", shape: [5], requiresGrad: true, line: 4)
        let two = b.tensor(shape: [], dtype: "int64")
        let op1 = b.op("aten::mul.Tensor", call: "*", line: 4, column: 5, length: 5, inputs: [x, two], outputs: [a])
        let mulA = b.node("MulBackward0", op: op1, next: [accX, nil])
        b.gradFn(a, mulA)
        b.save(mulA, "other", two)
        let y = b.tensor("y", shape: [5], requiresGrad: true, line: 5)
        let op2 = b.op("aten::mul.Tensor", call: "*", line: 5, column: 5, length: 5, inputs: [a, a], outputs: [y])
        let mulY = b.node("MulBackward0", op: op2, next: [mulA, mulA])
        b.gradFn(y, mulY)
        b.save(mulY, "other", a)
        b.save(mulY, "self", a)
        let loss = b.tensor("loss", shape: [], requiresGrad: true, line: 6)
        let op3 = b.op("aten::sum", call: "Tensor.sum", line: 6, inputs: [y], outputs: [loss])
        let sum = b.node("SumBackward0", op: op3, next: [mulY])
        b.gradFn(loss, sum)
        b.record(.output("0 MulBackward0\n"))
        let op4 = b.op("aten::add_.Tensor", call: culpritCall, line: 8, column: 1, length: 6, inputs: [a], outputs: [a], inPlace: true)
        let add = b.node("AddBackward0", op: op4, next: [mulA, nil])
        b.gradFn(a, add)
        let call = b.backward(roots: [sum], line: 10)
        b.error(versionMessage("[torch.FloatTensor [5]], which is output 0 of Add,", current: 1, saved: 0), line: 10, backward: call)
        b.record(.exit(code: 1))
        return b.tape
    }

    /// `y = x * x` on a leaf, then `x += 1` under no_grad: no which-clause, culprit under no_grad.
    static func leafInPlaceNoGrad() -> Tape {
        let source = """
        import torch

        x = torch.ones(3, requires_grad=True)
        y = x * x
        with torch.no_grad():
            x += 1
        print(x._version, x.requires_grad, x.is_leaf)
        try:
            y.sum().backward()
        except RuntimeError as e:
            print("RuntimeError:", e)
        print(x.grad)
        """
        let b = TapeBuilder(source: source, path: "leaf_inplace_no_grad.py")
        let (x, y, mul) = square(b, leaf: "x", line: 3, product: "y", line: 4)
        b.op("aten::add_.Tensor", call: "+=", line: 6, column: 5, length: 6, inputs: [x], outputs: [x], inPlace: true, gradMode: false)
        let s = b.tensor(shape: [], requiresGrad: true)
        let op2 = b.op("aten::sum", call: "Tensor.sum", line: 9, inputs: [y], outputs: [s])
        let sum = b.node("SumBackward0", op: op2, next: [mul])
        b.gradFn(s, sum)
        let call = b.backward(roots: [sum], line: 9)
        b.error(versionMessage("[torch.FloatTensor [3]]", current: 1, saved: 0), line: 9, backward: call)
        b.record(.exit(code: 0))
        return b.tape
    }

    /// A linear layer whose weight `optimizer.step()` bumps between two backward calls through
    /// the same graph: the saved `W.t()` view reads as `AsStrided`.
    static func optimizerStepBetweenBackwards() -> Tape {
        let source = """
        import torch
        import torch.nn as nn
        lin = nn.Linear(2, 1)
        opt = torch.optim.SGD(lin.parameters(), lr=0.1)
        x = torch.ones(4, 2, requires_grad=True)
        out = lin(x)
        loss_a = out.mean()
        loss_b = -out.mean()
        loss_a.backward(retain_graph=True)
        opt.step()
        loss_b.backward()
        """
        let b = TapeBuilder(source: source, path: "optimizer_step.py")
        let w = b.tensor(shape: [1, 2], requiresGrad: true, line: 3)
        let bias = b.tensor(shape: [1], requiresGrad: true, line: 3)
        b.op("aten::uniform_", call: "nn.Linear", line: 3, inputs: [w], outputs: [w], inPlace: true, gradMode: false)
        b.op("aten::uniform_", call: "nn.Linear", line: 3, inputs: [bias], outputs: [bias], inPlace: true, gradMode: false)
        let x = b.tensor("x", shape: [4, 2], requiresGrad: true, line: 5)
        let accW = b.accumulateGrad(w)
        let accB = b.accumulateGrad(bias)
        let accX = b.accumulateGrad(x)
        let wt = b.tensor(shape: [2, 1], requiresGrad: true, viewOf: w)
        let opT = b.op("aten::t", call: "nn.Linear", line: 6, inputs: [w], outputs: [wt], view: true)
        let t = b.node("TBackward0", op: opT, next: [accW])
        b.gradFn(wt, t)
        let out = b.tensor("out", shape: [4, 1], requiresGrad: true, line: 6)
        let opMM = b.op("aten::addmm", call: "nn.Linear", line: 6, inputs: [bias, x, wt], outputs: [out])
        let addmm = b.node("AddmmBackward0", op: opMM, next: [accB, accX, t])
        b.gradFn(out, addmm)
        b.save(addmm, "mat1", x)
        b.save(addmm, "mat2", wt)
        let lossA = b.tensor("loss_a", shape: [], requiresGrad: true, line: 7)
        let opA = b.op("aten::mean", call: "Tensor.mean", line: 7, inputs: [out], outputs: [lossA])
        let meanA = b.node("MeanBackward0", op: opA, next: [addmm])
        b.gradFn(lossA, meanA)
        let m = b.tensor(shape: [], requiresGrad: true)
        let opM = b.op("aten::mean", call: "Tensor.mean", line: 8, inputs: [out], outputs: [m])
        let meanB = b.node("MeanBackward0", op: opM, next: [addmm])
        b.gradFn(m, meanB)
        let lossB = b.tensor("loss_b", shape: [], requiresGrad: true, line: 8)
        let opN = b.op("aten::neg", call: "-", line: 8, inputs: [m], outputs: [lossB])
        let neg = b.node("NegBackward0", op: opN, next: [meanB])
        b.gradFn(lossB, neg)
        b.backward(roots: [meanA], line: 9, retainGraph: true)
        b.op("aten::add_.Tensor", call: "SGD.step", line: 10, column: 1, length: 10, inputs: [w], outputs: [w], inPlace: true, gradMode: false)
        b.op("aten::add_.Tensor", call: "SGD.step", line: 10, column: 1, length: 10, inputs: [bias], outputs: [bias], inPlace: true, gradMode: false)
        let second = b.backward(roots: [neg], line: 11)
        b.error(versionMessage("[torch.FloatTensor [2, 1]], which is output 0 of AsStrided,", current: 2, saved: 1), line: 11, backward: second)
        b.record(.exit(code: 1))
        return b.tape
    }

    /// `AdamW(fused=True)`'s step between two backward calls through `y = w * w`: the fused kernel
    /// writes `w` without a version bump, so the second backward raises nothing and uses the new `w`.
    static func fusedStepBetweenBackwards() -> Tape {
        let source = """
        import torch

        w = torch.nn.Parameter(torch.ones(3))
        opt = torch.optim.AdamW([w], lr=0.1, fused=True)
        y = w * w
        y.sum().backward(retain_graph=True)
        opt.step()
        y.sum().backward()
        """
        let b = TapeBuilder(source: source, path: "fused_step.py")
        let (w, y, mul) = square(b, leaf: "w", line: 3, product: "y", line: 5)
        for line in [6, 8] {
            if line == 8 {
                let step = b.op("aten::_fused_adamw_", call: "torch._fused_adamw_", line: 7, column: 1, length: 10,
                                inputs: [w], outputs: [], gradMode: false, frame: "Adam.step")
                b.unbumpedWrite(w, op: step)
            }
            let s = b.tensor(shape: [], requiresGrad: true)
            let opSum = b.op("aten::sum", call: "Tensor.sum", line: line, inputs: [y], outputs: [s])
            let sum = b.node("SumBackward0", op: opSum, next: [mul])
            b.gradFn(s, sum)
            b.backward(roots: [sum], line: line, retainGraph: line == 6)
        }
        b.record(.exit(code: 0))
        return b.tape
    }

    /// A leaf of three elements that requires grad, made on `leafLine`, and its square `leaf * leaf`
    /// on `line`, whose MulBackward0 saves the leaf as `other` and `self`.
    private static func square(
        _ b: TapeBuilder, leaf leafName: String, line leafLine: Int, product productName: String, line: Int
    ) -> (leaf: Int, product: Int, node: Int) {
        let leaf = b.tensor(leafName, shape: [3], requiresGrad: true, line: leafLine)
        let accumulate = b.accumulateGrad(leaf)
        let product = b.tensor(productName, shape: [3], requiresGrad: true, line: line)
        let op = b.op("aten::mul.Tensor", call: "*", line: line, column: 5, length: 5, inputs: [leaf, leaf], outputs: [product])
        let mul = b.node("MulBackward0", op: op, next: [accumulate, accumulate])
        b.gradFn(product, mul)
        b.save(mul, "other", leaf)
        b.save(mul, "self", leaf)
        return (leaf, product, mul)
    }

    /// `y = (x * x).sum(); y.backward(); y.backward()`: the second call finds MulBackward0 freed.
    static func backwardTwice() -> Tape {
        let source = """
        import torch

        x = torch.ones(2, requires_grad=True)
        y = (x * x).sum()
        y.backward()
        print(x.grad.tolist())
        try:
            y.backward()
        except RuntimeError as e:
            print("RuntimeError:", e)
        """
        let b = TapeBuilder(source: source, path: "backward_twice.py")
        let x = b.tensor("x", shape: [2], requiresGrad: true, line: 3)
        let accX = b.accumulateGrad(x)
        let p = b.tensor(shape: [2], requiresGrad: true)
        let op0 = b.op("aten::mul.Tensor", call: "*", line: 4, inputs: [x, x], outputs: [p])
        let mul = b.node("MulBackward0", op: op0, next: [accX, accX])
        b.gradFn(p, mul)
        b.save(mul, "other", x)
        b.save(mul, "self", x)
        let y = b.tensor("y", shape: [], requiresGrad: true, line: 4)
        let op1 = b.op("aten::sum", call: "Tensor.sum", line: 4, inputs: [p], outputs: [y])
        let sum = b.node("SumBackward0", op: op1, next: [mul])
        b.gradFn(y, sum)
        b.backward(roots: [sum], line: 5)
        let second = b.backward(roots: [sum], line: 8)
        b.error(AutogradMessage.backwardTwice, line: 8, backward: second)
        b.record(.exit(code: 0))
        return b.tape
    }

    /// `y = x.sigmoid(); d = y.<derive>; d.zero_(); y.sum().backward()` with `d` made by `.data`
    /// (own counter: silent) or `.detach()` (shared counter: version error).
    static func writeThroughAlias(detach: Bool) -> Tape {
        let source = """
        import torch

        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x.sigmoid()
        d = y.\(detach ? "detach()" : "data")
        d.zero_()
        print(y._version, d._version)
        y.sum().backward()
        """
        let b = TapeBuilder(source: source, path: detach ? "detach.py" : "data.py")
        let x = b.tensor("x", shape: [3], requiresGrad: true, line: 3)
        let accX = b.accumulateGrad(x)
        let y = b.tensor("y", shape: [3], requiresGrad: true, line: 4)
        let op0 = b.op("aten::sigmoid", call: "Tensor.sigmoid", line: 4, column: 5, length: 11, inputs: [x], outputs: [y])
        let sigmoid = b.node("SigmoidBackward0", op: op0, next: [accX])
        b.gradFn(y, sigmoid)
        b.save(sigmoid, "result", y, output: true)
        let d = detach
            ? b.tensor("d", shape: [3], sharingCounterOf: y, line: 5)
            : b.tensor("d", shape: [3], sharingStorageOf: y, line: 5)
        if detach { b.op("aten::detach", call: "Tensor.detach", line: 5, inputs: [y], outputs: [d], view: true) }
        b.op("aten::zero_", call: "Tensor.zero_", line: 6, column: 1, length: 9, inputs: [d], outputs: [d], inPlace: true)
        let s = b.tensor(shape: [], requiresGrad: true)
        let op2 = b.op("aten::sum", call: "Tensor.sum", line: 8, inputs: [y], outputs: [s])
        let sum = b.node("SumBackward0", op: op2, next: [sigmoid])
        b.gradFn(s, sum)
        let call = b.backward(roots: [sum], line: 8)
        if detach {
            b.error(versionMessage("[torch.FloatTensor [3]], which is output 0 of Sigmoid,", current: 1, saved: 0), line: 8, backward: call)
        }
        b.record(.exit(code: detach ? 1 : 0))
        return b.tape
    }

    /// `h = torch.sigmoid(x * 1); act = nn.ReLU(inplace=True); out = act(h)`.
    static func reluInPlace() -> Tape {
        let source = """
        import torch
        import torch.nn as nn

        x = torch.tensor([[-1.0, 0.5], [2.0, -3.0]], requires_grad=True)
        h = torch.sigmoid(x * 1)
        act = nn.ReLU(inplace=True)
        out = act(h)
        print(out is h, h._version, h.grad_fn.name())
        out.sum().backward()
        """
        let b = TapeBuilder(source: source, path: "relu_inplace.py")
        let x = b.tensor("x", shape: [2, 2], requiresGrad: true, line: 4)
        let accX = b.accumulateGrad(x)
        let one = b.tensor(shape: [], dtype: "int64")
        let m = b.tensor(shape: [2, 2], requiresGrad: true)
        let op0 = b.op("aten::mul.Tensor", call: "*", line: 5, inputs: [x, one], outputs: [m])
        let mul = b.node("MulBackward0", op: op0, next: [accX, nil])
        b.gradFn(m, mul)
        b.save(mul, "other", one)
        let h = b.tensor("h", shape: [2, 2], requiresGrad: true, line: 5)
        let op1 = b.op("aten::sigmoid", call: "torch.sigmoid", line: 5, inputs: [m], outputs: [h])
        let sigmoid = b.node("SigmoidBackward0", op: op1, next: [mul])
        b.gradFn(h, sigmoid)
        b.save(sigmoid, "result", h, output: true)
        let op2 = b.op("aten::relu_", call: "nn.ReLU", line: 7, column: 7, length: 6, inputs: [h], outputs: [h], inPlace: true)
        let relu = b.node("ReluBackward0", op: op2, next: [sigmoid])
        b.gradFn(h, relu)
        b.save(relu, "result", h, output: true)
        let s = b.tensor(shape: [], requiresGrad: true)
        let op3 = b.op("aten::sum", call: "Tensor.sum", line: 9, inputs: [h], outputs: [s])
        let sum = b.node("SumBackward0", op: op3, next: [relu])
        b.gradFn(s, sum)
        let call = b.backward(roots: [sum], line: 9)
        b.error(versionMessage("[torch.FloatTensor [2, 2]], which is output 0 of Sigmoid,", current: 1, saved: 0), line: 9, backward: call)
        b.record(.exit(code: 1))
        return b.tape
    }

    /// seed_example1: `x += 1` on a leaf that requires grad raises at the in-place line.
    static func leafInPlace() -> Tape {
        let source = """
        import torch

        # Creates a tensor with requires_grad=True
        x = torch.ones(5, requires_grad=True)
        y = 2 * x  # y is also part of graph
        loss = y.sum()

        # Simulates an in-place operation that invalidates the grad computation.
        x += 1

        loss.backward() # Error occurs here
        print(x.grad)
        """
        let b = TapeBuilder(source: source, path: "seed_example1.py")
        let x = b.tensor("x", shape: [5], requiresGrad: true, line: 4)
        let accX = b.accumulateGrad(x)
        let two = b.tensor(shape: [], dtype: "int64")
        let y = b.tensor("y", shape: [5], requiresGrad: true, line: 5)
        let op0 = b.op("aten::mul.Tensor", call: "*", line: 5, inputs: [two, x], outputs: [y])
        let mul = b.node("MulBackward0", op: op0, next: [accX, nil])
        b.gradFn(y, mul)
        b.save(mul, "other", two)
        b.record(.error(RaisedError(
            type: "RuntimeError", message: AutogradMessage.leafInPlace, site: CallSite(line: 9, column: 1, endColumn: 7))))
        b.record(.exit(code: 1))
        return b.tape
    }

    static func versionMessage(_ tensor: String, current: Int, saved: Int) -> String {
        AutogradMessage.versionMismatchPrefix + tensor + " is at version \(current); expected version \(saved) instead. Hint: " + hint
    }
}

enum AutogradMessagePieces {
    static let hint = "enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
}
