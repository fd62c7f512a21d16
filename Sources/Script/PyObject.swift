/// A torch-side object exposed to programs (tensors, dtypes, `torch.Size`, grad_fn nodes, optimizers,
/// context managers). Every hook but `typeName`/`repr` has a default meaning "not supported" (nil or false).
protocol PyObject: AnyObject {
    /// The Python type name used in error messages (`Tensor`, `torch.dtype`, `SGD`).
    var typeName: String { get }
    func repr(interpreter: Interpreter) throws(PyException) -> String
    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value?
    /// `self <op> other` (or `other <op> self` when `reflected`); nil when unsupported.
    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value?
    /// `self <op>= other` in place (`__iadd__`); nil to fall back to `binary`.
    func inPlace(_ op: BinaryOperator, _ other: Value, interpreter: Interpreter) throws(PyException) -> Value?
    func unary(_ op: UnaryOperator, interpreter: Interpreter) throws(PyException) -> Value?
    func compare(_ op: CompareOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value?
    func getItem(_ index: Value, interpreter: Interpreter) throws(PyException) -> Value?
    func setItem(_ index: Value, _ value: Value, interpreter: Interpreter) throws(PyException) -> Bool
    func truth(interpreter: Interpreter) throws(PyException) -> Bool
    func iterate(interpreter: Interpreter) throws(PyException) -> [Value]?
    func length(interpreter: Interpreter) throws(PyException) -> Int?
    func call(_ arguments: inout Arguments) throws(PyException) -> Value?
    func setAttribute(_ name: String, _ value: Value, interpreter: Interpreter) throws(PyException) -> Bool
    func format(_ spec: String, interpreter: Interpreter) throws(PyException) -> String?
    /// `str(x)` when it differs from `repr(x)`.
    func str(interpreter: Interpreter) throws(PyException) -> String?
}

extension PyObject {
    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? { nil }
    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value? { nil }
    func inPlace(_ op: BinaryOperator, _ other: Value, interpreter: Interpreter) throws(PyException) -> Value? { nil }
    func unary(_ op: UnaryOperator, interpreter: Interpreter) throws(PyException) -> Value? { nil }
    func compare(_ op: CompareOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value? { nil }
    func getItem(_ index: Value, interpreter: Interpreter) throws(PyException) -> Value? { nil }
    func setItem(_ index: Value, _ value: Value, interpreter: Interpreter) throws(PyException) -> Bool { false }
    func truth(interpreter: Interpreter) throws(PyException) -> Bool { true }
    func iterate(interpreter: Interpreter) throws(PyException) -> [Value]? { nil }
    func length(interpreter: Interpreter) throws(PyException) -> Int? { nil }
    func call(_ arguments: inout Arguments) throws(PyException) -> Value? { nil }
    func setAttribute(_ name: String, _ value: Value, interpreter: Interpreter) throws(PyException) -> Bool { false }
    func format(_ spec: String, interpreter: Interpreter) throws(PyException) -> String? { nil }
    func str(interpreter: Interpreter) throws(PyException) -> String? { nil }
}
