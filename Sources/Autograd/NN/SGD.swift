/// `torch.optim.SGD(params, lr, momentum=0)`, the single-tensor (non-foreach) CPU path.
public final class SGD {
    /// The parameters it updates, in the order given.
    public let parameters: [Tensor]
    /// The learning rate.
    public var lr: Double
    /// The momentum factor; 0 disables the momentum buffers.
    public var momentum: Double
    private var momentumBuffers: [ObjectIdentifier: Tensor] = [:]

    public init(_ parameters: [Tensor], lr: Double, momentum: Double = 0) {
        self.parameters = parameters
        self.lr = lr
        self.momentum = momentum
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
    /// gradient, bumping each by one.
    public func step() throws {
        guard let runtime = parameters.first?.runtime else { return }
        try runtime.withGradMode(false) {
            for p in parameters {
                guard var grad = p.grad else { continue }
                if momentum != 0 {
                    let key = ObjectIdentifier(p)
                    if let buffer = momentumBuffers[key] {
                        try buffer.mul_(.scalar(.float(momentum))).add_(.tensor(grad))
                        grad = buffer
                    } else {
                        let buffer = try grad.clone().detach()
                        momentumBuffers[key] = buffer
                        grad = buffer
                    }
                }
                try p.add_(.tensor(grad), alpha: .float(-lr))
            }
        }
    }
}
