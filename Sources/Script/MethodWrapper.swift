/// `staticmethod`, `classmethod` and `property`: class attributes that change what a function
/// becomes when it is looked up through an instance or the class.
final class MethodWrapper: PyObject {
    enum Kind: String {
        case staticMethod = "staticmethod"
        case classMethod = "classmethod"
        case property
    }

    let kind: Kind
    let function: Value

    init(kind: Kind, function: Value) {
        self.kind = kind
        self.function = function
    }

    var typeName: String { kind.rawValue }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        kind == .property ? "<property object at \(interpreter.address(of: self))>" : "<\(kind.rawValue)(\(try interpreter.repr(function)))>"
    }
}
