/// A grad_fn node created during the forward pass.
public struct NodeRecord: Hashable, Sendable {
    /// The sequence number PyTorch gives `AccumulateGrad` (`UINT64_MAX`): it always runs first when ready.
    public static let accumulateGradSequenceNr = UInt64.max

    public var id: Int
    /// `grad_fn.name()`: `MulBackward0`, `torch::autograd::CopySlices`, `torch::autograd::AccumulateGrad`.
    public var name: String
    /// `grad_fn._sequence_nr()`: later forward ops get larger numbers; the engine runs the ready
    /// node with the highest number first.
    public var sequenceNr: UInt64
    /// The op that created the node; nil for nodes made outside an op (AccumulateGrad, lazily rebuilt views).
    public var op: Int?
    /// `next_functions`: one entry per differentiable forward input, nil where that input needs no gradient.
    public var next: [Edge?]
    /// For `AccumulateGrad`, the leaf tensor it accumulates into (`.variable`).
    public var variable: Int?

    public init(id: Int, name: String, sequenceNr: UInt64, op: Int?, next: [Edge?], variable: Int? = nil) {
        self.id = id
        self.name = name
        self.sequenceNr = sequenceNr
        self.op = op
        self.next = next
        self.variable = variable
    }

    /// Whether this is a leaf's `AccumulateGrad` node.
    public var isAccumulateGrad: Bool { variable != nil }
}

/// One entry of `next_functions`: the node a gradient flows to, and which of its inputs it feeds.
public struct Edge: Hashable, Sendable {
    public var node: Int
    public var inputNr: Int

    @inlinable
    public init(node: Int, inputNr: Int) {
        self.node = node
        self.inputNr = inputNr
    }
}
