/// A function implemented in Swift: a builtin, a torch function or a bound method of a torch object.
final class Builtin {
    typealias Implementation = (inout Arguments) throws(PyException) -> Value
    let name: String
    let implementation: Implementation

    init(_ name: String, _ implementation: @escaping Implementation) {
        self.name = name
        self.implementation = implementation
    }
}
