/// The grad_fn graph below one node, as a tree of `next_functions` down to `AccumulateGrad`.
public struct GradFnTree: Hashable, Sendable {
    public var node: Int
    /// `grad_fn.name()`.
    public var name: String
    public var sequenceNr: UInt64
    /// The forward op that created the node.
    public var op: Int?
    /// For `AccumulateGrad`, the leaf it accumulates into.
    public var variable: Int?
    /// The position of this node in its parent's `next_functions` (0 for the root).
    public var edge: Int
    /// The parent edge's `input_nr`.
    public var inputNr: Int
    /// Saved variables in unpack order.
    public var saved: [SavedValue]
    /// The non-None `next_functions`, in order.
    public var children: [GradFnTree] = []
    /// Already shown elsewhere in this tree; its children are left out.
    public var isRepeat = false
    /// Cut off by the depth limit although it has children.
    public var isTruncated = false

    public init(
        node: Int, name: String, sequenceNr: UInt64, op: Int?, variable: Int?, edge: Int, inputNr: Int,
        saved: [SavedValue]
    ) {
        self.node = node
        self.name = name
        self.sequenceNr = sequenceNr
        self.op = op
        self.variable = variable
        self.edge = edge
        self.inputNr = inputNr
        self.saved = saved
    }
}
