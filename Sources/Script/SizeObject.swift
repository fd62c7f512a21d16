/// `torch.Size([2, 3])`: a tuple of ints that prints like PyTorch.
final class SizeObject: PyObject {
    let dims: [Int]

    init(_ dims: [Int]) {
        self.dims = dims
    }

    var typeName: String { "torch.Size" }

    private var tuple: Value { .tuple(dims.map { .int($0) }) }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "torch.Size([" + dims.map(String.init).joined(separator: ", ") + "])"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "numel": return interpreter.method("Size.numel") { _ in .int(self.dims.reduce(1, *)) }
        case "index", "count": return try interpreter.getAttribute(tuple, name)
        default: return nil
        }
    }

    func getItem(_ index: Value, interpreter: Interpreter) throws(PyException) -> Value? {
        let item = try interpreter.getItem(tuple, index)
        if case .tuple(let items) = item { return .object(SizeObject(items.map { interpreter.index($0)! })) }
        return item
    }

    func iterate(interpreter: Interpreter) throws(PyException) -> [Value]? { dims.map { .int($0) } }

    func length(interpreter: Interpreter) throws(PyException) -> Int? { dims.count }

    func compare(_ op: CompareOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value? {
        var otherValue = other
        if case .object(let o) = other, let size = o as? SizeObject { otherValue = size.tuple }
        guard case .tuple = otherValue else {
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            return nil
        }
        return reflected ? try interpreter.compare(op, otherValue, tuple) : try interpreter.compare(op, tuple, otherValue)
    }

    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value? {
        guard op == .add, case .tuple(let items) = other else { return nil }
        return .tuple(reflected ? items + dims.map { .int($0) } : dims.map { .int($0) } + items)
    }
}
