import Autograd
import Tape

/// The torch side of the interpreter: the `torch` modules, tensor values and `nn.Module` behaviour.
final class TorchBindings {
    unowned let interpreter: Interpreter
    let moduleClass: PyClass

    init(interpreter: Interpreter) {
        self.interpreter = interpreter
        moduleClass = PyClass(name: "Module", bases: [interpreter.types["object"]!], module: "torch.nn.modules.module")
    }

    func recordBinding(name: String, value: Value, line: Int) {}
    func callSpelling(_ callee: Value, calleeExpr: Expr) -> String? { nil }
    func callModule(_ instance: PyInstance, _ positional: [Value], keywords: [(name: String, value: Value)]) throws(PyException) -> Value { .none }
    func sameObject(_ a: any PyObject, _ b: any PyObject) -> Bool { a === b }
    func moduleLength(_ instance: PyInstance) -> Int? { nil }
    func moduleItem(_ instance: PyInstance, _ index: Value) throws(PyException) -> Value? { nil }
    func moduleRepr(_ instance: PyInstance) throws(PyException) -> String? { nil }
    func setModuleAttribute(_ instance: PyInstance, _ name: String, _ value: Value) throws(PyException) -> Bool { false }
    func absolute(_ object: any PyObject) throws(PyException) -> Value? { nil }
    func scalarValue(_ object: any PyObject, as type: String) throws(PyException) -> Value? { nil }
    func round(_ object: any PyObject, digits: Int?) throws(PyException) -> Value? { nil }
    func classOf(_ object: any PyObject) -> PyClass? { nil }
}
