/// A built-in layer the interpreter can call like `nn.Module`: `forward` plus its parameters
/// in registration order.
public protocol Module: AnyObject {
    /// `module(x)`.
    func forward(_ input: Tensor) throws -> Tensor
    /// Named parameters in PyTorch's registration order (`weight`, then `bias`).
    var namedParameters: [(name: String, tensor: Tensor)] { get }
}

extension Module {
    /// `module.parameters()`.
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }
}
