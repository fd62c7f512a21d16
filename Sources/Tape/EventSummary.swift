/// The integer references of one event — the tensor, node, op, backward call, version counter,
/// base and source line it names — read from a tape's compact storage without decoding its
/// strings or arrays, for indexes that scan a whole tape and need only these.
public struct EventSummary: Hashable, Sendable {
    public var kind: Event.Kind
    /// `t`: the tensor the event announces, changes, saves, writes through or previews.
    public var tensor: Int?
    /// `n`: the node it creates, saves for, runs or releases.
    public var node: Int?
    /// The op index of an `op` event (`i`), or the op that made a node or bump (`op`).
    public var op: Int?
    /// `b`: the backward call.
    public var backward: Int?
    /// `vc`: the version counter of a tensor or bump.
    public var counter: Int?
    /// The base tensor of a view.
    public var base: Int?
    /// The source line of an op, binding, error or backward call.
    public var line: Int?

    public init(kind: Event.Kind) {
        self.kind = kind
    }
}

extension EventStore where Bytes == [UInt8] {
    /// The integer references of event `index`, skipping every other field without allocating.
    func summary(at index: Int) -> EventSummary {
        let range = fieldRange(of: index)
        let kind = self.kind(at: index)
        return bytes.withUnsafeBufferPointer { buffer in
            var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
            var summary = EventSummary(kind: kind)
            while let field = c.field() {
                switch field {
                case .tensor: summary.tensor = c.int()
                case .node: summary.node = c.int()
                case .index, .op: summary.op = c.int()
                case .backward: summary.backward = c.int()
                case .counter: summary.counter = c.int()
                case .base: summary.base = c.int()
                case .line: summary.line = c.int()
                default: if let type = TraceSchema.shared.type(of: field, in: kind) { c.skip(type) }
                }
            }
            return summary
        }
    }
}
