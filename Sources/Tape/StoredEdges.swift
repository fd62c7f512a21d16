/// A node's `next_functions` where the compact storage holds them: `count` edges, nil where an
/// input needs no gradient, decoded as `forEach` walks them. Valid only during the `TapeVisitor`
/// call that receives it.
public struct StoredEdges {
    /// The first edge's bytes.
    @usableFromInline let start: UnsafePointer<UInt8>
    public let count: Int

    @inlinable
    init(start: UnsafePointer<UInt8>, count: Int) {
        self.start = start
        self.count = count
    }

    /// Calls `body` with each edge in order.
    @inlinable
    public func forEach<E: Error>(_ body: (Edge?) throws(E) -> Void) throws(E) {
        var c = EventCursor(base: start, position: 0, end: 0)
        for _ in 0..<count {
            guard c.bool() else {
                try body(nil)
                continue
            }
            let node = c.int()
            try body(Edge(node: node, inputNr: c.int()))
        }
    }
}
