/// An importable namespace (`torch`, `torch.nn`, `torch.nn.functional`, `torch.optim`).
final class PyModuleObject: PyObject {
    let name: String
    var members: [String: Value] = [:]

    init(name: String) {
        self.name = name
    }

    var typeName: String { "module" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "<module '\(name)'>"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        if name == "__name__" { return .str(self.name) }
        return members[name]
    }
}
