/// An N-d strided tensor over shared storage, with PyTorch's autograd metadata.
///
/// Tensors are reference types because identity matters in PyTorch (`out is h`, saved inputs are
/// the original objects). Views share their base's storage and version counter; `detach()`
/// shares both; `.data` shares the storage with a fresh counter; `clone()` shares nothing.
public final class Tensor {
    /// The run this tensor belongs to.
    public let runtime: Runtime
    var storage: Storage
    var counter: VersionCounter
    /// `tensor.shape`.
    public internal(set) var shape: [Int]
    var strides: [Int]
    var offset: Int
    /// `tensor.dtype`.
    public internal(set) var dtype: DType

    /// `requires_grad_` of a leaf; a non-leaf requires grad because it has a grad_fn.
    var requiresGradFlag = false
    var gradFnStorage: Node?
    /// Which output of its grad_fn this tensor is.
    var outputNr = 0
    /// For a differentiable view, the root tensor whose storage it views (`_base`).
    var viewBase: Tensor?
    /// The version at which a view's grad_fn was last set; a mismatch rebuilds it lazily.
    var attrVersion = 0
    /// How the view was made, which decides whether in-place ops on it are allowed.
    var creationMeta = CreationMeta.normal
    /// Whether this is an `nn.Parameter`.
    public internal(set) var isParameter = false
    var gradStorage: Tensor?
    var retainsGradFlag = false
    weak var gradAccumulator: Node?
    var tapeID: Int?

    init(runtime: Runtime, storage: Storage, counter: VersionCounter, shape: [Int], strides: [Int], offset: Int,
         dtype: DType) {
        self.runtime = runtime
        self.storage = storage
        self.counter = counter
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
    }

    /// A new contiguous tensor owning `data` (already in `dtype`'s domain).
    convenience init(runtime: Runtime, data: [Double], shape: [Int], dtype: DType) {
        self.init(runtime: runtime, storage: Storage(data), counter: VersionCounter(), shape: shape,
                  strides: Tensor.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc *= Swift.max(shape[i], 1)
        }
        return strides
    }

    // MARK: Metadata

    /// `tensor.dim()`.
    public var dim: Int { shape.count }
    /// `tensor.numel()`.
    public var numel: Int { shape.reduce(1, *) }
    /// `tensor._version`.
    public var version: Int { counter.version }
    /// `tensor.is_contiguous()`.
    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected *= shape[i]
        }
        return true
    }
    /// `tensor._is_view()`: a differentiable view of another tensor.
    public var isView: Bool { viewBase != nil }
    /// `tensor._base`.
    public var base: Tensor? { viewBase }

    /// `tensor.requires_grad`; a view of a tensor that requires grad does too, even one made under no_grad.
    public var requiresGrad: Bool {
        requiresGradFlag || gradFnStorage != nil || (viewBase?.requiresGrad ?? false)
    }

    /// `tensor.grad_fn`. Reading it rebuilds a view's grad_fn as `AsStridedBackward0` when the
    /// shared counter moved since it was set (its base or a sibling view was modified in place).
    public var gradFn: Node? {
        guard let base = viewBase, creationMeta == .normal else { return gradFnStorage }
        if gradFnStorage == nil && !base.requiresGrad { return nil }
        if attrVersion != counter.version {
            let (view, baseGeometry, baseShape) = (geometry, base.geometry, base.shape)
            let node = runtime.makeNode("AsStridedBackward0", inputs: [base], outputs: [self], fromOp: false) { input in
                [Kernel.asStridedBackward(input.grad, baseShape: baseShape, geometry: view, base: baseGeometry)]
            }
            setGradFn(node, outputNr: 0)
        }
        return gradFnStorage
    }

    /// `tensor.is_leaf`: no grad_fn.
    public var isLeaf: Bool { gradFn == nil }

    /// `tensor.retains_grad`.
    public var retainsGrad: Bool { retainsGradFlag }

    /// Sets the grad_fn (after an op or a rebase) and reports it to the tape.
    func setGradFn(_ node: Node?, outputNr: Int) {
        if retainsGradFlag {
            gradFnStorage?.removeRetainer(self)
            node?.addRetainer(self, outputNr: outputNr)
        }
        gradFnStorage = node
        self.outputNr = outputNr
        attrVersion = counter.version
        runtime.noteGradFn(self)
    }

    /// The edge a gradient for this tensor flows along: its grad_fn, or its leaf's AccumulateGrad.
    func gradientEdge() -> GradientEdge? {
        if let fn = gradFn { return GradientEdge(node: fn, inputNr: outputNr) }
        guard requiresGradFlag else { return nil }
        return GradientEdge(node: accumulateGradNode(), inputNr: 0)
    }

    /// The leaf's `AccumulateGrad`, the same object while it is alive.
    func accumulateGradNode() -> Node {
        if let node = gradAccumulator { return node }
        let node = Node(name: "torch::autograd::AccumulateGrad", sequenceNr: UInt64.max, nextEdges: [],
                        inputMetadata: [TensorMetadata(shape: shape, dtype: dtype)], formula: nil, variable: self)
        gradAccumulator = node
        return node
    }

    // MARK: Elements

    /// Storage indices of the elements in row-major order.
    var elementOffsets: [Int] {
        if isContiguous { return Array(offset..<(offset + numel)) }
        return geometry.elementOffsets
    }

    /// Where this tensor sits in its storage.
    var geometry: Geometry { Geometry(shape: shape, strides: strides, offset: offset) }

    /// The elements in row-major order.
    func contiguousValues() -> [Double] {
        if isContiguous { return Array(storage.data[offset..<(offset + numel)]) }
        return elementOffsets.map { storage.data[$0] }
    }

    /// The elements in row-major order, as `Double`.
    public var values: [Double] { contiguousValues() }

    /// Writes row-major `values` (one per element) through this tensor's strides, cast to its dtype.
    func write(_ values: [Double]) {
        let offsets = elementOffsets
        for (i, position) in offsets.enumerated() {
            storage.data[position] = dtype.cast(values[i])
        }
    }

    /// A tensor sharing storage (and optionally the counter) with no autograd history.
    func makeAlias(sharingCounter: Bool) -> Tensor {
        Tensor(runtime: runtime, storage: storage, counter: sharingCounter ? counter : VersionCounter(), shape: shape,
               strides: strides, offset: offset, dtype: dtype)
    }

    /// Bumps the shared version counter after a successful in-place write.
    func bumpVersion() {
        let from = counter.version
        counter.version += 1
        runtime.noteBump(self, from: from, to: counter.version)
    }
}
