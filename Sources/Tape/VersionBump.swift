/// A version counter moved: an in-place op wrote through `tensor` (or a view sharing its counter).
/// With `from == to` the op wrote and left the counter where it was (`isUnbumped`).
public struct VersionBump: Hashable, Sendable {
    public var counter: Int
    /// The tensor the op wrote through.
    public var tensor: Int
    public var from: Int
    public var to: Int
    /// The op that caused it.
    public var op: Int

    @inlinable
    public init(counter: Int, tensor: Int, from: Int, to: Int, op: Int) {
        self.counter = counter
        self.tensor = tensor
        self.from = from
        self.to = to
        self.op = op
    }

    /// The op wrote through `tensor` without moving its version counter: a fused optimizer kernel
    /// (`aten::_fused_adamw_`), which autograd cannot notice.
    public var isUnbumped: Bool { from == to }
}
