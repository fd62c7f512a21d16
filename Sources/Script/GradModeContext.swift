/// `torch.no_grad()`, `torch.enable_grad()` and `torch.set_grad_enabled(mode)`: context managers
/// (and decorators) that set grad mode for their block. `set_grad_enabled` takes effect as soon as it
/// is called, so it also works as a plain function call.
final class GradModeContext: PyObject {
    enum Kind: String {
        case noGrad = "no_grad"
        case enableGrad = "enable_grad"
        case setGradEnabled = "set_grad_enabled"
    }

    let kind: Kind
    let enabled: Bool
    unowned let torch: TorchBindings

    init(kind: Kind, enabled: Bool, torch: TorchBindings) {
        self.kind = kind
        self.enabled = enabled
        self.torch = torch
        if kind == .setGradEnabled { torch.runtime.pushGradMode(enabled) }
    }

    var typeName: String { kind.rawValue }

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
                if self.kind != .setGradEnabled { self.torch.runtime.pushGradMode(self.enabled) }
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
