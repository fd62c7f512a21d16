/// The `torch.Generator` that `torch.manual_seed` returns. Programs mostly drop it; any use of it is
/// refused by name, since tapedeck has one global generator and no per-generator state.
final class GeneratorObject: PyObject {
    var typeName: String { "Generator" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "<torch._C.Generator object at \(interpreter.address(of: self))>"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        throw interpreter.error(.notImplementedError, "tapedeck does not support torch.Generator.\(name)")
    }
}
