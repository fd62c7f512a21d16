/// `nn.Tanh()`.
public final class Tanh: Module {
    public init() {}

    public func forward(_ input: Tensor) throws -> Tensor { try input.tanh() }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}
