/// `torch.no_grad()` / `torch.enable_grad()`: a context manager that sets grad mode for its block.
final class GradModeContext: PyObject {
    let enabled: Bool
    unowned let torch: TorchBindings

    init(enabled: Bool, torch: TorchBindings) {
        self.enabled = enabled
        self.torch = torch
    }

    var typeName: String { enabled ? "enable_grad" : "no_grad" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        "<torch.autograd.grad_mode.\(typeName) object at \(interpreter.address(of: self))>"
    }

    /// Used as a decorator (`@torch.no_grad()`): the function runs with this grad mode.
    func call(_ arguments: inout Arguments) throws(PyException) -> Value? {
        guard arguments.positional.count == 1, arguments.keywords.isEmpty else { return nil }
        let function = arguments.positional[0]
        let interpreter = arguments.interpreter
        return .builtin(Builtin(try interpreter.callableName(function)) { (a: inout Arguments) throws(PyException) in
            self.torch.runtime.pushGradMode(self.enabled)
            defer { self.torch.runtime.popGradMode() }
            return try interpreter.call(function, a.positional, keywords: a.keywords)
        })
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "__enter__":
            return interpreter.method("\(typeName).__enter__") { _ in
                self.torch.runtime.pushGradMode(self.enabled)
                return .none
            }
        case "__exit__":
            return interpreter.method("\(typeName).__exit__") { _ in
                self.torch.runtime.popGradMode()
                return .bool(false)
            }
        default: return nil
        }
    }
}
