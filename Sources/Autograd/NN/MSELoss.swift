/// `nn.MSELoss(reduction=)`; called with (input, target).
public final class MSELoss {
    /// How the squared errors are reduced (`'mean'` by default).
    public let reduction: Functional.Reduction

    public init(reduction: Functional.Reduction = .mean) {
        self.reduction = reduction
    }

    /// `loss_fn(input, target)`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.mseLoss(input, target, reduction: reduction)
    }
}
