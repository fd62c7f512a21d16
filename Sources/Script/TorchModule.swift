import Autograd

/// The `torch`, `torch.nn`, `torch.nn.functional` and `torch.optim` namespaces.
extension TorchBindings {
    func installModules() {
        let torch = PyModuleObject(name: "torch", knownNames: PyTorchNames.torch)
        let nn = PyModuleObject(name: "torch.nn", knownNames: PyTorchNames.nn)
        let functional = PyModuleObject(name: "torch.nn.functional", knownNames: PyTorchNames.functional)
        let optim = PyModuleObject(name: "torch.optim", knownNames: PyTorchNames.optim)
        let autograd = PyModuleObject(name: "torch.autograd", knownNames: PyTorchNames.autograd)
        torch.members["nn"] = .object(nn)
        torch.members["optim"] = .object(optim)
        torch.members["autograd"] = .object(autograd)
        nn.members["functional"] = .object(functional)
        interpreter.modules["torch"] = .object(torch)
        interpreter.modules["torch.nn"] = .object(nn)
        interpreter.modules["torch.nn.functional"] = .object(functional)
        interpreter.modules["torch.optim"] = .object(optim)
        interpreter.modules["torch.autograd"] = .object(autograd)

        for (name, dtype) in [("float32", DType.float32), ("float", .float32), ("float64", .float64), ("double", .float64),
                              ("int64", .int64), ("long", .int64), ("bool", .bool)] {
            torch.members[name] = .object(dtypes[dtype]!)
        }
        tensorClass.construct = Builtin("torch.Tensor", legacyTensor)
        torch.members["Tensor"] = .type(tensorClass)
        torch.members["Size"] = .type(PyClass(name: "Size", bases: [interpreter.types["tuple"]!], module: "torch",
                                              construct: Builtin("torch.Size") { (a: inout Arguments) throws(PyException) in
            self.size(try self.shape(a.positional.isEmpty ? [.tuple([])] : a.positional, "Size"))
        }))
        installFactories(torch)
        for name in ["add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sqrt",
                     "abs", "clamp", "sum", "mean", "max", "min", "softmax", "log_softmax", "matmul", "mm", "t", "transpose",
                     "reshape", "unsqueeze", "squeeze", "flatten", "clone", "detach", "dot", "unbind", "split", "chunk", "argmax", "argmin", "masked_fill", "tril", "triu", "permute", "eq", "ne", "lt", "le", "gt", "ge"] {
            torch.members[name] = functionalForm(name, spelling: "torch.\(name)")
        }
        for name in ["relu_", "sigmoid_", "tanh_", "exp_", "neg_", "clamp_", "sqrt_", "abs_", "sin_", "cos_", "log_"] {
            torch.members[name] = functionalForm(name, spelling: "torch.\(name)")
        }
        torch.members["no_grad"] = gradModeFactory("torch.no_grad", .noGrad, enabled: false)
        torch.members["enable_grad"] = gradModeFactory("torch.enable_grad", .enableGrad, enabled: true)
        for (name, handler) in Self.torchFunctionHandlers {
            torch.members[name] = builtin("torch.\(name)", handler(self))
        }
        torch.members["__version__"] = .str("2.13.0+cpu")
        let cuda = PyModuleObject(name: "torch.cuda", knownNames: [])
        cuda.members["is_available"] = builtin("torch.cuda.is_available") { _ in .bool(false) }
        cuda.members["device_count"] = builtin("torch.cuda.device_count") { _ in .int(0) }
        torch.members["cuda"] = .object(cuda)
        interpreter.modules["torch.cuda"] = .object(cuda)
        autograd.members["set_detect_anomaly"] = builtin("torch.autograd.set_detect_anomaly") { (a: inout Arguments) throws(PyException) in
            let mode = try self.bool(try a.required(0, "mode"))
            _ = a.take(1, "check_nan")
            try a.finish(maxPositional: 2)
            return .object(AnomalyModeContext(mode: mode, runtime: self.runtime))
        }

        installNN(nn, functional)
        optim.members["SGD"] = .type(PyClass(name: "SGD", bases: [interpreter.types["object"]!], module: "torch.optim.sgd",
                                             construct: Builtin("optim.SGD") { (a: inout Arguments) throws(PyException) in
            .object(try SGDOptimizer(arguments: &a, torch: self))
        }))
        optim.members["Adam"] = .type(PyClass(name: "Adam", bases: [interpreter.types["object"]!], module: "torch.optim.adam",
                                              construct: Builtin("optim.Adam") { (a: inout Arguments) throws(PyException) in
            .object(try AdamOptimizer(arguments: &a, torch: self))
        }))
        optim.members["Optimizer"] = .type(PyClass(name: "Optimizer", bases: [interpreter.types["object"]!], module: "torch.optim.optimizer"))
    }

    /// The handler of a torch function, made for one `TorchBindings` (the entries of the tables of
    /// `torch.NAME` and `F.NAME` functions).
    typealias FunctionHandler = @Sendable (TorchBindings) -> Builtin.Implementation

    /// A torch function. A keyword argument it did not take is refused by name rather than
    /// ignored: PyTorch either honours it (`out=`, `layout=`, `generator=`) or rejects it.
    func builtin(_ name: String, _ body: @escaping Builtin.Implementation) -> Value {
        .builtin(Builtin(name) { (a: inout Arguments) throws(PyException) in
            let result = try body(&a)
            if let extra = a.keywords.first {
                throw self.unsupported("the keyword argument '\(extra.name)' of \(name)()")
            }
            return result
        })
    }

    /// `torch.Tensor(data)`, the legacy constructor: a float32 tensor from a list or tuple, and
    /// `torch.Tensor()` an empty one. `torch.Tensor(4, 8)` returns uninitialised memory, whose
    /// values no engine can reproduce, and `torch.Tensor(tensor)` an alias: both are refused.
    private func legacyTensor(_ a: inout Arguments) throws(PyException) -> Value {
        try checkDevice(a.keyword("device"))
        if a.positional.count > 1 {
            throw unsupported("torch.Tensor(*sizes), which returns uninitialised memory; use torch.zeros(...) or torch.empty(...)")
        }
        try a.finish(maxPositional: 1)
        switch a.positional.first {
        case nil:
            return .object(try run { try runtime.zeros([0], dtype: .float32, requiresGrad: false) })
        case .list?, .tuple?:
            let data = try nested(a.positional[0])
            return .object(try run { try runtime.tensor(data, dtype: .float32, requiresGrad: false) })
        case let value?:
            if tensor(value) != nil { throw unsupported("torch.Tensor(tensor), which returns an alias; use tensor.float() or tensor.clone()") }
            throw unsupported("torch.Tensor(*sizes), which returns uninitialised memory; use torch.zeros(...) or torch.empty(...)")
        }
    }

    /// `torch.no_grad()` as a context manager or decorator, and `@torch.no_grad` without the call
    /// (PyTorch's `_NoParamDecoratorContextManager`: given a function, it returns it decorated).
    private func gradModeFactory(_ name: String, _ kind: GradModeContext.Kind, enabled: Bool) -> Value {
        builtin(name) { (a: inout Arguments) throws(PyException) in
            try a.finish(maxPositional: 1)
            let context = GradModeContext(kind: kind, enabled: enabled, torch: self)
            guard !a.positional.isEmpty else { return .object(context) }
            return try context.call(&a) ?? .object(context)
        }
    }
}
