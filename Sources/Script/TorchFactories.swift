import Autograd

/// The tensor factories of the `torch` namespace (`torch.tensor`, `torch.zeros`, `torch.arange`,
/// `torch.ones_like`, `torch.cat`...).
extension TorchBindings {
    /// The factories, each a named handler below (`torch.zeros_like` is `factoryZerosLike`).
    static let factoryHandlers: [String: FunctionHandler] = [
        "tensor": TorchBindings.factoryTensor,
        "ones": TorchBindings.factoryOnes,
        "zeros": TorchBindings.factoryZeros,
        "empty": TorchBindings.factoryEmpty,
        "rand": TorchBindings.factoryRand,
        "randn": TorchBindings.factoryRandn,
        "full": TorchBindings.factoryFull,
        "arange": TorchBindings.factoryArange,
        "eye": TorchBindings.factoryEye,
        "ones_like": TorchBindings.factoryOnesLike,
        "zeros_like": TorchBindings.factoryZerosLike,
        "empty_like": TorchBindings.factoryEmptyLike,
        "rand_like": TorchBindings.factoryRandLike,
        "randn_like": TorchBindings.factoryRandnLike,
        "full_like": TorchBindings.factoryFullLike,
        "cat": TorchBindings.factoryCat,
        "stack": TorchBindings.factoryStack,
    ]

    /// Puts every factory of `factoryHandlers` into the `torch` module as `torch.NAME`.
    func installFactories(_ torch: PyModuleObject) {
        for (name, handler) in Self.factoryHandlers {
            torch.members[name] = builtin("torch.\(name)", handler(self))
        }
    }

    private func factoryTensor(_ a: inout Arguments) throws(PyException) -> Value {
        let data = try nested(try a.required(0, "data"))
        let dt = try dtype(a.keyword("dtype"))
        let grad = try bool(a.keyword("requires_grad"))
        try checkDevice(a.keyword("device"))
        try a.finish(maxPositional: 1)
        return .object(try run { try self.runtime.tensor(data, dtype: dt, requiresGrad: grad) })
    }

    private func factoryOnes(_ a: inout Arguments) throws(PyException) -> Value {
        try shaped(&a, "ones") { try self.runtime.ones($0, dtype: $1, requiresGrad: $2) }
    }

    private func factoryZeros(_ a: inout Arguments) throws(PyException) -> Value {
        try shaped(&a, "zeros") { try self.runtime.zeros($0, dtype: $1, requiresGrad: $2) }
    }

    /// `torch.empty`: zeros (PyTorch leaves an empty tensor's values unspecified).
    private func factoryEmpty(_ a: inout Arguments) throws(PyException) -> Value {
        try shaped(&a, "empty") { try self.runtime.zeros($0, dtype: $1, requiresGrad: $2) }
    }

    private func factoryRand(_ a: inout Arguments) throws(PyException) -> Value {
        try shaped(&a, "rand") { try self.runtime.rand($0, dtype: $1, requiresGrad: $2) }
    }

    private func factoryRandn(_ a: inout Arguments) throws(PyException) -> Value {
        try shaped(&a, "randn") { try self.runtime.randn($0, dtype: $1, requiresGrad: $2) }
    }

    /// A factory taking a shape (`size=` or positional sizes), `dtype` (default float),
    /// `requires_grad` and `device`.
    private func shaped(_ a: inout Arguments, _ name: String,
                        _ make: ([Int], DType, Bool) throws -> Tensor) throws(PyException) -> Value {
        let dt = try dtype(a.keyword("dtype")) ?? .defaultFloat
        let grad = try bool(a.keyword("requires_grad"))
        try checkDevice(a.keyword("device"))
        let s = try shape(a.keyword("size").map { [$0] } ?? a.positional, name)
        return .object(try run { try make(s, dt, grad) })
    }

    private func factoryFull(_ a: inout Arguments) throws(PyException) -> Value {
        let s = try shape([try a.required(0, "size")], "full")
        guard let v = scalar(try a.required(1, "fill_value")) else { throw typeError("full(): argument 'fill_value' must be Number") }
        try checkDevice(a.keyword("device"))
        let dt = try dtype(a.keyword("dtype"))
        let grad = try bool(a.keyword("requires_grad"))
        return .object(try run { try self.runtime.full(s, value: v, dtype: dt, requiresGrad: grad) })
    }

    private func factoryArange(_ a: inout Arguments) throws(PyException) -> Value {
        var bounds: [Scalar] = []
        for v in a.positional {
            guard let s = scalar(v) else { throw typeError("arange(): argument 'end' must be Number, not \(interpreter.typeName(v))") }
            bounds.append(s)
        }
        if let end = a.keyword("end").flatMap({ scalar($0) }) { bounds.append(end) }
        try checkDevice(a.keyword("device"))
        let dt = try dtype(a.keyword("dtype"))
        let grad = try bool(a.keyword("requires_grad"))
        guard !bounds.isEmpty else { throw typeError("arange() received an invalid combination of arguments") }
        let start = bounds.count >= 2 ? bounds[0] : .int(0)
        let end = bounds.count >= 2 ? bounds[1] : bounds[0]
        let step = bounds.count >= 3 ? bounds[2] : .int(1)
        return .object(try run { try self.runtime.arange(start: start, end: end, step: step, dtype: dt, requiresGrad: grad) })
    }

    private func factoryEye(_ a: inout Arguments) throws(PyException) -> Value {
        let n = try int(try a.required(0, "n"), "eye", "n")
        let m = try a.take(1, "m").map { (v) throws(PyException) in try self.int(v, "eye", "m") }
        try checkDevice(a.keyword("device"))
        let dt = try dtype(a.keyword("dtype")) ?? .defaultFloat
        let grad = try bool(a.keyword("requires_grad"))
        return .object(try run { try self.runtime.eye(n, m, dtype: dt, requiresGrad: grad) })
    }

    private func factoryOnesLike(_ a: inout Arguments) throws(PyException) -> Value {
        try like(&a, "ones_like") { try self.runtime.onesLike($0, dtype: $1, requiresGrad: $2) }
    }

    private func factoryZerosLike(_ a: inout Arguments) throws(PyException) -> Value {
        try like(&a, "zeros_like") { try self.runtime.zerosLike($0, dtype: $1, requiresGrad: $2) }
    }

    /// `torch.empty_like`: zeros, as `torch.empty`.
    private func factoryEmptyLike(_ a: inout Arguments) throws(PyException) -> Value {
        try like(&a, "empty_like") { try self.runtime.zerosLike($0, dtype: $1, requiresGrad: $2) }
    }

    private func factoryRandLike(_ a: inout Arguments) throws(PyException) -> Value {
        try like(&a, "rand_like") { try self.runtime.randLike($0, dtype: $1, requiresGrad: $2) }
    }

    private func factoryRandnLike(_ a: inout Arguments) throws(PyException) -> Value {
        try like(&a, "randn_like") { try self.runtime.randnLike($0, dtype: $1, requiresGrad: $2) }
    }

    private func factoryFullLike(_ a: inout Arguments) throws(PyException) -> Value {
        let t = try requireTensor(try a.required(0, "input"), "full_like")
        guard let fill = scalar(try a.required(1, "fill_value")) else { throw typeError("full_like(): argument 'fill_value' must be Number") }
        return try like(t, &a) { try self.runtime.fullLike($0, value: fill, dtype: $1, requiresGrad: $2) }
    }

    /// A `*_like` factory: a tensor shaped like `input`, with `dtype` (default: input's),
    /// `requires_grad` and `device`.
    private func like(_ a: inout Arguments, _ name: String,
                      _ make: (Tensor, DType?, Bool) throws -> Tensor) throws(PyException) -> Value {
        let t = try requireTensor(try a.required(0, "input"), name)
        return try like(t, &a, make)
    }

    private func like(_ t: Tensor, _ a: inout Arguments,
                      _ make: (Tensor, DType?, Bool) throws -> Tensor) throws(PyException) -> Value {
        try checkDevice(a.keyword("device"))
        let dt = try dtype(a.keyword("dtype"))
        let grad = try bool(a.keyword("requires_grad"))
        return .object(try run { try make(t, dt, grad) })
    }

    private func factoryCat(_ a: inout Arguments) throws(PyException) -> Value {
        let (tensors, d) = try joined(&a, "cat")
        return .object(try run { try self.runtime.cat(tensors, dim: d) })
    }

    private func factoryStack(_ a: inout Arguments) throws(PyException) -> Value {
        let (tensors, d) = try joined(&a, "stack")
        return .object(try run { try self.runtime.stack(tensors, dim: d) })
    }

    /// The `tensors` and `dim` of `torch.cat` and `torch.stack`.
    private func joined(_ a: inout Arguments, _ name: String) throws(PyException) -> (tensors: [Tensor], dim: Int) {
        let items = try interpreter.iterate(try a.required(0, "tensors"))
        var tensors: [Tensor] = []
        for (i, item) in items.enumerated() {
            guard let t = tensor(item) else {
                throw typeError("expected Tensor as element \(i) in argument 0, but got \(interpreter.typeName(item))")
            }
            tensors.append(t)
        }
        let d = try a.take(1, "dim").map { (v) throws(PyException) in try self.int(v, name, "dim") } ?? 0
        return (tensors, d)
    }
}
