import Autograd

/// `torch.optim.SGD` as a Python object over the engine's `SGD`: `zero_grad()`, `step()` and an
/// editable `param_groups[0]` whose hyper-parameters are read at every step.
final class SGDOptimizer: PyObject {
    unowned let torch: TorchBindings
    let optimizer: SGD
    let group: ParamGroup

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
        let lrValue = try ParamGroup.nonNegative(lr, "learning rate", interpreter: interpreter)
        let momentumValue = try ParamGroup.nonNegative(momentum, "momentum value", interpreter: interpreter)
        let decay = try ParamGroup.nonNegative(weightDecay, "weight_decay value", interpreter: interpreter)
        guard let dampeningValue = interpreter.numericValue(dampening) else {
            throw torch.typeError("SGD dampening must be a number, not \(interpreter.typeName(dampening))")
        }
        let nesterovFlag = try interpreter.truth(nesterov)
        if nesterovFlag && (momentumValue <= 0 || dampeningValue != 0) {
            throw interpreter.error(.valueError, "Nesterov momentum requires a momentum and zero dampening")
        }
        optimizer = SGD(parameters, lr: lrValue, momentum: momentumValue, dampening: dampeningValue, weightDecay: decay,
                        nesterov: nesterovFlag)
        group = ParamGroup(optimizer: "SGD", parameters: parameters, options: [
            ("lr", lr), ("momentum", momentum), ("dampening", dampening), ("weight_decay", weightDecay), ("nesterov", nesterov),
            ("maximize", .bool(false)), ("foreach", foreach), ("differentiable", differentiable), ("fused", fused),
        ])
    }

    var typeName: String { "SGD" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        try group.repr(interpreter: interpreter)
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        guard name == "step" else { return group.attribute(name, torch: torch) }
        return interpreter.method("SGD.step") { (a: inout Arguments) throws(PyException) in
            if let closure = a.take(0, "closure"), !closure.isNone { throw self.torch.unsupported("SGD.step(closure)") }
            self.optimizer.lr = try self.group.number("lr", torch: self.torch)
            self.optimizer.momentum = try self.group.number("momentum", torch: self.torch)
            self.optimizer.dampening = try self.group.number("dampening", torch: self.torch)
            self.optimizer.weightDecay = try self.group.number("weight_decay", torch: self.torch)
            self.optimizer.nesterov = try self.torch.interpreter.truth(self.group.dict.get(.str("nesterov")) ?? .bool(false))
            try self.torch.run { try self.optimizer.step() }
            return .none
        }
    }
}
