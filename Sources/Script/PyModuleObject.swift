/// An importable namespace (`torch`, `torch.nn`, `torch.nn.functional`, `torch.optim`).
final class PyModuleObject: PyObject {
    let name: String
    var members: [String: Value] = [:]
    /// Every public name the real PyTorch module has, bound here or not.
    let knownNames: Set<String>

    init(name: String, knownNames: Set<String>) {
        self.name = name
        self.knownNames = knownNames
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
