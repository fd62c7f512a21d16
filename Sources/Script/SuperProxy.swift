/// The object `super()` returns: attribute lookups skip the owner class in the receiver's MRO.
final class SuperProxy: PyObject {
    let owner: PyClass
    let receiver: Value

    init(owner: PyClass, receiver: Value) {
        self.owner = owner
        self.receiver = receiver
    }

    var typeName: String { "super" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "<super: <class '\(owner.name)'>, <\(interpreter.typeName(receiver)) object>>"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        let mro = interpreter.classOf(receiver).mro
        guard let start = mro.firstIndex(where: { $0 === owner }) else { return nil }
        for candidate in mro[(start + 1)...] {
            if let value = candidate.attributes[name] { return interpreter.bind(value, to: receiver) }
        }
        if name == "__init__" {
            return interpreter.method("object.__init__") { _ in .none }
        }
        return nil
    }
}
