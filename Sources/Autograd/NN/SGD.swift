/// `torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)`, the single-tensor
/// (non-foreach) CPU path.
public final class SGD {
    /// The parameters it updates, in the order given.
    public let parameters: [Tensor]
    /// The learning rate.
    public var lr: Double
    /// The momentum factor; 0 disables the momentum buffers.
    public var momentum: Double
    /// Scales the gradient added to the momentum buffer after its first step (`1 - dampening`).
    public var dampening: Double
    /// L2 penalty: `grad + weight_decay * param` replaces the gradient.
    public var weightDecay: Double
    /// Steps along `grad + momentum * buffer` instead of the buffer.
    public var nesterov: Bool
    private var momentumBuffers: [ObjectIdentifier: Tensor] = [:]

    public init(_ parameters: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false) {
        self.parameters = parameters
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// `optimizer.zero_grad()` (`set_to_none=True`): every `.grad` becomes None.
    public func zeroGrad() {
        for p in parameters { p.gradStorage = nil }
    }

    /// `optimizer.zero_grad(set_to_none=)`: with `false`, each `.grad` is zeroed in place instead
    /// (one version bump each).
    public func zeroGrad(setToNone: Bool) throws {
        guard !setToNone else { return zeroGrad() }
        for p in parameters { try p.grad?.zero_() }
    }

    /// `optimizer.step()`: under no_grad, `p.add_(grad, alpha=-lr)` for each parameter with a
    /// gradient, bumping each by one; weight decay and momentum first rewrite the gradient as torch does.
    public func step() throws {
        guard let runtime = parameters.first?.runtime else { return }
        try runtime.withGradMode(false) {
            for p in parameters {
                guard var grad = p.grad else { continue }
                if weightDecay != 0 {
                    grad = try grad.add(.tensor(p), alpha: .float(weightDecay))
                }
                if momentum != 0 {
                    let key = ObjectIdentifier(p)
                    let buffer: Tensor
                    if let existing = momentumBuffers[key] {
                        buffer = try existing.mul_(.scalar(.float(momentum))).add_(.tensor(grad), alpha: .float(1 - dampening))
                    } else {
                        buffer = try grad.detach().clone()
                        momentumBuffers[key] = buffer
                    }
                    grad = nesterov ? try grad.add(.tensor(buffer), alpha: .float(momentum)) : buffer
                }
                try p.add_(.tensor(grad), alpha: .float(-lr))
            }
        }
    }
}
