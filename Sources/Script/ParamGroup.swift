import Autograd

/// `param_groups[0]` of a `torch.optim` optimizer: its parameters and the hyper-parameters a
/// program may edit between steps, read again at every `step()`. Also the methods and checks every
/// optimizer shares: `zero_grad()`, the repr PyTorch prints, non-negative argument checks.
struct ParamGroup {
    /// The optimizer's class name, as PyTorch prints it (`SGD`, `Adam`).
    let optimizer: String
    let parameters: [Tensor]
    let dict: PyDict

    /// A group of `parameters` with `options` after `params`, in PyTorch's order.
    init(optimizer: String, parameters: [Tensor], options: [(String, Value)]) {
        self.optimizer = optimizer
        self.parameters = parameters
        dict = PyDict([(.str("params"), .list(PyList(parameters.map { .object($0) })))] + options.map { (.str($0.0), $0.1) })
    }

    /// The option `key` as a number, read when `step()` runs.
    func number(_ key: String, torch: TorchBindings) throws(PyException) -> Double {
        let value = dict.get(.str(key)) ?? .int(0)
        guard let number = torch.interpreter.numericValue(value) else {
            throw torch.typeError("\(optimizer) \(key) must be a number, not \(torch.interpreter.typeName(value))")
        }
        return number
    }

    /// `print(optimizer)`: PyTorch lists the group's options sorted by name.
    func repr(interpreter: Interpreter) throws(PyException) -> String {
        var lines = ["\(optimizer) (", "Parameter Group 0"]
        let keys = dict.keys.compactMap { if case .str(let k) = $0, k != "params" { return k } else { return nil } }
        for key in keys.sorted() {
            lines.append("    \(key): \(try interpreter.repr(dict.get(.str(key)) ?? .none))")
        }
        return lines.joined(separator: "\n") + "\n)"
    }

    /// The attributes every optimizer has: `param_groups` and `zero_grad(set_to_none=True)`.
    func attribute(_ name: String, torch: TorchBindings) -> Value? {
        switch name {
        case "param_groups": return .list(PyList([.dict(dict)]))
        case "zero_grad":
            return torch.interpreter.method("\(optimizer).zero_grad") { (a: inout Arguments) throws(PyException) in
                let toNone = try torch.bool(a.take(0, "set_to_none") ?? .bool(true))
                for p in parameters { try torch.zeroGrad(p, setToNone: toNone) }
                return .none
            }
        default: return nil
        }
    }

    /// `value` as a non-negative number, or PyTorch's `ValueError: Invalid <what>: <value>`.
    static func nonNegative(_ value: Value, _ what: String, interpreter: Interpreter) throws(PyException) -> Double {
        guard let number = interpreter.numericValue(value), number >= 0 else {
            throw interpreter.error(.valueError, "Invalid \(what): \(try interpreter.repr(value))")
        }
        return number
    }
}
