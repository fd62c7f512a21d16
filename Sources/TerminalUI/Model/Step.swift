/// One row of the Tape pane: a place the cursor can stop.
public struct Step: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A forward op ran.
        case op
        /// A `backward()` call started.
        case backwardCall
        /// The engine runs the `index`-th node of the backward call, as the debugger replays it.
        case node(index: Int)
        /// An exception was raised.
        case error
    }

    public var kind: Kind
    /// The tape event: the op, the error, or (for a backward call and its nodes) the `backward` event.
    public var event: Int
    /// The source line it belongs to (the backward call's line for its nodes), 0 when unknown.
    public var line: Int
    /// The backward call it belongs to, nil during the forward pass.
    public var backward: Int?

    public init(kind: Kind, event: Int, line: Int, backward: Int?) {
        self.kind = kind
        self.event = event
        self.line = line
        self.backward = backward
    }

    /// Whether this step is a node of a replayed backward call.
    public var isNode: Bool {
        if case .node = kind { return true }
        return false
    }
}
