/// The first sighting of a tensor: its identity, the version counter it shares and its metadata.
///
/// Every tensor is announced by one `.tensor` event before any other event refers to it.
/// Views, `detach()` and unpacked saved tensors share their source's counter; `clone()` and
/// `.data` get a counter of their own, as in PyTorch.
public struct TensorInfo: Hashable, Sendable {
    public var id: Int
    /// The version counter this tensor shares (`VariableVersion` in PyTorch).
    public var counter: Int
    /// The storage it reads and writes. `.data` shares the storage but not the counter, which is
    /// how a write through `.data` silently corrupts a saved tensor without any error.
    public var storage: Int
    public var shape: [Int]
    /// PyTorch's dtype name without the `torch.` prefix: `float32`, `float64`, `int64`, `bool`.
    public var dtype: String
    public var requiresGrad: Bool
    /// The tensor this one is a view of (its root `_base`), nil for tensors that own their storage.
    public var base: Int?
    /// Whether the tensor is an `nn.Parameter`.
    public var isParameter: Bool
    /// The first values (row-major) for a preview; at most `TensorValues.previewLimit`.
    public var values: [Double]

    public init(
        id: Int, counter: Int, storage: Int, shape: [Int], dtype: String, requiresGrad: Bool,
        base: Int? = nil, isParameter: Bool = false, values: [Double] = []
    ) {
        self.id = id
        self.counter = counter
        self.storage = storage
        self.shape = shape
        self.dtype = dtype
        self.requiresGrad = requiresGrad
        self.base = base
        self.isParameter = isParameter
        self.values = values
    }

    /// The number of elements, the product of `shape`.
    public var numel: Int { shape.reduce(1, *) }
}
