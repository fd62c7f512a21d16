/// A tensor's `grad_fn` was set or replaced: at creation, by an in-place op's rebase
/// (`AddBackward0`, `CopySlices` on the base), or lazily rebuilt as `AsStridedBackward0` for a view.
public struct GradFnChange: Hashable, Sendable {
    public var tensor: Int
    /// The new grad_fn, nil when the tensor became a leaf again (`detach_()`).
    public var node: Int?
    /// Which output of `node` the tensor is.
    public var outputNr: Int
    /// `requires_grad` after the change (an in-place op with a requires-grad operand turns it on).
    public var requiresGrad: Bool
    /// The tensor's version when the grad_fn was set; a view whose counter has moved past it gets
    /// its grad_fn rebuilt the next time it is read.
    public var version: Int

    @inlinable
    public init(tensor: Int, node: Int?, outputNr: Int, requiresGrad: Bool, version: Int) {
        self.tensor = tensor
        self.node = node
        self.outputNr = outputNr
        self.requiresGrad = requiresGrad
        self.version = version
    }
}
