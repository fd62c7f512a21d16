import Autograd

/// `torch.optim.Adam` as a Python object over the engine's `Adam`: `zero_grad()`, `step()` and an
/// editable `param_groups[0]` whose `lr`, `betas`, `eps` and `weight_decay` are read at every step.
final class AdamOptimizer: PyObject {
    unowned let torch: TorchBindings
    let optimizer: Adam
    let group: ParamGroup

    init(arguments a: inout Arguments, torch: TorchBindings) throws(PyException) {
        self.torch = torch
        let interpreter = torch.interpreter
        let parameters = try torch.optimizerParameters(try a.required(0, "params"))
        let lr = a.take(1, "lr") ?? .float(0.001)
        let betas = a.take(2, "betas") ?? .tuple([.float(0.9), .float(0.999)])
        let eps = a.take(3, "eps") ?? .float(1e-8)
        let weightDecay = a.take(4, "weight_decay") ?? .int(0)
        var flags: [(String, Value)] = []
        for (index, key, fallback) in [(5, "amsgrad", Value.bool(false)), (-1, "maximize", .bool(false)), (-1, "foreach", .none),
                                       (-1, "capturable", .bool(false)), (-1, "differentiable", .bool(false)), (-1, "fused", .none),
                                       (-1, "decoupled_weight_decay", .bool(false))] {
            let value = (index >= 0 ? a.take(index, key) : a.keyword(key)) ?? fallback
            if try interpreter.truth(value) { throw torch.unsupported("Adam(\(key)=True)") }
            flags.append((key, value))
        }
        try a.finish(maxPositional: 6)
        let lrValue = try ParamGroup.nonNegative(lr, "learning rate", interpreter: interpreter)
        let epsValue = try ParamGroup.nonNegative(eps, "epsilon value", interpreter: interpreter)
        let (beta1, beta2) = try AdamOptimizer.betas(betas, torch: torch)
        let decay = try ParamGroup.nonNegative(weightDecay, "weight_decay value", interpreter: interpreter)
        optimizer = Adam(parameters, lr: lrValue, beta1: beta1, beta2: beta2, eps: epsValue, weightDecay: decay)
        group = ParamGroup(optimizer: "Adam", parameters: parameters, options: [
            ("lr", lr), ("betas", betas), ("eps", eps), ("weight_decay", weightDecay),
        ] + flags)
    }

    /// The two betas, each in [0, 1), with torch's message naming the bad one.
    private static func betas(_ value: Value, torch: TorchBindings) throws(PyException) -> (Double, Double) {
        let interpreter = torch.interpreter
        let items = try interpreter.iterate(value)
        guard items.count == 2 else { throw torch.typeError("Adam betas must be a pair of numbers") }
        var result: [Double] = []
        for (i, item) in items.enumerated() {
            guard let beta = interpreter.numericValue(item), beta >= 0 && beta < 1 else {
                throw interpreter.error(.valueError, "Invalid beta parameter at index \(i): \(try interpreter.repr(item))")
            }
            result.append(beta)
        }
        return (result[0], result[1])
    }

    var typeName: String { "Adam" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        try group.repr(interpreter: interpreter)
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        guard name == "step" else { return group.attribute(name, torch: torch) }
        return interpreter.method("Adam.step") { (a: inout Arguments) throws(PyException) in
            if let closure = a.take(0, "closure"), !closure.isNone { throw self.torch.unsupported("Adam.step(closure)") }
            self.optimizer.lr = try self.group.number("lr", torch: self.torch)
            (self.optimizer.beta1, self.optimizer.beta2) = try AdamOptimizer.betas(self.group.dict.get(.str("betas")) ?? .none, torch: self.torch)
            self.optimizer.eps = try self.group.number("eps", torch: self.torch)
            self.optimizer.weightDecay = try self.group.number("weight_decay", torch: self.torch)
            try self.torch.run { try self.optimizer.step() }
            return .none
        }
    }
}
