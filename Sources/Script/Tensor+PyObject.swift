import Autograd

/// Tensors are Python objects: attributes, methods, operators, indexing and printing.
extension Tensor: PyObject {
    var typeName: String { "Tensor" }

    func repr(interpreter: Interpreter) throws(PyException) -> String {
        pythonText
    }

    func attribute(_ name: String, interpreter: Interpreter) throws(PyException) -> Value? {
        let torch = interpreter.torch!
        switch name {
        case "shape": return torch.size(shape)
        case "dtype": return .object(torch.dtypes[dtype]!)
        case "requires_grad": return .bool(requiresGrad)
        case "is_leaf": return .bool(isLeaf)
        case "grad": return grad.map { .object($0) } ?? Value.none
        case "grad_fn": return gradFn.map { .object(NodeObject($0)) } ?? Value.none
        case "_version": return .int(version)
        case "data": return .object(data)
        case "ndim": return .int(dim)
        case "T":
            return .object(try torch.run { try self.permute(Array((0..<dim).reversed())) })
        case "_base": return base.map { .object($0) } ?? Value.none
        case "device": return .object(DeviceObject(type: "cpu"))
        case "is_cuda": return .bool(false)
        case "retains_grad": return .bool(retainsGrad)
        default: return torch.tensorMethod(self, name)
        }
    }

    func setAttribute(_ name: String, _ value: Value, interpreter: Interpreter) throws(PyException) -> Bool {
        let torch = interpreter.torch!
        switch name {
        case "grad":
            if value.isNone {
                try torch.run { try self.setGrad(nil) }
                return true
            }
            guard let g = torch.tensor(value) else {
                throw torch.typeError("assigned grad expected to be a Tensor or None but got grad of type \(interpreter.typeName(value))")
            }
            try torch.run { try self.setGrad(g) }
            return true
        case "requires_grad":
            let flag = try interpreter.truth(value)
            try torch.run { try self.setRequiresGrad(flag) }
            return true
        case "data":
            guard let t = torch.tensor(value) else {
                throw torch.typeError("Variable data has to be a tensor, but got \(interpreter.typeName(value))")
            }
            setData(t)
            return true
        case "_version":
            throw interpreter.error(.attributeError, "attribute '_version' of 'torch._C.TensorBase' objects is not writable")
        default:
            throw interpreter.error(.attributeError, "'Tensor' object has no attribute '\(name)'")
        }
    }

    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value? {
        let torch = interpreter.torch!
        let otherTensor = torch.tensor(other)
        guard otherTensor != nil || torch.scalar(other) != nil else { return nil }
        let operand: Operand = otherTensor.map { .tensor($0) } ?? .scalar(torch.scalar(other)!)
        return .object(try torch.run { () throws -> Tensor in
            switch (op, reflected) {
            case (.add, false): return try self.add(operand)
            case (.add, true): return try otherTensor.map { try $0.add(.tensor(self)) } ?? self.add(operand)
            case (.subtract, false): return try self.sub(operand)
            case (.subtract, true):
                if let o = otherTensor { return try o.sub(.tensor(self)) }
                return try self.rsub(torch.scalar(other)!)
            case (.multiply, false): return try self.mul(operand)
            case (.multiply, true): return try otherTensor.map { try $0.mul(.tensor(self)) } ?? self.mul(operand)
            case (.divide, false): return try self.div(operand)
            case (.divide, true):
                if let o = otherTensor { return try o.div(.tensor(self)) }
                return try self.rdiv(torch.scalar(other)!)
            case (.power, false):
                if let o = otherTensor { return try self.pow(o) }
                return try self.pow(torch.scalar(other)!)
            case (.power, true):
                if let o = otherTensor { return try o.pow(self) }
                return try self.rpow(torch.scalar(other)!)
            case (.matmul, false):
                guard let o = otherTensor else { throw AutogradError.typeError("unsupported operand type(s) for @: 'Tensor' and '\(interpreter.typeName(other))'") }
                return try self.matmul(o)
            case (.matmul, true):
                guard let o = otherTensor else { throw AutogradError.typeError("unsupported operand type(s) for @: '\(interpreter.typeName(other))' and 'Tensor'") }
                return try o.matmul(self)
            default:
                throw TorchUnsupported(what: "the '\(op.rawValue)' operator on tensors")
            }
        })
    }

    func inPlace(_ op: BinaryOperator, _ other: Value, interpreter: Interpreter) throws(PyException) -> Value? {
        let torch = interpreter.torch!
        guard torch.tensor(other) != nil || torch.scalar(other) != nil else { return nil }
        let operand = try torch.operand(other, "Tensor.__i\(op)__")
        return .object(try torch.run { () throws -> Tensor in
            switch op {
            case .add: return try self.add_(operand)
            case .subtract: return try self.sub_(operand)
            case .multiply: return try self.mul_(operand)
            case .divide: return try self.div_(operand)
            case .power:
                guard case .scalar(let s) = operand else { throw TorchUnsupported(what: "'**=' with a tensor exponent") }
                return try self.pow_(s)
            default:
                throw TorchUnsupported(what: "the '\(op.rawValue)=' operator on tensors")
            }
        })
    }

    func unary(_ op: UnaryOperator, interpreter: Interpreter) throws(PyException) -> Value? {
        switch op {
        case .negate: return .object(try interpreter.torch.run { try self.neg() })
        case .plus: return .object(self)
        case .invert: throw interpreter.torch.unsupported("'~' on tensors")
        }
    }

    func compare(_ op: CompareOperator, _ other: Value, reflected: Bool, interpreter: Interpreter) throws(PyException) -> Value? {
        let torch = interpreter.torch!
        guard let operand = torch.tensor(other).map({ Operand.tensor($0) }) ?? torch.scalar(other).map({ Operand.scalar($0) }) else {
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            return nil
        }
        var comparison = op
        if reflected {
            switch op {
            case .less: comparison = .greater
            case .greater: comparison = .less
            case .lessEqual: comparison = .greaterEqual
            case .greaterEqual: comparison = .lessEqual
            default: break
            }
        }
        return .object(try torch.run { () throws -> Tensor in
            switch comparison {
            case .equal: return try self.eq(operand)
            case .notEqual: return try self.ne(operand)
            case .less: return try self.lt(operand)
            case .lessEqual: return try self.le(operand)
            case .greater: return try self.gt(operand)
            default: return try self.ge(operand)
            }
        })
    }

    func getItem(_ index: Value, interpreter: Interpreter) throws(PyException) -> Value? {
        let torch = interpreter.torch!
        if case .object(let mask as Tensor) = index, mask.dtype == .bool, mask.dim > 0 {
            return .object(try torch.run { try self.maskedGetitem(mask) })
        }
        let indices = try torch.tensorIndices(index)
        return .object(try torch.run { try self.getitem(indices) })
    }

    func setItem(_ index: Value, _ value: Value, interpreter: Interpreter) throws(PyException) -> Bool {
        let torch = interpreter.torch!
        if case .object(let mask as Tensor) = index, mask.dtype == .bool, mask.dim > 0 {
            let operand = try torch.operand(value, "Tensor.__setitem__", "value")
            try torch.run { try self.maskedSetitem(mask, operand) }
            return true
        }
        let indices = try torch.tensorIndices(index)
        let operand = try torch.operand(value, "Tensor.__setitem__", "value")
        try torch.run { try self.setitem(indices, operand) }
        return true
    }

    func truth(interpreter: Interpreter) throws(PyException) -> Bool {
        if numel == 0 { throw interpreter.error(.runtimeError, "Boolean value of Tensor with no values is ambiguous") }
        if numel > 1 { throw interpreter.error(.runtimeError, "Boolean value of Tensor with more than one value is ambiguous") }
        return try interpreter.torch.run { try self.item() }.doubleValue != 0
    }

    func iterate(interpreter: Interpreter) throws(PyException) -> [Value]? {
        guard dim > 0 else { throw interpreter.error(.typeError, "iteration over a 0-d tensor") }
        return try interpreter.torch.run { try self.unbind(dim: 0) }.map { .object($0) }
    }

    func length(interpreter: Interpreter) throws(PyException) -> Int? {
        guard let first = shape.first else { throw interpreter.error(.typeError, "len() of a 0-d tensor") }
        return first
    }

    /// `Tensor.__format__`: a 0-d plain tensor formats its Python number; anything else formats as `str`.
    func format(_ spec: String, interpreter: Interpreter) throws(PyException) -> String? {
        guard dim == 0 && !isParameter else {
            if spec.isEmpty { return pythonText }
            throw interpreter.error(.typeError, "unsupported format string passed to \(isParameter ? "Parameter" : "Tensor").__format__")
        }
        return try interpreter.format(interpreter.torch.pythonValue(try interpreter.torch.run { try self.item() }), spec: spec)
    }
}

extension Tensor {
    /// How PyTorch prints the tensor (`tensor([1., 2.], requires_grad=True)`), rendered by the engine.
    var pythonText: String { String(describing: self) }
}
