/// An op's inputs or outputs where the compact storage holds them: `count` (tensor, version)
/// pairs, decoded as `forEach` walks them, so a scan copies none into a buffer of its own. Valid
/// only during the `TapeVisitor` call that receives it.
public struct StoredTensorVersions {
    /// The first pair's bytes.
    @usableFromInline let start: UnsafePointer<UInt8>
    public let count: Int

    @inlinable
    init(start: UnsafePointer<UInt8>, count: Int) {
        self.start = start
        self.count = count
    }

    /// Calls `body` with each pair in order.
    @inlinable
    public func forEach<E: Error>(_ body: (TensorVersion) throws(E) -> Void) throws(E) {
        var c = EventCursor(base: start, position: 0, end: 0)
        for _ in 0..<count {
            let tensor = c.int()
            try body(TensorVersion(tensor: tensor, version: c.int()))
        }
    }
}
