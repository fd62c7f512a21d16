/// One forward op as it ran: what was called, where, on which tensors at which versions.
public struct OpRecord: Hashable, Sendable {
    /// The op's position among ops, 0-based and dense: "op #12".
    public var index: Int
    /// PyTorch's operator name with overload, such as `aten::mul.Tensor` or `aten::add_.Tensor`.
    public var name: String
    /// The Python-level spelling that issued it: `Tensor.mul_`, `torch.cat`, `+=`, `x[...] =`, `nn.ReLU`.
    public var call: String
    public var site: CallSite
    /// Whether grad mode was on (false inside `torch.no_grad()`).
    public var gradMode: Bool
    /// Tensor arguments with their version when the op started.
    public var inputs: [TensorVersion]
    /// Results with their version after the op (an in-place op's result is its mutated `self`).
    public var outputs: [TensorVersion]
    /// The op writes into its first input (`add_`, `copy_`, `+=`, setitem).
    public var isInPlace: Bool
    /// The op returns a view sharing its input's storage and version counter.
    public var isView: Bool

    public init(
        index: Int, name: String, call: String, site: CallSite, gradMode: Bool,
        inputs: [TensorVersion], outputs: [TensorVersion], isInPlace: Bool = false, isView: Bool = false
    ) {
        self.index = index
        self.name = name
        self.call = call
        self.site = site
        self.gradMode = gradMode
        self.inputs = inputs
        self.outputs = outputs
        self.isInPlace = isInPlace
        self.isView = isView
    }
}
