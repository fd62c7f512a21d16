import Autograd

/// `torch.float32` and friends.
final class DTypeObject: PyObject {
    let dtype: DType

    init(_ dtype: DType) {
        self.dtype = dtype
    }

    var typeName: String { "torch.dtype" }

    func repr(interpreter: Interpreter) throws(PyException) -> String { dtype.pythonName }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "is_floating_point": return .bool(dtype.isFloatingPoint)
        default: return nil
        }
    }
}
