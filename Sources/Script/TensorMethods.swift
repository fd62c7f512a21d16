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

    func callTensorMethod(_ name: String, _ t: Tensor, _ a: inout Arguments) throws(PyException) -> Value {
        func tensorResult(_ body: () throws -> Tensor) throws(PyException) -> Value { .object(try run(body)) }
        func other(_ parameter: String = "other") throws(PyException) -> Operand {
            try operand(try a.required(0, parameter), name, parameter)
        }
        func alpha() -> Scalar { a.keyword("alpha").flatMap { scalar($0) } ?? .int(1) }
        func optionalScalar(_ index: Int, _ key: String) throws(PyException) -> Scalar? {
            guard let v = a.take(index, key), !v.isNone else { return nil }
            guard let s = scalar(v) else { throw typeError("\(name)(): argument '\(key)' must be Number, not \(interpreter.typeName(v))") }
            return s
        }
        func exponent() throws(PyException) -> Value { try a.required(0, "exponent") }

        switch name {
        case "size":
            guard let d = a.take(0, "dim"), !d.isNone else { return size(t.shape) }
            let axis = try int(d, name, "dim")
            guard t.dim > 0 else { throw interpreter.error(.indexError, "Dimension specified as \(axis) but tensor has no dimensions") }
            return .int(t.shape[try wrapDimension(axis, t.dim)])
        case "dim": return .int(t.dim)
        case "numel": return .int(t.numel)
        case "item":
            guard t.numel == 1 else {
                throw interpreter.error(.runtimeError, "a Tensor with \(t.numel) elements cannot be converted to Scalar")
            }
            return pythonValue(try run { try t.item() })
        case "tolist": return pythonValue(t.tolist())
        case "is_floating_point": return .bool(t.dtype.isFloatingPoint)
        case "backward":
            let gradient = a.take(0, "gradient").flatMap { tensor($0) }
            let retain = try bool(a.take(1, "retain_graph"))
            if let create = a.take(2, "create_graph"), try interpreter.truth(create) { throw unsupported("backward(create_graph=True)") }
            if let inputs = a.take(3, "inputs"), !inputs.isNone { throw unsupported("backward(inputs=...)") }
            try a.finish(maxPositional: 4)
            try runBackward { try t.backward(gradient: gradient, retainGraph: retain) }
            return .none
        case "retain_grad":
            try run { try t.retainGrad() }
            return .none
        case "requires_grad_":
            let flag = try bool(a.take(0, "requires_grad") ?? .bool(true))
            _ = try run { try t.requiresGrad_(flag) }
            return .object(t)
        case "detach": return .object(t.detach())
        case "detach_": return try tensorResult { try t.detach_() }
        case "clone": return try tensorResult { try t.clone() }
        case "contiguous": return try tensorResult { try t.contiguous() }
        case "add":
            let o = try other()
            let al = alpha()
            return try tensorResult { try t.add(o, alpha: al) }
        case "sub":
            let o = try other()
            let al = alpha()
            return try tensorResult { try t.sub(o, alpha: al) }
        case "mul": let o = try other(); return try tensorResult { try t.mul(o) }
        case "div": let o = try other(); return try tensorResult { try t.div(o) }
        case "pow":
            let e = try exponent()
            if let et = tensor(e) { return try tensorResult { try t.pow(et) } }
            guard let s = scalar(e) else { throw typeError("pow(): argument 'exponent' must be Tensor or Number") }
            return try tensorResult { try t.pow(s) }
        case "neg": return try tensorResult { try t.neg() }
        case "exp": return try tensorResult { try t.exp() }
        case "log": return try tensorResult { try t.log() }
        case "sin": return try tensorResult { try t.sin() }
        case "cos": return try tensorResult { try t.cos() }
        case "tanh": return try tensorResult { try t.tanh() }
        case "sigmoid": return try tensorResult { try t.sigmoid() }
        case "relu": return try tensorResult { try t.relu() }
        case "sqrt": return try tensorResult { try t.sqrt() }
        case "abs": return try tensorResult { try t.abs() }
        case "clamp":
            let lo = try optionalScalar(0, "min"), hi = try optionalScalar(1, "max")
            return try tensorResult { try t.clamp(min: lo, max: hi) }
        case "clamp_":
            let lo = try optionalScalar(0, "min"), hi = try optionalScalar(1, "max")
            return try tensorResult { try t.clamp_(min: lo, max: hi) }
        case "sum", "mean":
            let d = try dimArgument(&a, name)
            let keep = try bool(a.take(1, "keepdim"))
            if let dt = try dtype(a.keyword("dtype")), dt != t.dtype { throw unsupported("\(name)(dtype=)") }
            guard let d else { return try tensorResult { name == "sum" ? try t.sum() : try t.mean() } }
            return try tensorResult { name == "sum" ? try t.sum(dim: d, keepdim: keep) : try t.mean(dim: d, keepdim: keep) }
        case "max", "min":
            if let o = a.take(0, "other"), let ot = tensor(o) {
                return try tensorResult { name == "max" ? try t.maximum(ot) : try t.minimum(ot) }
            }
            guard let dv = a.take(0, "dim"), !dv.isNone else { return try tensorResult { name == "max" ? try t.max() : try t.min() } }
            let d = try int(dv, name, "dim")
            let keep = try bool(a.take(1, "keepdim"))
            let result = try run { () throws -> (values: Tensor, indices: Tensor) in name == "max" ? try t.max(dim: d, keepdim: keep) : try t.min(dim: d, keepdim: keep) }
            return .object(MinMaxResult(name: name, values: result.values, indices: result.indices))
        case "softmax", "log_softmax":
            guard let dv = a.take(0, "dim"), !dv.isNone else {
                throw typeError("\(name)() missing 1 required positional arguments: \"dim\"")
            }
            let d = try int(dv, name, "dim")
            return try tensorResult { name == "softmax" ? try t.softmax(dim: d) : try t.logSoftmax(dim: d) }
        case "matmul", "mm", "dot":
            let o = try requireTensor(try a.required(0, name == "mm" ? "mat2" : name == "dot" ? "tensor" : "other"), name, "other")
            return try tensorResult { name == "matmul" ? try t.matmul(o) : name == "mm" ? try t.mm(o) : try t.dot(o) }
        case "t": return try tensorResult { try t.t() }
        case "transpose":
            let d0 = try int(try a.required(0, "dim0"), name, "dim0"), d1 = try int(try a.required(1, "dim1"), name, "dim1")
            return try tensorResult { try t.transpose(d0, d1) }
        case "view", "reshape":
            let s = try shapeArguments(&a, name, keyword: name == "view" ? "size" : "shape")
            return try tensorResult { name == "view" ? try t.view(s) : try t.reshape(s) }
        case "view_as", "reshape_as", "expand_as":
            let o = try requireTensor(try a.required(0, "other"), name, "other")
            return try tensorResult { name == "view_as" ? try t.view(o.shape) : try t.reshape(o.shape) }
        case "expand":
            let s = try shapeArguments(&a, name, keyword: "size")
            return try tensorResult { try t.expand(s) }
        case "unsqueeze":
            let d = try int(try a.required(0, "dim"), name, "dim")
            return try tensorResult { try t.unsqueeze(d) }
        case "squeeze":
            guard let dv = a.take(0, "dim"), !dv.isNone else { return try tensorResult { try t.squeeze() } }
            let d = try int(dv, name, "dim")
            return try tensorResult { try t.squeeze(dim: d) }
        case "flatten":
            let start = try a.take(0, "start_dim").map { (v) throws(PyException) in try int(v, name, "start_dim") } ?? 0
            let end = try a.take(1, "end_dim").map { (v) throws(PyException) in try int(v, name, "end_dim") } ?? -1
            return try tensorResult { try t.flatten(startDim: start, endDim: end) }
        case "add_":
            let o = try other()
            let al = alpha()
            return try tensorResult { try t.add_(o, alpha: al) }
        case "sub_":
            let o = try other()
            let al = alpha()
            return try tensorResult { try t.sub_(o, alpha: al) }
        case "mul_": let o = try other(); return try tensorResult { try t.mul_(o) }
        case "div_": let o = try other(); return try tensorResult { try t.div_(o) }
        case "pow_":
            guard let s = scalar(try exponent()) else { throw unsupported("pow_() with a tensor exponent") }
            return try tensorResult { try t.pow_(s) }
        case "neg_": return try tensorResult { try t.neg_() }
        case "exp_": return try tensorResult { try t.exp_() }
        case "log_": return try tensorResult { try t.log_() }
        case "sin_": return try tensorResult { try t.sin_() }
        case "cos_": return try tensorResult { try t.cos_() }
        case "tanh_": return try tensorResult { try t.tanh_() }
        case "sigmoid_": return try tensorResult { try t.sigmoid_() }
        case "relu_": return try tensorResult { try t.relu_() }
        case "sqrt_": return try tensorResult { try t.sqrt_() }
        case "abs_": return try tensorResult { try t.abs_() }
        case "zero_": return try tensorResult { try t.zero_() }
        case "fill_":
            let v = try a.required(0, "value")
            if let vt = tensor(v) { return try tensorResult { try t.fill_(vt) } }
            guard let s = scalar(v) else { throw typeError("fill_(): argument 'value' must be Number, not \(interpreter.typeName(v))") }
            return try tensorResult { try t.fill_(s) }
        case "argmax", "argmin":
            let d = try a.take(0, "dim").flatMap { (v) throws(PyException) in v.isNone ? nil : try int(v, name, "dim") }
            let keepdim = try bool(a.take(1, "keepdim"))
            return try tensorResult { try t.argExtreme(dim: d, keepdim: keepdim, isMax: name == "argmax") }
        case "where":
            let condition = try requireTensor(try a.required(0, "condition"), name, "condition")
            let y = try operand(try a.required(1, "other"), name)
            return try tensorResult { try Tensor.where(condition, .tensor(t), y) }
        case "chunk":
            let chunks = try int(try a.required(0, "chunks"), name, "chunks")
            let d = try a.take(1, "dim").map { (v) throws(PyException) in try int(v, name, "dim") } ?? 0
            return .tuple(try run { try t.chunk(chunks, dim: d) }.map { .object($0) })
        case "masked_fill", "masked_fill_":
            let mask = try requireTensor(try a.required(0, "mask"), name, "mask")
            let v = try a.required(1, "value")
            if tensor(v) != nil { throw unsupported("\(name) with a tensor value") }
            guard let s = scalar(v) else { throw typeError("\(name)(): argument 'value' must be Number, not \(interpreter.typeName(v))") }
            return try tensorResult { name == "masked_fill" ? try t.maskedFill(mask, s) : try t.maskedFill_(mask, s) }
        case "tril", "triu":
            let diagonal = try a.take(0, "diagonal").map { (v) throws(PyException) in try int(v, name, "diagonal") } ?? 0
            return try tensorResult { name == "tril" ? try t.tril(diagonal) : try t.triu(diagonal) }
        case "copy_":
            let src = try requireTensor(try a.required(0, "src"), name, "src")
            return try tensorResult { try t.copy_(src) }
        case "uniform_":
            let lo = try optionalScalar(0, "from")?.doubleValue ?? 0, hi = try optionalScalar(1, "to")?.doubleValue ?? 1
            return try tensorResult { try t.uniform_(from: lo, to: hi) }
        case "cpu": return .object(t)
        case "cuda":
            try checkDevice(.str("cuda"))
            return .object(t)
        case "eq", "ne", "lt", "le", "gt", "ge":
            let ops: [String: CompareOperator] = ["eq": .equal, "ne": .notEqual, "lt": .less, "le": .lessEqual, "gt": .greater, "ge": .greaterEqual]
            let o = try a.required(0, "other")
            guard tensor(o) != nil || scalar(o) != nil else {
                throw typeError("\(name)(): argument 'other' (position 1) must be Tensor, not \(interpreter.typeName(o))")
            }
            return try t.compare(ops[name]!, o, reflected: false, interpreter: interpreter) ?? .none
        case "unbind":
            let d = try a.take(0, "dim").map { (v) throws(PyException) in try int(v, name, "dim") } ?? 0
            return .tuple(try run { try t.unbind(dim: d) }.map { .object($0) })
        case "split":
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
        case "permute":
            let order = try shapeArguments(&a, name, keyword: "dims")
            return try tensorResult { try t.permute(order) }
        case "float", "double", "long", "bool", "to", "type_as":
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
        default:
            throw unsupported("Tensor.\(name)")
        }
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
