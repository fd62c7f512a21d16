/// The start of a `backward()` call: the roots it starts from and whether the graph is kept.
public struct BackwardCall: Hashable, Sendable {
    /// The call's position among backward calls, 0-based.
    public var id: Int
    /// The root edges (the grad_fn of each output, or its AccumulateGrad for a leaf).
    public var roots: [Edge]
    public var site: CallSite
    public var retainGraph: Bool

    public init(id: Int, roots: [Edge], site: CallSite, retainGraph: Bool) {
        self.id = id
        self.roots = roots
        self.site = site
        self.retainGraph = retainGraph
    }
}

/// The engine is about to run a node, with the gradients flowing into it.
public struct NodeRun: Hashable, Sendable {
    public var backward: Int
    public var node: Int
    /// One gradient per node output (`grad_outputs`), nil where none flowed.
    public var incoming: [TensorValues?]

    public init(backward: Int, node: Int, incoming: [TensorValues?] = []) {
        self.backward = backward
        self.node = node
        self.incoming = incoming
    }
}

/// A node finished, with the gradients it passes on, one per `next_functions` entry.
public struct NodeResult: Hashable, Sendable {
    public var backward: Int
    public var node: Int
    public var outgoing: [TensorValues?]

    public init(backward: Int, node: Int, outgoing: [TensorValues?] = []) {
        self.backward = backward
        self.node = node
        self.outgoing = outgoing
    }
}

/// The end of a backward call: success, or the node and saved slot that failed.
public struct BackwardEnd: Hashable, Sendable {
    public var backward: Int
    /// The node whose unpack raised, nil when backward succeeded or failed before any node ran.
    public var failedNode: Int?
    /// The saved slot that was stale or freed.
    public var failedSlot: String?
    /// The error message, nil on success.
    public var message: String?

    public init(backward: Int, failedNode: Int? = nil, failedSlot: String? = nil, message: String? = nil) {
        self.backward = backward
        self.failedNode = failedNode
        self.failedSlot = failedSlot
        self.message = message
    }
}
