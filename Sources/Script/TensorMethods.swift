import Autograd

/// Tensor methods (`x.add_(1)`, `x.sum(dim=1)`) and their functional forms (`torch.sum(x, dim=1)`).
extension TorchBindings {
    static let tensorMethodNames: Set<String> = [
        "size", "dim", "numel", "item", "tolist", "backward", "retain_grad", "requires_grad_", "detach", "detach_",
        "clone", "contiguous", "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sin", "cos", "tanh", "sigmoid",
        "relu", "sqrt", "abs", "clamp", "sum", "mean", "max", "min", "softmax", "log_softmax", "matmul", "mm", "t",
        "transpose", "view", "reshape", "unsqueeze", "squeeze", "flatten", "expand", "dot", "add_", "sub_", "mul_",
        "div_", "pow_", "neg_", "exp_", "log_", "sin_", "cos_", "tanh_", "sigmoid_", "relu_", "sqrt_", "abs_",
        "clamp_", "zero_", "fill_", "copy_", "uniform_", "eq", "ne", "lt", "le", "gt", "ge", "float", "double",
        "long", "bool", "to", "type_as", "view_as", "reshape_as", "is_floating_point", "unbind", "permute", "cpu", "cuda",
        "split", "chunk", "where", "argmax", "argmin", "masked_fill", "masked_fill_", "tril", "triu",
    ]

    /// A bound tensor method, or nil when tensors have no such attribute.
    func tensorMethod(_ t: Tensor, _ name: String) -> Value? {
        guard TorchBindings.tensorMethodNames.contains(name) else { return nil }
        return .builtin(Builtin("Tensor.\(name)") { (a: inout Arguments) throws(PyException) in
            try self.callTensorMethod(name, t, &a)
        })
    }

    /// `torch.name(input, ...)`: the method called on its first argument.
    func functionalForm(_ name: String, spelling: String) -> Value {
        .builtin(Builtin(spelling) { (a: inout Arguments) throws(PyException) in
            guard let first = a.take(0, "input") else {
                throw self.typeError("\(name)() missing 1 required positional arguments: \"input\"")
            }
            if !a.positional.isEmpty, a.keywords.allSatisfy({ $0.name != "input" }) { a.positional.removeFirst() }
            let t = try self.requireTensor(first, name)
            return try self.callTensorMethod(name, t, &a)
        })
    }

    private func dimArgument(_ a: inout Arguments, _ name: String, index: Int = 0) throws(PyException) -> [Int]? {
        guard let value = a.take(index, "dim"), !value.isNone else { return nil }
        return try dims(value, name)
    }

    private func shapeArguments(_ a: inout Arguments, _ name: String, keyword: String) throws(PyException) -> [Int] {
        if let value = a.keyword(keyword) { return try shape([value], name) }
        return try shape(a.positional, name)
    }

    /// The tensor methods, each a named handler below (`x.add_(...)` is `tensorAdd_`); a handler
    /// serving several names (`sum`, `mean`) gets the name it was called by.
    private static let tensorMethodHandlers: [String: @Sendable (TorchBindings) -> (String, Tensor, inout Arguments) throws(PyException) -> Value] = [
        "size": TorchBindings.tensorSize,
        "dim": TorchBindings.tensorDim,
        "numel": TorchBindings.tensorNumel,
        "item": TorchBindings.tensorItem,
        "tolist": TorchBindings.tensorTolist,
        "is_floating_point": TorchBindings.tensorIsFloatingPoint,
        "backward": TorchBindings.tensorBackward,
        "retain_grad": TorchBindings.tensorRetainGrad,
        "requires_grad_": TorchBindings.tensorRequiresGrad_,
        "detach": TorchBindings.tensorDetach,
        "detach_": TorchBindings.tensorDetach_,
        "clone": TorchBindings.tensorClone,
        "contiguous": TorchBindings.tensorContiguous,
        "add": TorchBindings.tensorAdd,
        "sub": TorchBindings.tensorSub,
        "mul": TorchBindings.tensorMul,
        "div": TorchBindings.tensorDiv,
        "pow": TorchBindings.tensorPow,
        "neg": TorchBindings.tensorNeg,
        "exp": TorchBindings.tensorExp,
        "log": TorchBindings.tensorLog,
        "sin": TorchBindings.tensorSin,
        "cos": TorchBindings.tensorCos,
        "tanh": TorchBindings.tensorTanh,
        "sigmoid": TorchBindings.tensorSigmoid,
        "relu": TorchBindings.tensorRelu,
        "sqrt": TorchBindings.tensorSqrt,
        "abs": TorchBindings.tensorAbs,
        "clamp": TorchBindings.tensorClamp,
        "clamp_": TorchBindings.tensorClamp_,
        "sum": TorchBindings.tensorSumOrMean,
        "mean": TorchBindings.tensorSumOrMean,
        "max": TorchBindings.tensorMaxOrMin,
        "min": TorchBindings.tensorMaxOrMin,
        "softmax": TorchBindings.tensorSoftmax,
        "log_softmax": TorchBindings.tensorSoftmax,
        "matmul": TorchBindings.tensorMatmul,
        "mm": TorchBindings.tensorMatmul,
        "dot": TorchBindings.tensorMatmul,
        "t": TorchBindings.tensorT,
        "transpose": TorchBindings.tensorTranspose,
        "view": TorchBindings.tensorView,
        "reshape": TorchBindings.tensorView,
        "view_as": TorchBindings.tensorViewAs,
        "reshape_as": TorchBindings.tensorViewAs,
        "expand_as": TorchBindings.tensorViewAs,
        "expand": TorchBindings.tensorExpand,
        "unsqueeze": TorchBindings.tensorUnsqueeze,
        "squeeze": TorchBindings.tensorSqueeze,
        "flatten": TorchBindings.tensorFlatten,
        "add_": TorchBindings.tensorAdd_,
        "sub_": TorchBindings.tensorSub_,
        "mul_": TorchBindings.tensorMul_,
        "div_": TorchBindings.tensorDiv_,
        "pow_": TorchBindings.tensorPow_,
        "neg_": TorchBindings.tensorNeg_,
        "exp_": TorchBindings.tensorExp_,
        "log_": TorchBindings.tensorLog_,
        "sin_": TorchBindings.tensorSin_,
        "cos_": TorchBindings.tensorCos_,
        "tanh_": TorchBindings.tensorTanh_,
        "sigmoid_": TorchBindings.tensorSigmoid_,
        "relu_": TorchBindings.tensorRelu_,
        "sqrt_": TorchBindings.tensorSqrt_,
        "abs_": TorchBindings.tensorAbs_,
        "zero_": TorchBindings.tensorZero_,
        "fill_": TorchBindings.tensorFill_,
        "argmax": TorchBindings.tensorArgmax,
        "argmin": TorchBindings.tensorArgmax,
        "where": TorchBindings.tensorWhere,
        "chunk": TorchBindings.tensorChunk,
        "masked_fill": TorchBindings.tensorMaskedFill,
        "masked_fill_": TorchBindings.tensorMaskedFill,
        "tril": TorchBindings.tensorTril,
        "triu": TorchBindings.tensorTril,
        "copy_": TorchBindings.tensorCopy_,
        "uniform_": TorchBindings.tensorUniform_,
        "cpu": TorchBindings.tensorCpu,
        "cuda": TorchBindings.tensorCuda,
        "eq": TorchBindings.tensorCompare,
        "ne": TorchBindings.tensorCompare,
        "lt": TorchBindings.tensorCompare,
        "le": TorchBindings.tensorCompare,
        "gt": TorchBindings.tensorCompare,
        "ge": TorchBindings.tensorCompare,
        "unbind": TorchBindings.tensorUnbind,
        "split": TorchBindings.tensorSplit,
        "permute": TorchBindings.tensorPermute,
        "float": TorchBindings.tensorConvert,
        "double": TorchBindings.tensorConvert,
        "long": TorchBindings.tensorConvert,
        "bool": TorchBindings.tensorConvert,
        "to": TorchBindings.tensorConvert,
        "type_as": TorchBindings.tensorConvert,
    ]

    /// `torch.name(input, ...)` and `input.name(...)`: the handler of `name` from the table above.
    func callTensorMethod(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        guard let handler = Self.tensorMethodHandlers[name] else {
            throw unsupported("Tensor.\(name)")
        }
        return try handler(self)(name, t, &a)
    }

    private func tensorResult(_ body: () throws -> Tensor) throws(PyException) -> Value { .object(try run(body)) }

    private func other(_ a: inout Arguments, _ name: String, _ parameter: String = "other") throws(PyException) -> Operand {
        try operand(try a.required(0, parameter), name, parameter)
    }

    private func alpha(_ a: inout Arguments) -> Scalar { a.keyword("alpha").flatMap { scalar($0) } ?? .int(1) }

    private func optionalScalar(_ a: inout Arguments, _ name: String, _ index: Int, _ key: String) throws(PyException) -> Scalar? {
        guard let v = a.take(index, key), !v.isNone else { return nil }
        guard let s = scalar(v) else { throw typeError("\(name)(): argument '\(key)' must be Number, not \(interpreter.typeName(v))") }
        return s
    }

    // MARK: Handlers

    private func tensorSize(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        guard let d = a.take(0, "dim"), !d.isNone else { return size(t.shape) }
        let axis = try int(d, name, "dim")
        guard t.dim > 0 else { throw interpreter.error(.indexError, "Dimension specified as \(axis) but tensor has no dimensions") }
        return .int(t.shape[try wrapDimension(axis, t.dim)])
    }

    private func tensorDim(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return .int(t.dim)
    }

    private func tensorNumel(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return .int(t.numel)
    }

    private func tensorItem(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        guard t.numel == 1 else {
            throw interpreter.error(.runtimeError, "a Tensor with \(t.numel) elements cannot be converted to Scalar")
        }
        return pythonValue(try run { try t.item() })
    }

    private func tensorTolist(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return pythonValue(t.tolist())
    }

    private func tensorIsFloatingPoint(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return .bool(t.dtype.isFloatingPoint)
    }

    private func tensorBackward(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let gradient = a.take(0, "gradient").flatMap { tensor($0) }
        let retain = try bool(a.take(1, "retain_graph"))
        if let create = a.take(2, "create_graph"), try interpreter.truth(create) { throw unsupported("backward(create_graph=True)") }
        if let inputs = a.take(3, "inputs"), !inputs.isNone { throw unsupported("backward(inputs=...)") }
        try a.finish(maxPositional: 4)
        try runBackward { try t.backward(gradient: gradient, retainGraph: retain) }
        return .none
    }

    private func tensorRetainGrad(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        try run { try t.retainGrad() }
        return .none
    }

    private func tensorRequiresGrad_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let flag = try bool(a.take(0, "requires_grad") ?? .bool(true))
        _ = try run { try t.requiresGrad_(flag) }
        return .object(t)
    }

    private func tensorDetach(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return .object(t.detach())
    }

    private func tensorDetach_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.detach_() }
    }

    private func tensorClone(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.clone() }
    }

    private func tensorContiguous(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.contiguous() }
    }

    private func tensorAdd(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name)
        let al = alpha(&a)
        return try tensorResult { try t.add(o, alpha: al) }
    }

    private func tensorSub(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name)
        let al = alpha(&a)
        return try tensorResult { try t.sub(o, alpha: al) }
    }

    private func tensorMul(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name); return try tensorResult { try t.mul(o) }
    }

    private func tensorDiv(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name); return try tensorResult { try t.div(o) }
    }

    private func tensorPow(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let e = try a.required(0, "exponent")
        if let et = tensor(e) { return try tensorResult { try t.pow(et) } }
        guard let s = scalar(e) else { throw typeError("pow(): argument 'exponent' must be Tensor or Number") }
        return try tensorResult { try t.pow(s) }
    }

    private func tensorNeg(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.neg() }
    }

    private func tensorExp(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.exp() }
    }

    private func tensorLog(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.log() }
    }

    private func tensorSin(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.sin() }
    }

    private func tensorCos(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.cos() }
    }

    private func tensorTanh(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.tanh() }
    }

    private func tensorSigmoid(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.sigmoid() }
    }

    private func tensorRelu(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.relu() }
    }

    private func tensorSqrt(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.sqrt() }
    }

    private func tensorAbs(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.abs() }
    }

    private func tensorClamp(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let lo = try optionalScalar(&a, name, 0, "min"), hi = try optionalScalar(&a, name, 1, "max")
        return try tensorResult { try t.clamp(min: lo, max: hi) }
    }

    private func tensorClamp_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let lo = try optionalScalar(&a, name, 0, "min"), hi = try optionalScalar(&a, name, 1, "max")
        return try tensorResult { try t.clamp_(min: lo, max: hi) }
    }

    private func tensorSumOrMean(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let d = try dimArgument(&a, name)
        let keep = try bool(a.take(1, "keepdim"))
        if let dt = try dtype(a.keyword("dtype")), dt != t.dtype { throw unsupported("\(name)(dtype=)") }
        guard let d else { return try tensorResult { name == "sum" ? try t.sum() : try t.mean() } }
        return try tensorResult { name == "sum" ? try t.sum(dim: d, keepdim: keep) : try t.mean(dim: d, keepdim: keep) }
    }

    private func tensorMaxOrMin(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        if let o = a.take(0, "other"), let ot = tensor(o) {
            return try tensorResult { name == "max" ? try t.maximum(ot) : try t.minimum(ot) }
        }
        guard let dv = a.take(0, "dim"), !dv.isNone else { return try tensorResult { name == "max" ? try t.max() : try t.min() } }
        let d = try int(dv, name, "dim")
        let keep = try bool(a.take(1, "keepdim"))
        let result = try run { () throws -> (values: Tensor, indices: Tensor) in name == "max" ? try t.max(dim: d, keepdim: keep) : try t.min(dim: d, keepdim: keep) }
        return .object(MinMaxResult(name: name, values: result.values, indices: result.indices))
    }

    private func tensorSoftmax(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        guard let dv = a.take(0, "dim"), !dv.isNone else {
            throw typeError("\(name)() missing 1 required positional arguments: \"dim\"")
        }
        let d = try int(dv, name, "dim")
        if let dt = try dtype(a.take(1, "dtype")), dt != t.dtype { throw unsupported("\(name)(dtype=)") }
        return try tensorResult { name == "softmax" ? try t.softmax(dim: d) : try t.logSoftmax(dim: d) }
    }

    private func tensorMatmul(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try requireTensor(try a.required(0, name == "mm" ? "mat2" : name == "dot" ? "tensor" : "other"), name, "other")
        return try tensorResult { name == "matmul" ? try t.matmul(o) : name == "mm" ? try t.mm(o) : try t.dot(o) }
    }

    private func tensorT(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.t() }
    }

    private func tensorTranspose(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let d0 = try int(try a.required(0, "dim0"), name, "dim0"), d1 = try int(try a.required(1, "dim1"), name, "dim1")
        return try tensorResult { try t.transpose(d0, d1) }
    }

    private func tensorView(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let s = try shapeArguments(&a, name, keyword: name == "view" ? "size" : "shape")
        return try tensorResult { name == "view" ? try t.view(s) : try t.reshape(s) }
    }

    private func tensorViewAs(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try requireTensor(try a.required(0, "other"), name, "other")
        return try tensorResult { name == "view_as" ? try t.view(o.shape) : try t.reshape(o.shape) }
    }

    private func tensorExpand(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let s = try shapeArguments(&a, name, keyword: "size")
        return try tensorResult { try t.expand(s) }
    }

    private func tensorUnsqueeze(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let d = try int(try a.required(0, "dim"), name, "dim")
        return try tensorResult { try t.unsqueeze(d) }
    }

    private func tensorSqueeze(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        guard let dv = a.take(0, "dim"), !dv.isNone else { return try tensorResult { try t.squeeze() } }
        let d = try int(dv, name, "dim")
        return try tensorResult { try t.squeeze(dim: d) }
    }

    private func tensorFlatten(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let start = try a.take(0, "start_dim").map { (v) throws(PyException) in try int(v, name, "start_dim") } ?? 0
        let end = try a.take(1, "end_dim").map { (v) throws(PyException) in try int(v, name, "end_dim") } ?? -1
        return try tensorResult { try t.flatten(startDim: start, endDim: end) }
    }

    private func tensorAdd_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name)
        let al = alpha(&a)
        return try tensorResult { try t.add_(o, alpha: al) }
    }

    private func tensorSub_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name)
        let al = alpha(&a)
        return try tensorResult { try t.sub_(o, alpha: al) }
    }

    private func tensorMul_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name); return try tensorResult { try t.mul_(o) }
    }

    private func tensorDiv_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let o = try other(&a, name); return try tensorResult { try t.div_(o) }
    }

    private func tensorPow_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        guard let s = scalar(try a.required(0, "exponent")) else { throw unsupported("pow_() with a tensor exponent") }
        return try tensorResult { try t.pow_(s) }
    }

    private func tensorNeg_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.neg_() }
    }

    private func tensorExp_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.exp_() }
    }

    private func tensorLog_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.log_() }
    }

    private func tensorSin_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.sin_() }
    }

    private func tensorCos_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.cos_() }
    }

    private func tensorTanh_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.tanh_() }
    }

    private func tensorSigmoid_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.sigmoid_() }
    }

    private func tensorRelu_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.relu_() }
    }

    private func tensorSqrt_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.sqrt_() }
    }

    private func tensorAbs_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.abs_() }
    }

    private func tensorZero_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return try tensorResult { try t.zero_() }
    }

    private func tensorFill_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let v = try a.required(0, "value")
        if let vt = tensor(v) { return try tensorResult { try t.fill_(vt) } }
        guard let s = scalar(v) else { throw typeError("fill_(): argument 'value' must be Number, not \(interpreter.typeName(v))") }
        return try tensorResult { try t.fill_(s) }
    }

    private func tensorArgmax(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let d = try a.take(0, "dim").flatMap { (v) throws(PyException) in v.isNone ? nil : try int(v, name, "dim") }
        let keepdim = try bool(a.take(1, "keepdim"))
        return try tensorResult { try t.argExtreme(dim: d, keepdim: keepdim, isMax: name == "argmax") }
    }

    private func tensorWhere(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let condition = try requireTensor(try a.required(0, "condition"), name, "condition")
        let y = try operand(try a.required(1, "other"), name)
        return try tensorResult { try Tensor.where(condition, .tensor(t), y) }
    }

    private func tensorChunk(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let chunks = try int(try a.required(0, "chunks"), name, "chunks")
        let d = try a.take(1, "dim").map { (v) throws(PyException) in try int(v, name, "dim") } ?? 0
        return .tuple(try run { try t.chunk(chunks, dim: d) }.map { .object($0) })
    }

    private func tensorMaskedFill(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let mask = try requireTensor(try a.required(0, "mask"), name, "mask")
        let v = try a.required(1, "value")
        if tensor(v) != nil { throw unsupported("\(name) with a tensor value") }
        guard let s = scalar(v) else { throw typeError("\(name)(): argument 'value' must be Number, not \(interpreter.typeName(v))") }
        return try tensorResult { name == "masked_fill" ? try t.maskedFill(mask, s) : try t.maskedFill_(mask, s) }
    }

    private func tensorTril(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let diagonal = try a.take(0, "diagonal").map { (v) throws(PyException) in try int(v, name, "diagonal") } ?? 0
        return try tensorResult { name == "tril" ? try t.tril(diagonal) : try t.triu(diagonal) }
    }

    private func tensorCopy_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let src = try requireTensor(try a.required(0, "src"), name, "src")
        return try tensorResult { try t.copy_(src) }
    }

    private func tensorUniform_(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let lo = try optionalScalar(&a, name, 0, "from")?.doubleValue ?? 0, hi = try optionalScalar(&a, name, 1, "to")?.doubleValue ?? 1
        return try tensorResult { try t.uniform_(from: lo, to: hi) }
    }

    private func tensorCpu(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        return .object(t)
    }

    private func tensorCuda(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        try checkDevice(.str("cuda"))
        return .object(t)
    }

    private func tensorCompare(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let ops: [String: CompareOperator] = ["eq": .equal, "ne": .notEqual, "lt": .less, "le": .lessEqual, "gt": .greater, "ge": .greaterEqual]
        let o = try a.required(0, "other")
        guard tensor(o) != nil || scalar(o) != nil else {
            throw typeError("\(name)(): argument 'other' (position 1) must be Tensor, not \(interpreter.typeName(o))")
        }
        return try t.compare(ops[name]!, o, reflected: false, interpreter: interpreter) ?? .none
    }

    private func tensorUnbind(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let d = try a.take(0, "dim").map { (v) throws(PyException) in try int(v, name, "dim") } ?? 0
        return .tuple(try run { try t.unbind(dim: d) }.map { .object($0) })
    }

    private func tensorSplit(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let sizes = try a.required(0, "split_size")
        let d = try a.take(1, "dim").map { (v) throws(PyException) in try int(v, name, "dim") } ?? 0
        let views: [Tensor]
        switch sizes {
        case .list, .tuple: views = try run { try t.split(sizes: try self.shape([sizes], name), dim: d) }
        default:
            let size = try int(sizes, name, "split_size")
            views = try run { try t.split(size, dim: d) }
        }
        return .tuple(views.map { .object($0) })
    }

    private func tensorPermute(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let order = try shapeArguments(&a, name, keyword: "dims")
        return try tensorResult { try t.permute(order) }
    }

    private func tensorConvert(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        let target: DType?
        switch name {
        case "float": target = .float32
        case "double": target = .float64
        case "long": target = .int64
        case "bool": target = .bool
        case "type_as": target = try requireTensor(try a.required(0, "other"), name, "other").dtype
        default:
            var requested = try dtype(a.keyword("dtype"))
            try checkDevice(a.keyword("device"))
            for value in a.positional {
                if case .object(let d as DTypeObject) = value { requested = d.dtype } else { try checkDevice(value) }
            }
            target = requested
        }
        guard let target, target != t.dtype else { return .object(t) }
        return try tensorResult { try t.to(target) }
    }

    /// Resolves a possibly negative dimension, with PyTorch's IndexError when out of range.
    func wrapDimension(_ d: Int, _ rank: Int) throws(PyException) -> Int {
        let r = max(rank, 1)
        guard d >= -r && d < r else {
            throw interpreter.error(.indexError, "Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(d))")
        }
        return d < 0 ? d + r : d
    }

    /// Runs `Tensor.backward`, noting which backward call an error came from.
    func runBackward(_ body: () throws -> Void) throws(PyException) {
        let start = interpreter.recorder.tape.count
        do {
            try body()
        } catch {
            let tape = interpreter.recorder.tape
            for index in stride(from: tape.count - 1, through: start, by: -1) {
                if case .backward(let call) = tape[index] { backwardInFlight = call.id; break }
            }
            defer { backwardInFlight = nil }
            try run { throw error }
        }
    }

    /// A Python subscript as engine indices: ints, slices, None and `...` (tensor indices are not supported).
    func tensorIndices(_ index: Value) throws(PyException) -> [TensorIndex] {
        func one(_ v: Value) throws(PyException) -> TensorIndex {
            switch v {
            case .int(let i): return .int(i)
            case .bool: throw unsupported("indexing a tensor with a bool")
            case .none: return .none
            case .ellipsis: return .ellipsis
            case .slice(let lo, let hi, let step):
                func bound(_ b: Value) throws(PyException) -> Int? {
                    if b.isNone { return nil }
                    if let i = interpreter.index(b) { return i }
                    if let t = tensor(b), t.dim == 0, !t.dtype.isFloatingPoint { return Int(try run { try t.item() }.doubleValue) }
                    throw typeError("slice indices must be integers or None or have an __index__ method")
                }
                let s = try bound(step)
                if s == 0 { throw interpreter.error(.valueError, "slice step cannot be zero") }
                if let s, s < 0 { throw interpreter.error(.valueError, "step must be greater than zero") }
                return .slice(start: try bound(lo), stop: try bound(hi), step: s)
            case .object(let o):
                if let t = o as? Tensor, t.dim == 0, t.dtype == .int64 { return .int(Int(try run { try t.item() }.doubleValue)) }
                throw unsupported("advanced indexing (indexing a tensor with a \(o.typeName))")
            default:
                throw unsupported("advanced indexing (indexing a tensor with a \(interpreter.typeName(v)))")
            }
        }
        if case .tuple(let items) = index { return try items.map { (v) throws(PyException) in try one(v) } }
        return [try one(index)]
    }
}
