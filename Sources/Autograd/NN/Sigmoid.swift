/// `nn.Sigmoid()`.
public final class Sigmoid: Module {
    public init() {}

    public func forward(_ input: Tensor) throws -> Tensor { try input.sigmoid() }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}
