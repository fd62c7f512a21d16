import Autograd

/// `torch.optim.SGD` as a Python object over the engine's `SGD`: `zero_grad()`, `step()` and an
/// editable `param_groups[0]` whose `lr` and `momentum` are read at every step.
final class SGDOptimizer: PyObject {
    unowned let torch: TorchBindings
    let optimizer: SGD
    let group: PyDict

    init(arguments a: inout Arguments, torch: TorchBindings) throws(PyException) {
        self.torch = torch
        let interpreter = torch.interpreter
        var parameters: [Tensor] = []
        for item in try interpreter.iterate(try a.required(0, "params")) {
            if case .dict = item { throw torch.unsupported("optimizer parameter groups") }
            guard let t = torch.tensor(item) else {
                throw torch.typeError("optimizer can only optimize Tensors, but one of the params is \(interpreter.typeName(item))")
            }
            parameters.append(t)
        }
        if parameters.isEmpty { throw interpreter.error(.valueError, "optimizer got an empty parameter list") }
        let lr = a.take(1, "lr") ?? .float(0.001)
        let momentum = a.take(2, "momentum") ?? .int(0)
        for (index, key) in [(3, "dampening"), (4, "weight_decay"), (5, "nesterov")] {
            if let value = a.take(index, key), try interpreter.truth(value) { throw torch.unsupported("SGD(\(key)=...)") }
        }
        if let value = a.keyword("maximize"), try interpreter.truth(value) { throw torch.unsupported("SGD(maximize=True)") }
        _ = a.keyword("foreach"); _ = a.keyword("differentiable"); _ = a.keyword("fused")
        try a.finish(maxPositional: 6)
        guard let lrValue = interpreter.numericValue(lr), lrValue >= 0 else {
            throw interpreter.error(.valueError, "Invalid learning rate: \(try interpreter.repr(lr))")
        }
        guard let momentumValue = interpreter.numericValue(momentum), momentumValue >= 0 else {
            throw interpreter.error(.valueError, "Invalid momentum value: \(try interpreter.repr(momentum))")
        }
        optimizer = SGD(parameters, lr: lrValue, momentum: momentumValue)
        group = PyDict([
            (.str("params"), .list(PyList(parameters.map { .object($0) }))), (.str("lr"), lr), (.str("momentum"), momentum),
            (.str("dampening"), .int(0)), (.str("weight_decay"), .int(0)), (.str("nesterov"), .bool(false)),
            (.str("maximize"), .bool(false)),
        ])
    }

    var typeName: String { "SGD" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        var lines = ["SGD (", "Parameter Group 0"]
        for key in ["dampening", "lr", "maximize", "momentum", "nesterov", "weight_decay"] {
            lines.append("    \(key): \(try interpreter.repr(group.get(.str(key)) ?? .none))")
        }
        return lines.joined(separator: "\n") + "\n)"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "param_groups": return .list(PyList([.dict(group)]))
        case "zero_grad":
            return interpreter.method("SGD.zero_grad") { (a: inout Arguments) throws(PyException) in
                let toNone = try self.torch.bool(a.take(0, "set_to_none") ?? .bool(true))
                for p in self.optimizer.parameters { try self.torch.zeroGrad(p, setToNone: toNone) }
                return .none
            }
        case "step":
            return interpreter.method("SGD.step") { (a: inout Arguments) throws(PyException) in
                if let closure = a.take(0, "closure"), !closure.isNone { throw self.torch.unsupported("SGD.step(closure)") }
                self.optimizer.lr = try self.number("lr")
                self.optimizer.momentum = try self.number("momentum")
                try self.torch.run { try self.optimizer.step() }
                return .none
            }
        default: return nil
        }
    }

    private func number(_ key: String) throws(PyException) -> Double {
        let value = group.get(.str(key)) ?? .int(0)
        guard let number = torch.interpreter.numericValue(value) else {
            throw torch.typeError("SGD \(key) must be a number, not \(torch.interpreter.typeName(value))")
        }
        return number
    }
}
