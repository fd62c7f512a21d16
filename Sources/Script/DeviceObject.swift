/// `torch.device("cpu")`: tapedeck runs everything on the CPU, so this is the only device there is.
final class DeviceObject: PyObject {
    let type: String

    init(type: String) {
        self.type = type
    }

    var typeName: String { "torch.device" }

    func repr(interpreter: Interpreter) throws(PyException) -> String { "device(type='\(type)')" }

    func str(interpreter: Interpreter) throws(PyException) -> String? { type }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "type": return .str(type)
        case "index": return Value.none
        default: return nil
        }
    }

    func compare(_ op: CompareOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value? {
        guard op == .equal || op == .notEqual else { return nil }
        var same = false
        if case .object(let device as DeviceObject) = other { same = device.type == type }
        return .bool(op == .equal ? same : !same)
    }
}
