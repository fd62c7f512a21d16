import Foundation

/// `nn.Linear(in_features, out_features, bias=True)`.
///
/// Initialised like PyTorch: `kaiming_uniform_(weight, a=sqrt(5))` and `uniform_(bias, ±1/sqrt(fan_in))`,
/// both in place under no_grad, so weight and bias start at version 1.
public final class Linear: Module {
    /// `in_features`.
    public let inFeatures: Int
    /// `out_features`.
    public let outFeatures: Int
    /// The `[out_features, in_features]` weight Parameter, at version 1 after initialisation.
    public let weight: Tensor
    /// The `[out_features]` bias Parameter, nil for `bias=False`.
    public let bias: Tensor?

    /// Creates the layer and initialises its parameters from the runtime's generator.
    public init(_ runtime: Runtime, inFeatures: Int, outFeatures: Int, bias: Bool = true) throws {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = try runtime.parameter(runtime.withGradMode(false) { try runtime.zeros([outFeatures, inFeatures]) })
        self.bias = bias ? try runtime.parameter(runtime.withGradMode(false) { try runtime.zeros([outFeatures]) }) : nil
        let gain = (2.0 / (1 + 5.0)).squareRoot()
        let bound = (3.0).squareRoot() * (gain / Double(inFeatures).squareRoot())
        let biasBound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
        try runtime.withGradMode(false) {
            try weight.uniform_(from: -bound, to: bound)
            try self.bias?.uniform_(from: -biasBound, to: biasBound)
        }
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try Functional.linear(input, weight: weight, bias: bias)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
