import Autograd

/// The `(values, indices)` named tuple `max(dim=)` and `min(dim=)` return.
final class MinMaxResult: PyObject {
    let name: String
    let values: Tensor
    let indices: Tensor

    init(name: String, values: Tensor, indices: Tensor) {
        self.name = name
        self.values = values
        self.indices = indices
    }

    var typeName: String { "torch.return_types.\(name)" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "torch.return_types.\(name)(\nvalues=\(values.pythonText),\nindices=\(indices.pythonText))"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "values": return .object(values)
        case "indices": return .object(indices)
        default: return nil
        }
    }

    func getItem(_ index: Value, interpreter: Interpreter) throws(PyException) -> Value? {
        try interpreter.getItem(.tuple([.object(values), .object(indices)]), index)
    }

    func iterate(interpreter: Interpreter) throws(PyException) -> [Value]? { [.object(values), .object(indices)] }

    func length(interpreter: Interpreter) throws(PyException) -> Int? { 2 }
}
