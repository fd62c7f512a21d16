/// Classification losses: `F.nll_loss` and `F.cross_entropy` (log_softmax then nll_loss), for
/// `[N, C]` scores and `[N]` class-index targets.
extension Functional {
    /// The target value `nll_loss` skips by default (`ignore_index=-100`).
    public static let ignoreIndex = -100

    /// `F.nll_loss(input, target, reduction=)` (NllLossBackward0, saves `self`, `target` and `total_weight`);
    /// rows whose target is `ignoreIndex` count for nothing, and the mean divides by the rows kept.
    public static func nllLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        guard target.dtype == .int64 else {
            throw AutogradError.runtimeError("expected target dtype to be Long or Byte, but got \(TypePromotion.castName(target.dtype))")
        }
        guard input.dim == 2, target.dim == 1 else {
            throw AutogradError.runtimeError("nll_loss: expected input of shape [N, C] and target of shape [N]")
        }
        let (batch, classes) = (input.shape[0], input.shape[1])
        guard target.shape[0] == batch else {
            throw AutogradError.valueError("Expected input batch_size (\(batch)) to match target batch_size (\(target.shape[0])).")
        }
        let labels = target.contiguousValues().map { Int($0) }
        if let bad = labels.first(where: { $0 != ignoreIndex && ($0 < 0 || $0 >= classes) }) {
            throw AutogradError.indexError("Target \(bad) is out of bounds.")
        }
        let runtime = input.runtime
        let dtype = input.dtype
        let kept = Double(labels.filter { $0 != ignoreIndex }.count)
        let totalWeight = Tensor(runtime: runtime, data: [reduction == .none ? 0 : kept], shape: [], dtype: dtype)
        return try input.outOfPlace("aten::nll_loss", inputs: [input, target], compute: {
            let values = input.contiguousValues()
            let picked = labels.enumerated().map { $0.element == ignoreIndex ? 0 : -values[$0.offset * classes + $0.element] }
            switch reduction {
            case .none: return Kernel.make(input, picked, [batch], dtype)
            case .sum, .mean:
                var total = 0.0
                for v in picked { total = dtype.cast(total + v) }
                if reduction == .mean { total = dtype.cast(total / kept) }
                return Kernel.make(input, [total], [], dtype)
            }
        }, node: { result in
            guard runtime.needsNode([input]) else { return nil }
            let node = runtime.makeNode("NllLossBackward0", inputs: [input], outputs: [result]) { grads in
                let g = grads.grad.contiguousValues()
                var values = [Double](repeating: 0, count: batch * classes)
                for (row, label) in labels.enumerated() where label != ignoreIndex {
                    let upstream = reduction == .none ? g[row] : g[0]
                    values[row * classes + label] = dtype.cast(reduction == .mean ? -upstream / kept : -upstream)
                }
                return [Kernel.make(grads.grad, values, [batch, classes], dtype)]
            }
            node.save("self", input, runtime: runtime)
            node.save("target", target, runtime: runtime)
            node.save("weight", nil, runtime: runtime)
            node.save("total_weight", totalWeight, runtime: runtime)
            return node
        })
    }

    /// `F.cross_entropy(input, target, reduction=)`: `nll_loss(log_softmax(input, 1), target)`.
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try nllLoss(try input.logSoftmax(dim: 1), target, reduction: reduction)
    }
}
