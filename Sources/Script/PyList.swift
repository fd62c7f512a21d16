/// A Python list: a shared, mutable array.
final class PyList {
    var items: [Value]
    init(_ items: [Value]) { self.items = items }
}
