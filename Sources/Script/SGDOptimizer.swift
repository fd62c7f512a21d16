import Autograd

/// `torch.optim.SGD` as a Python object over the engine's `SGD`: `zero_grad()`, `step()` and an
/// editable `param_groups[0]` whose hyper-parameters are read at every step.
final class SGDOptimizer: PyObject {
    unowned let torch: TorchBindings
    let optimizer: SGD
    let group: PyDict

    init(arguments a: inout Arguments, torch: TorchBindings) throws(PyException) {
        self.torch = torch
        let interpreter = torch.interpreter
        let parameters = try torch.optimizerParameters(try a.required(0, "params"))
        let lr = a.take(1, "lr") ?? .float(0.001)
        let momentum = a.take(2, "momentum") ?? .int(0)
        let dampening = a.take(3, "dampening") ?? .int(0)
        let weightDecay = a.take(4, "weight_decay") ?? .int(0)
        let nesterov = a.take(5, "nesterov") ?? .bool(false)
        if let value = a.keyword("maximize"), try interpreter.truth(value) { throw torch.unsupported("SGD(maximize=True)") }
        let foreach = a.keyword("foreach") ?? .none
        let differentiable = a.keyword("differentiable") ?? .bool(false)
        let fused = a.keyword("fused") ?? .none
        for (key, value) in [("foreach", foreach), ("differentiable", differentiable), ("fused", fused)] where try interpreter.truth(value) {
            throw torch.unsupported("SGD(\(key)=True)")
        }
        try a.finish(maxPositional: 6)
        guard let lrValue = interpreter.numericValue(lr), lrValue >= 0 else {
            throw interpreter.error(.valueError, "Invalid learning rate: \(try interpreter.repr(lr))")
        }
        guard let momentumValue = interpreter.numericValue(momentum), momentumValue >= 0 else {
            throw interpreter.error(.valueError, "Invalid momentum value: \(try interpreter.repr(momentum))")
        }
        guard let decay = interpreter.numericValue(weightDecay), decay >= 0 else {
            throw interpreter.error(.valueError, "Invalid weight_decay value: \(try interpreter.repr(weightDecay))")
        }
        guard let dampeningValue = interpreter.numericValue(dampening) else {
            throw torch.typeError("SGD dampening must be a number, not \(interpreter.typeName(dampening))")
        }
        let nesterovFlag = try interpreter.truth(nesterov)
        if nesterovFlag && (momentumValue <= 0 || dampeningValue != 0) {
            throw interpreter.error(.valueError, "Nesterov momentum requires a momentum and zero dampening")
        }
        optimizer = SGD(parameters, lr: lrValue, momentum: momentumValue, dampening: dampeningValue, weightDecay: decay,
                        nesterov: nesterovFlag)
        group = PyDict([
            (.str("params"), .list(PyList(parameters.map { .object($0) }))), (.str("lr"), lr), (.str("momentum"), momentum),
            (.str("dampening"), dampening), (.str("weight_decay"), weightDecay), (.str("nesterov"), nesterov),
            (.str("maximize"), .bool(false)), (.str("foreach"), foreach), (.str("differentiable"), differentiable),
            (.str("fused"), fused),
        ])
    }

    var typeName: String { "SGD" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        var lines = ["SGD (", "Parameter Group 0"]
        for key in ["dampening", "differentiable", "foreach", "fused", "lr", "maximize", "momentum", "nesterov", "weight_decay"] {
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
                self.optimizer.dampening = try self.number("dampening")
                self.optimizer.weightDecay = try self.number("weight_decay")
                self.optimizer.nesterov = try self.torch.interpreter.truth(self.group.get(.str("nesterov")) ?? .bool(false))
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
