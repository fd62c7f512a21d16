/// One element of a Python subscript: `t[0]`, `t[1:3]`, `t[::2]`, `t[None]`, `t[...]`.
public enum TensorIndex: Hashable, Sendable {
    case int(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case none
    case ellipsis
}
