/// `torch.nn.functional`: `linear`, `mse_loss` and `relu`.
public enum Functional {
    /// `F.linear(input, weight, bias)`: `addmm(bias, input, weight.t())` for 2-D input (inputs of
    /// other ranks are viewed as 2-D and back); without bias, `input @ weight.t()`.
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        let wt = try weight.t()
        guard let bias else { return try input.matmul(wt) }
        if input.dim == 2 { return try bias.addmm(input, wt) }
        let features = input.shape.last ?? 1
        let flat = try input.view([-1, features])
        let output = try bias.addmm(flat, wt)
        return try output.view(Array(input.shape.dropLast()) + [weight.shape[0]])
    }

    /// The `reduction=` of a loss.
    public enum Reduction: String, Sendable {
        case none
        case mean
        case sum
    }

    /// `F.mse_loss(input, target, reduction=)` (MseLossBackward0, saves `self` and `target`).
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        let shape = try Kernel.broadcastShapes(input.shape, target.shape)
        let count = Double(shape.reduce(1, *))
        let runtime = input.runtime
        return try input.outOfPlace("aten::mse_loss", inputs: [input, target], compute: {
            let dtype = Kernel.promote(input, target)
            let squared = Kernel.zip(input, target, dtype: dtype, { ($0 - $1) * ($0 - $1) }, f32: { ($0 - $1) * ($0 - $1) })
            switch reduction {
            case .none: return squared
            case .sum: return Kernel.sum(squared, dims: Array(0..<squared.dim), keepdim: false)
            case .mean:
                return Kernel.map(Kernel.sum(squared, dims: Array(0..<squared.dim), keepdim: false), { $0 / count },
                                  f32: { $0 / Float(count) })
            }
        }, node: { result in
            guard runtime.needsNode([input, target]) else { return nil }
            let node = runtime.makeNode("MseLossBackward0", inputs: [input, target], outputs: [result]) { grads in
                let (x, y) = (grads.saved[0]!, grads.saved[1]!)
                let norm = reduction == .mean ? 2 / count : 2
                func backward(_ a: Tensor, _ b: Tensor) -> Tensor {
                    let scaled = Kernel.zip(a, b, dtype: grads.grad.dtype, { norm * ($0 - $1) }, f32: { Float(norm) * ($0 - $1) })
                    return Kernel.mul(scaled, grads.grad)
                }
                return [grads.needs(0) ? backward(x, y) : nil, grads.needs(1) ? backward(y, x) : nil]
            }
            node.save("self", input, runtime: runtime)
            node.save("target", target, runtime: runtime)
            return node
        })
    }

    /// `F.relu(input, inplace=)`.
    public static func relu(_ input: Tensor, inplace: Bool = false) throws -> Tensor {
        inplace ? try input.relu_() : try input.relu()
    }
}
