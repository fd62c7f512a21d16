import Tape

/// A tensor as it was at one point of the tape.
public struct TensorState: Hashable, Sendable {
    /// What the tape recorded when the tensor first appeared (counter, storage, dtype, base).
    public var info: TensorInfo
    /// The program name bound to it, if any.
    public var name: String?
    /// `tensor._version`.
    public var version: Int
    /// The current shape (`t_()` and `resize_` change it).
    public var shape: [Int]
    /// The grad_fn node recorded last, nil for a leaf.
    public var gradFn: Int?
    /// `tensor.grad_fn.name()` as PyTorch would answer now: `AsStridedBackward0` for a view whose
    /// counter moved since its grad_fn was set.
    public var gradFnName: String?
    public var outputNr: Int
    public var requiresGrad: Bool
    /// The latest values preview, row-major.
    public var values: [Double]

    public init(
        info: TensorInfo, name: String?, version: Int, shape: [Int], gradFn: Int?, gradFnName: String?,
        outputNr: Int, requiresGrad: Bool, values: [Double]
    ) {
        self.info = info
        self.name = name
        self.version = version
        self.shape = shape
        self.gradFn = gradFn
        self.gradFnName = gradFnName
        self.outputNr = outputNr
        self.requiresGrad = requiresGrad
        self.values = values
    }

    public var id: Int { info.id }
    /// `tensor.is_leaf`: no grad_fn.
    public var isLeaf: Bool { gradFn == nil }
}
