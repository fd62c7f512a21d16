/// A tensor together with the value of its version counter at one moment.
///
/// Rendered `t3@v0` in the debugger: tensor 3 when its `_version` was 0.
public struct TensorVersion: Hashable, Sendable {
    public var tensor: Int
    public var version: Int

    @inlinable
    public init(tensor: Int, version: Int) {
        self.tensor = tensor
        self.version = version
    }
}
