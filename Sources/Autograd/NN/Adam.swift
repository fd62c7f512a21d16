import Foundation

/// `torch.optim.Adam(params, lr, betas, eps, weight_decay)`, the single-tensor CPU path
/// (`_single_tensor_adam`): per parameter a float32 `step` tensor and the `exp_avg` / `exp_avg_sq`
/// buffers, created on the first step; each step bumps every parameter with a gradient once.
public final class Adam {
    /// The parameters it updates, in the order given.
    public let parameters: [Tensor]
    public var lr: Double
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    /// L2 penalty: `grad + weight_decay * param` replaces the gradient.
    public var weightDecay: Double
    private var states: [ObjectIdentifier: State] = [:]

    private struct State {
        let step: Tensor
        let expAvg: Tensor
        let expAvgSq: Tensor
    }

    public init(_ parameters: [Tensor], lr: Double, beta1: Double, beta2: Double, eps: Double, weightDecay: Double) {
        self.parameters = parameters
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }

    /// `optimizer.step()`: creates missing state for every parameter with a gradient (as `_init_group`
    /// does, before any update), then updates each in turn under no_grad.
    public func step() throws {
        guard let runtime = parameters.first?.runtime else { return }
        try runtime.withGradMode(false) {
            for p in parameters where p.grad != nil && states[ObjectIdentifier(p)] == nil {
                states[ObjectIdentifier(p)] = State(
                    step: try runtime.tensor(.scalar(.float(0)), dtype: .float32),
                    expAvg: try runtime.zerosLike(p), expAvgSq: try runtime.zerosLike(p))
            }
            for p in parameters {
                guard var grad = p.grad, let state = states[ObjectIdentifier(p)] else { continue }
                try state.step.add_(.scalar(.int(1)))
                if weightDecay != 0 {
                    grad = try grad.add(.tensor(p), alpha: .float(weightDecay))
                }
                try state.expAvg.lerp_(grad, weight: 1 - beta1)
                try state.expAvgSq.mul_(.scalar(.float(beta2))).addcmul_(grad, grad, value: 1 - beta2)
                let step = try state.step.item().doubleValue
                let biasCorrection1 = 1 - Foundation.pow(beta1, step)
                let biasCorrection2 = 1 - Foundation.pow(beta2, step)
                let stepSize = lr / biasCorrection1
                let denom = try state.expAvgSq.sqrt().div(.scalar(.float(Foundation.pow(biasCorrection2, 0.5))))
                    .add_(.scalar(.float(eps)))
                try p.addcdiv_(state.expAvg, denom, value: -stepSize)
            }
        }
    }
}
