import Foundation

/// Binary arithmetic: `+ - * / **` and their in-place forms, with PyTorch's type promotion,
/// broadcasting, grad_fn names and saved tensors.
extension Tensor {
    /// `self + alpha * other` (`torch.add`, `a + b`).
    public func add(_ other: Operand, alpha: Scalar = .int(1)) throws -> Tensor {
        try addOrSub("aten::add.Tensor", "AddBackward0", other, alpha: alpha.doubleValue)
    }

    /// `self - alpha * other` (`torch.sub`, `a - b`).
    public func sub(_ other: Operand, alpha: Scalar = .int(1)) throws -> Tensor {
        try addOrSub("aten::sub.Tensor", "SubBackward0", other, alpha: -alpha.doubleValue)
    }

    /// `other - self` for a Python number on the left (`2 - x`, `torch.rsub`).
    public func rsub(_ other: Scalar) throws -> Tensor {
        let b = wrap(.scalar(other))
        let dtype = TypePromotion.resultType([.tensor(self), .scalar(other)])
        return try outOfPlace("aten::rsub.Scalar", inputs: [self], compute: {
            Kernel.zip(b, self, dtype: dtype, -)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("RsubBackward1", inputs: [self], outputs: [result]) { input in
                [Kernel.neg(input.grad)]
            }
        })
    }

    private func addOrSub(_ aten: String, _ name: String, _ other: Operand, alpha: Double) throws -> Tensor {
        let b = wrap(other)
        let dtype = TypePromotion.resultType([.tensor(self), other])
        _ = try Kernel.broadcastShapes(shape, b.shape)
        let otherInput = Tensor.graphInput(other)
        return try outOfPlace(aten, inputs: [self] + [otherInput].compactMap { $0 }, compute: {
            Kernel.zip(self, b, dtype: dtype, { $0 + alpha * $1 })
        }, node: { result in
            guard runtime.needsNode([self, otherInput]) else { return nil }
            return runtime.makeNode(name, inputs: [self, otherInput], outputs: [result]) { input in
                [input.grad, input.needs(1) ? (alpha == 1 ? input.grad : Kernel.mul(input.grad, alpha)) : nil]
            }
        })
    }

    /// `self * other` (`torch.mul`, `a * b`). MulBackward0 saves `other` when self needs a
    /// gradient and `self` when other does.
    public func mul(_ other: Operand) throws -> Tensor {
        let b = wrap(other)
        let dtype = TypePromotion.resultType([.tensor(self), other])
        _ = try Kernel.broadcastShapes(shape, b.shape)
        let otherInput = Tensor.graphInput(other)
        return try outOfPlace("aten::mul.Tensor", inputs: [self] + [otherInput].compactMap { $0 }, compute: {
            Kernel.zip(self, b, dtype: dtype, *)
        }, node: { result in
            guard runtime.needsNode([self, otherInput]) else { return nil }
            let node = runtime.makeNode("MulBackward0", inputs: [self, otherInput], outputs: [result], formula: Tensor.mulFormula)
            node.save("other", node.needsInput(0) ? b : nil, runtime: runtime)
            node.save("self", node.needsInput(1) ? self : nil, runtime: runtime)
            return node
        })
    }

    static func mulFormula(_ input: BackwardInputs) -> [Tensor?] {
        let (other, selfValue) = (input.saved[0], input.saved[1])
        return [input.needs(0) ? Kernel.mul(input.grad, other!) : nil,
                input.needs(1) ? Kernel.mul(input.grad, selfValue!) : nil]
    }

    /// `self / other` (`torch.div`, true division). DivBackward0 always saves `other`, and `self`
    /// when other needs a gradient.
    public func div(_ other: Operand) throws -> Tensor {
        let b = wrap(other)
        let promoted = TypePromotion.resultType([.tensor(self), other])
        let dtype = promoted.isFloatingPoint ? promoted : .defaultFloat
        _ = try Kernel.broadcastShapes(shape, b.shape)
        let otherInput = Tensor.graphInput(other)
        return try outOfPlace("aten::div.Tensor", inputs: [self] + [otherInput].compactMap { $0 }, compute: {
            Kernel.zip(self, b, dtype: dtype, /)
        }, node: { result in
            guard runtime.needsNode([self, otherInput]) else { return nil }
            let node = runtime.makeNode("DivBackward0", inputs: [self, otherInput], outputs: [result], formula: Tensor.divFormula)
            node.save("other", b, runtime: runtime)
            node.save("self", node.needsInput(1) ? self : nil, runtime: runtime)
            return node
        })
    }

    static func divFormula(_ input: BackwardInputs) -> [Tensor?] {
        let other = input.saved[0]!
        var grads: [Tensor?] = [input.needs(0) ? Kernel.div(input.grad, other) : nil, nil]
        if input.needs(1), let selfValue = input.saved[1] {
            grads[1] = Kernel.mul(Kernel.neg(input.grad), Kernel.div(Kernel.div(selfValue, other), other))
        }
        return grads
    }

    /// `other / self` for a Python number on the left (`2 / x`): `reciprocal(x) * other`.
    public func rdiv(_ other: Scalar) throws -> Tensor {
        try reciprocal().mul(.scalar(other))
    }

    /// `-self` (`torch.neg`).
    public func neg() throws -> Tensor {
        if dtype == .bool { throw AutogradError.runtimeError(Tensor.boolNegation) }
        return try outOfPlace("aten::neg", inputs: [self], compute: { Kernel.neg(self) }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("NegBackward0", inputs: [self], outputs: [result]) { [Kernel.neg($0.grad)] }
        })
    }

    static let boolNegation = "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."

    /// `self ** exponent` for a Python number exponent (PowBackward0, saves `self`).
    public func pow(_ exponent: Scalar) throws -> Tensor {
        let dtype = TypePromotion.resultType([.tensor(self), .scalar(exponent)])
        let e = exponent.doubleValue
        return try outOfPlace("aten::pow.Tensor_Scalar", inputs: [self], compute: {
            Kernel.powScalar(self, e, dtype: dtype)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode("PowBackward0", inputs: [self], outputs: [result]) { input in
                [Kernel.powBackward(input.grad, input.saved[0]!, e)]
            }
            node.save("self", self, runtime: runtime)
            return node
        })
    }

    /// `self ** exponent` for a tensor exponent (PowBackward1, saves `exponent`, `self`, `result`).
    public func pow(_ exponent: Tensor) throws -> Tensor {
        let dtype = TypePromotion.resultType([.tensor(self), .tensor(exponent)])
        _ = try Kernel.broadcastShapes(shape, exponent.shape)
        return try outOfPlace("aten::pow.Tensor_Tensor", inputs: [self, exponent], compute: {
            Kernel.zip(self, exponent, dtype: dtype, Foundation.pow, f32: powf)
        }, node: { result in
            guard runtime.needsNode([self, exponent]) else { return nil }
            let node = runtime.makeNode("PowBackward1", inputs: [self, exponent], outputs: [result], formula: Tensor.pow1Formula)
            node.save("exponent", exponent, runtime: runtime)
            node.save("self", self, runtime: runtime)
            node.save("result", result, isOutput: true, runtime: runtime)
            return node
        })
    }

    static func pow1Formula(_ input: BackwardInputs) -> [Tensor?] {
        let (exponent, base, result) = (input.saved[0]!, input.saved[1]!, input.saved[2]!)
        var grads: [Tensor?] = [nil, nil]
        if input.needs(0) {
            let d = Kernel.zip(base, exponent, dtype: input.grad.dtype, { b, e in e == 0 ? 0 : e * Foundation.pow(b, e - 1) },
                               f32: { b, e in e == 0 ? 0 : e * powf(b, e - 1) })
            grads[0] = Kernel.mul(input.grad, d)
        }
        if input.needs(1) {
            grads[1] = Kernel.mul(input.grad, Kernel.powExponentFactor(base: base, exponent: exponent, result: result))
        }
        return grads
    }

    /// `base ** self` for a Python number base (`2 ** x`, PowBackward2, saves `exponent`, `result`).
    public func rpow(_ base: Scalar) throws -> Tensor {
        let dtype = TypePromotion.resultType([.tensor(self), .scalar(base)])
        let b = base.doubleValue
        return try outOfPlace("aten::pow.Scalar", inputs: [self], compute: {
            Kernel.map(self, dtype: dtype, { Foundation.pow(b, $0) }, f32: { powf(Float(b), $0) })
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode("PowBackward2", inputs: [self], outputs: [result]) { input in
                let (exponent, result) = (input.saved[0]!, input.saved[1]!)
                let baseTensor = Kernel.full(exponent, shape: [], value: b, dtype: .float64)
                return [Kernel.mul(input.grad, Kernel.powExponentFactor(base: baseTensor, exponent: exponent, result: result))]
            }
            node.save("exponent", self, runtime: runtime)
            node.save("result", result, isOutput: true, runtime: runtime)
            return node
        })
    }

    // MARK: In-place

    /// `self.add_(other, alpha=)`, also `+=`.
    @discardableResult
    public func add_(_ other: Operand, alpha: Scalar = .int(1)) throws -> Tensor {
        try addOrSub_("aten::add_.Tensor", "AddBackward0", other, alpha: alpha.doubleValue)
    }

    /// `self.sub_(other, alpha=)`, also `-=`.
    @discardableResult
    public func sub_(_ other: Operand, alpha: Scalar = .int(1)) throws -> Tensor {
        try addOrSub_("aten::sub_.Tensor", "SubBackward0", other, alpha: -alpha.doubleValue)
    }

    private func addOrSub_(_ aten: String, _ name: String, _ other: Operand, alpha: Double) throws -> Tensor {
        let b = wrap(other)
        let otherInput = Tensor.graphInput(other)
        let shape = try Kernel.broadcastShapes(self.shape, b.shape)
        let common = TypePromotion.resultType([.tensor(self), other])
        return try inPlace(aten, others: [otherInput], resultType: common, broadcastShape: shape, makeNode: {
            runtime.makeNode(name, inputs: [self, otherInput], outputs: [self]) { input in
                [input.grad, input.needs(1) ? (alpha == 1 ? input.grad : Kernel.mul(input.grad, alpha)) : nil]
            }
        }, compute: {
            Kernel.zip(self, b, dtype: common, { $0 + alpha * $1 }).contiguousValues()
        })
    }

    /// `self.mul_(other)`, also `*=`. Saves a clone of the old `self` when other requires grad.
    @discardableResult
    public func mul_(_ other: Operand) throws -> Tensor {
        let b = wrap(other)
        let otherInput = Tensor.graphInput(other)
        let shape = try Kernel.broadcastShapes(self.shape, b.shape)
        let common = TypePromotion.resultType([.tensor(self), other])
        return try inPlace("aten::mul_.Tensor", others: [otherInput], resultType: common, broadcastShape: shape, makeNode: {
            let node = runtime.makeNode("MulBackward0", inputs: [self, otherInput], outputs: [self], formula: Tensor.mulFormula)
            let original = node.needsInput(1) ? try clone() : nil
            node.save("other", node.needsInput(0) ? b : nil, runtime: runtime)
            node.save("self", original, runtime: runtime)
            return node
        }, compute: {
            Kernel.zip(self, b, dtype: common, *).contiguousValues()
        })
    }

    /// `self.div_(other)`, also `/=`. Saves `other`, and a clone of the old `self` when other requires grad.
    @discardableResult
    public func div_(_ other: Operand) throws -> Tensor {
        let b = wrap(other)
        let otherInput = Tensor.graphInput(other)
        let shape = try Kernel.broadcastShapes(self.shape, b.shape)
        let promoted = TypePromotion.resultType([.tensor(self), other])
        let common = promoted.isFloatingPoint ? promoted : DType.defaultFloat
        return try inPlace("aten::div_.Tensor", others: [otherInput], resultType: common, broadcastShape: shape, makeNode: {
            let node = runtime.makeNode("DivBackward0", inputs: [self, otherInput], outputs: [self], formula: Tensor.divFormula)
            let original = node.needsInput(1) ? try clone() : nil
            node.save("other", b, runtime: runtime)
            node.save("self", original, runtime: runtime)
            return node
        }, compute: {
            Kernel.zip(self, b, dtype: common, /).contiguousValues()
        })
    }

    /// `self.pow_(exponent)` for a Python number; saves a clone of the old `self`.
    @discardableResult
    public func pow_(_ exponent: Scalar) throws -> Tensor {
        let e = exponent.doubleValue
        return try inPlace("aten::pow_.Scalar", others: [], resultType: TypePromotion.resultType([.tensor(self), .scalar(exponent)]),
                           makeNode: {
            let node = runtime.makeNode("PowBackward0", inputs: [self], outputs: [self]) { input in
                [Kernel.powBackward(input.grad, input.saved[0]!, e)]
            }
            node.save("self", try clone(), runtime: runtime)
            return node
        }, compute: {
            Kernel.powScalar(self, e, dtype: dtype).contiguousValues()
        })
    }

    /// `self.neg_()`.
    @discardableResult
    public func neg_() throws -> Tensor {
        if dtype == .bool { throw AutogradError.runtimeError(Tensor.boolNegation) }
        return try inPlace("aten::neg_", others: [], resultType: dtype, makeNode: {
            runtime.makeNode("NegBackward0", inputs: [self], outputs: [self]) { [Kernel.neg($0.grad)] }
        }, compute: { Kernel.neg(self).contiguousValues() })
    }
}

extension Kernel {
    /// `self ** e` with PyTorch's special cases (x*x for 2, sqrt for 0.5, ...), computed in `dtype`.
    static func powScalar(_ t: Tensor, _ e: Double, dtype: DType) -> Tensor {
        switch e {
        case 2: return map(t, dtype: dtype, { $0 * $0 }, f32: { $0 * $0 })
        case 3: return map(t, dtype: dtype, { $0 * $0 * $0 }, f32: { $0 * $0 * $0 })
        case 0.5: return map(t, dtype: dtype, { $0.squareRoot() }, f32: { $0.squareRoot() })
        case -0.5: return map(t, dtype: dtype, { 1 / $0.squareRoot() }, f32: { 1 / $0.squareRoot() })
        case -1: return map(t, dtype: dtype, { 1 / $0 }, f32: { 1 / $0 })
        case -2: return map(t, dtype: dtype, { 1 / ($0 * $0) }, f32: { 1 / ($0 * $0) })
        default:
            if dtype == .int64 { return map(t, dtype: dtype, { Foundation.pow($0, e) }) }
            return map(t, dtype: dtype, { Foundation.pow($0, e) }, f32: { powf($0, Float(e)) })
        }
    }

    /// `pow_backward`: `grad * (e * self ** (e - 1))`, zero for e == 0.
    static func powBackward(_ grad: Tensor, _ base: Tensor, _ e: Double) -> Tensor {
        if e == 0 { return full(grad, shape: grad.shape, value: 0, dtype: grad.dtype) }
        let dtype = grad.dtype
        let powered = powScalar(base, e - 1, dtype: dtype)
        return mul(grad, map(powered, { e * $0 }, f32: { Float(e) * $0 }))
    }

    /// `result * log(base)`, zero where base == 0 and exponent >= 0 (`pow_backward_exponent`).
    static func powExponentFactor(base: Tensor, exponent: Tensor, result: Tensor) -> Tensor {
        let dtype = result.dtype
        let shape = result.shape
        let vb = expandedValues(base, to: shape)
        let ve = expandedValues(exponent, to: shape)
        let vr = result.contiguousValues()
        let values = (0..<vr.count).map { i -> Double in
            if vb[i] == 0 && ve[i] >= 0 { return 0 }
            if dtype == .float32 { return Double(Float(vr[i]) * logf(Float(vb[i]))) }
            return vr[i] * Foundation.log(vb[i])
        }
        return make(result, values, shape, dtype)
    }
}
