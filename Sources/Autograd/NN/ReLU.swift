/// `nn.ReLU(inplace=False)`.
public final class ReLU: Module {
    /// Whether the input is overwritten (`relu_`), which saves the mutated tensor as `result`.
    public let inplace: Bool

    public init(inplace: Bool = false) {
        self.inplace = inplace
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try Functional.relu(input, inplace: inplace)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}
