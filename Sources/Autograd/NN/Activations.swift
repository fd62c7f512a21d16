/// `nn.ReLU(inplace=False)`.
public final class ReLU: Module {
    public let inplace: Bool

    public init(inplace: Bool = false) {
        self.inplace = inplace
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try Functional.relu(input, inplace: inplace)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}

/// `nn.Sigmoid()`.
public final class Sigmoid: Module {
    public init() {}

    public func forward(_ input: Tensor) throws -> Tensor { try input.sigmoid() }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}

/// `nn.Tanh()`.
public final class Tanh: Module {
    public init() {}

    public func forward(_ input: Tensor) throws -> Tensor { try input.tanh() }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}

/// `nn.MSELoss(reduction=)`; called with (input, target).
public final class MSELoss {
    public let reduction: Functional.Reduction

    public init(reduction: Functional.Reduction = .mean) {
        self.reduction = reduction
    }

    /// `loss_fn(input, target)`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.mseLoss(input, target, reduction: reduction)
    }
}
