import Autograd

/// `torch.optim.Adam` as a Python object over the engine's `Adam`: `zero_grad()`, `step()` and an
/// editable `param_groups[0]` whose `lr`, `betas`, `eps` and `weight_decay` are read at every step.
final class AdamOptimizer: PyObject {
    unowned let torch: TorchBindings
    let optimizer: Adam
    let group: PyDict

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
        guard let lrValue = interpreter.numericValue(lr), lrValue >= 0 else {
            throw interpreter.error(.valueError, "Invalid learning rate: \(try interpreter.repr(lr))")
        }
        guard let epsValue = interpreter.numericValue(eps), epsValue >= 0 else {
            throw interpreter.error(.valueError, "Invalid epsilon value: \(try interpreter.repr(eps))")
        }
        let (beta1, beta2) = try AdamOptimizer.betas(betas, torch: torch)
        guard let decay = interpreter.numericValue(weightDecay), decay >= 0 else {
            throw interpreter.error(.valueError, "Invalid weight_decay value: \(try interpreter.repr(weightDecay))")
        }
        optimizer = Adam(parameters, lr: lrValue, beta1: beta1, beta2: beta2, eps: epsValue, weightDecay: decay)
        group = PyDict([
            (.str("params"), .list(PyList(parameters.map { .object($0) }))), (.str("lr"), lr), (.str("betas"), betas),
            (.str("eps"), eps), (.str("weight_decay"), weightDecay),
        ] + flags.map { (.str($0.0), $0.1) })
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
        var lines = ["Adam (", "Parameter Group 0"]
        let keys = group.keys.compactMap { if case .str(let k) = $0, k != "params" { return k } else { return nil } }
        for key in keys.sorted() {
            lines.append("    \(key): \(try interpreter.repr(group.get(.str(key)) ?? .none))")
        }
        return lines.joined(separator: "\n") + "\n)"
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        switch name {
        case "param_groups": return .list(PyList([.dict(group)]))
        case "zero_grad":
            return interpreter.method("Adam.zero_grad") { (a: inout Arguments) throws(PyException) in
                let toNone = try self.torch.bool(a.take(0, "set_to_none") ?? .bool(true))
                for p in self.optimizer.parameters { try self.torch.zeroGrad(p, setToNone: toNone) }
                return .none
            }
        case "step":
            return interpreter.method("Adam.step") { (a: inout Arguments) throws(PyException) in
                if let closure = a.take(0, "closure"), !closure.isNone { throw self.torch.unsupported("Adam.step(closure)") }
                self.optimizer.lr = try self.number("lr")
                (self.optimizer.beta1, self.optimizer.beta2) = try AdamOptimizer.betas(self.group.get(.str("betas")) ?? .none, torch: self.torch)
                self.optimizer.eps = try self.number("eps")
                self.optimizer.weightDecay = try self.number("weight_decay")
                try self.torch.run { try self.optimizer.step() }
                return .none
            }
        default: return nil
        }
    }

    private func number(_ key: String) throws(PyException) -> Double {
        let value = group.get(.str(key)) ?? .int(0)
        guard let number = torch.interpreter.numericValue(value) else {
            throw torch.typeError("Adam \(key) must be a number, not \(torch.interpreter.typeName(value))")
        }
        return number
    }
}
