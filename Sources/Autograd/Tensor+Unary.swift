import Foundation

/// Elementwise functions (`exp`, `log`, `sin`, ..., `relu`, `clamp`) and their in-place forms.
///
/// Each saves what its derivative formula reads: the input (`self`) or the output (`result`).
/// In-place forms that need the old input save a clone of it; those that read the result save
/// the mutated tensor itself at its post-op version.
extension Tensor {
    /// What a unary function's derivative formula reads.
    enum UnarySave {
        case input
        case result
    }

    /// A unary function: its aten name stem, grad_fn name, forward math, and derivative.
    struct UnaryFunction {
        let aten: String
        let node: String
        let save: UnarySave
        let promotesIntegers: Bool
        let f64: (Double) -> Double
        let f32: (Float) -> Float
        let derivative: (_ grad: Tensor, _ saved: Tensor) -> Tensor
    }

    static var expFunction: UnaryFunction {
        UnaryFunction(aten: "exp", node: "ExpBackward0", save: .result, promotesIntegers: true,
                      f64: Foundation.exp, f32: expf) { grad, y in Kernel.mul(grad, y) }
    }

    static var logFunction: UnaryFunction {
        UnaryFunction(aten: "log", node: "LogBackward0", save: .input, promotesIntegers: true,
                      f64: Foundation.log, f32: logf) { grad, x in Kernel.div(grad, x) }
    }

    static var sinFunction: UnaryFunction {
        UnaryFunction(aten: "sin", node: "SinBackward0", save: .input, promotesIntegers: true,
                      f64: Foundation.sin, f32: sinf) { grad, x in
            Kernel.mul(grad, Kernel.map(x, Foundation.cos, f32: cosf))
        }
    }

    static var cosFunction: UnaryFunction {
        UnaryFunction(aten: "cos", node: "CosBackward0", save: .input, promotesIntegers: true,
                      f64: Foundation.cos, f32: cosf) { grad, x in
            Kernel.mul(grad, Kernel.map(x, { -Foundation.sin($0) }, f32: { -sinf($0) }))
        }
    }

    static var tanhFunction: UnaryFunction {
        UnaryFunction(aten: "tanh", node: "TanhBackward0", save: .result, promotesIntegers: true,
                      f64: Foundation.tanh, f32: tanhf) { grad, y in
            Kernel.zip(grad, y, dtype: grad.dtype, { $0 * (1 - $1 * $1) }, f32: { $0 * (1 - $1 * $1) })
        }
    }

    static var sigmoidFunction: UnaryFunction {
        UnaryFunction(aten: "sigmoid", node: "SigmoidBackward0", save: .result, promotesIntegers: true,
                      f64: { 1 / (1 + Foundation.exp(-$0)) }, f32: { 1 / (1 + expf(-$0)) }) { grad, y in
            Kernel.zip(grad, y, dtype: grad.dtype, { $0 * (1 - $1) * $1 }, f32: { $0 * (1 - $1) * $1 })
        }
    }

    static var reluFunction: UnaryFunction {
        UnaryFunction(aten: "relu", node: "ReluBackward0", save: .result, promotesIntegers: false,
                      f64: { $0 > 0 ? $0 : 0 }, f32: { $0 > 0 ? $0 : 0 }) { grad, y in
            Kernel.zip(grad, y, dtype: grad.dtype, { $1 <= 0 ? 0 : $0 })
        }
    }

    static var sqrtFunction: UnaryFunction {
        UnaryFunction(aten: "sqrt", node: "SqrtBackward0", save: .result, promotesIntegers: true,
                      f64: { $0.squareRoot() }, f32: { $0.squareRoot() }) { grad, y in
            Kernel.zip(grad, y, dtype: grad.dtype, { $0 / (2 * $1) }, f32: { $0 / (2 * $1) })
        }
    }

    static var absFunction: UnaryFunction {
        UnaryFunction(aten: "abs", node: "AbsBackward0", save: .input, promotesIntegers: false,
                      f64: { Swift.abs($0) }, f32: { Swift.abs($0) }) { grad, x in
            Kernel.mul(grad, Kernel.map(x, { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }))
        }
    }

    static var reciprocalFunction: UnaryFunction {
        UnaryFunction(aten: "reciprocal", node: "ReciprocalBackward0", save: .result, promotesIntegers: true,
                      f64: { 1 / $0 }, f32: { 1 / $0 }) { grad, y in
            Kernel.zip(grad, y, dtype: grad.dtype, { $0 * -($1 * $1) }, f32: { $0 * -($1 * $1) })
        }
    }

    private func unary(_ fn: UnaryFunction) throws -> Tensor {
        let out = fn.promotesIntegers && !dtype.isFloatingPoint ? DType.defaultFloat : dtype
        return try outOfPlace("aten::" + fn.aten, inputs: [self], compute: {
            Kernel.map(self, dtype: out, fn.f64, f32: fn.f32)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode(fn.node, inputs: [self], outputs: [result]) { input in
                [fn.derivative(input.grad, input.saved[0]!)]
            }
            switch fn.save {
            case .input: node.save("self", self, runtime: runtime)
            case .result: node.save("result", result, isOutput: true, runtime: runtime)
            }
            return node
        })
    }

    private func unary_(_ fn: UnaryFunction) throws -> Tensor {
        let out = fn.promotesIntegers && !dtype.isFloatingPoint ? DType.defaultFloat : dtype
        return try inPlace("aten::" + fn.aten + "_", others: [], resultType: out, makeNode: {
            let node = runtime.makeNode(fn.node, inputs: [self], outputs: [self]) { input in
                [fn.derivative(input.grad, input.saved[0]!)]
            }
            if fn.save == .input { node.save("self", try clone(), runtime: runtime) }
            return node
        }, compute: {
            Kernel.map(self, dtype: out, fn.f64, f32: fn.f32).contiguousValues()
        }, after: { node in
            if fn.save == .result { node.save("result", self, isOutput: true, isInPlaceOnView: isView, runtime: runtime) }
        })
    }

    /// `torch.exp` (ExpBackward0, saves `result`).
    public func exp() throws -> Tensor { try unary(Tensor.expFunction) }
    /// `torch.log` (LogBackward0, saves `self`).
    public func log() throws -> Tensor { try unary(Tensor.logFunction) }
    /// `torch.sin` (SinBackward0, saves `self`).
    public func sin() throws -> Tensor { try unary(Tensor.sinFunction) }
    /// `torch.cos` (CosBackward0, saves `self`).
    public func cos() throws -> Tensor { try unary(Tensor.cosFunction) }
    /// `torch.tanh` (TanhBackward0, saves `result`).
    public func tanh() throws -> Tensor { try unary(Tensor.tanhFunction) }
    /// `torch.sigmoid` (SigmoidBackward0, saves `result`).
    public func sigmoid() throws -> Tensor { try unary(Tensor.sigmoidFunction) }
    /// `torch.relu`, `F.relu` (ReluBackward0, saves `result`).
    public func relu() throws -> Tensor { try unary(Tensor.reluFunction) }
    /// `torch.sqrt` (SqrtBackward0, saves `result`).
    public func sqrt() throws -> Tensor { try unary(Tensor.sqrtFunction) }
    /// `torch.abs` (AbsBackward0, saves `self`).
    public func abs() throws -> Tensor { try unary(Tensor.absFunction) }
    /// `torch.reciprocal` (ReciprocalBackward0, saves `result`).
    public func reciprocal() throws -> Tensor { try unary(Tensor.reciprocalFunction) }

    /// `exp_()`: saves the mutated tensor as `result` at its post-op version.
    @discardableResult public func exp_() throws -> Tensor { try unary_(Tensor.expFunction) }
    /// `log_()`: saves a clone of the old tensor.
    @discardableResult public func log_() throws -> Tensor { try unary_(Tensor.logFunction) }
    /// `sin_()`: saves a clone of the old tensor.
    @discardableResult public func sin_() throws -> Tensor { try unary_(Tensor.sinFunction) }
    /// `cos_()`: saves a clone of the old tensor.
    @discardableResult public func cos_() throws -> Tensor { try unary_(Tensor.cosFunction) }
    /// `tanh_()`: saves the mutated tensor as `result`.
    @discardableResult public func tanh_() throws -> Tensor { try unary_(Tensor.tanhFunction) }
    /// `sigmoid_()`: saves the mutated tensor as `result`.
    @discardableResult public func sigmoid_() throws -> Tensor { try unary_(Tensor.sigmoidFunction) }
    /// `relu_()`, `F.relu(x, inplace=True)`, `nn.ReLU(inplace=True)`: saves the mutated tensor as `result`.
    @discardableResult public func relu_() throws -> Tensor { try unary_(Tensor.reluFunction) }
    /// `sqrt_()`: saves the mutated tensor as `result`.
    @discardableResult public func sqrt_() throws -> Tensor { try unary_(Tensor.sqrtFunction) }
    /// `abs_()`: saves a clone of the old tensor.
    @discardableResult public func abs_() throws -> Tensor { try unary_(Tensor.absFunction) }

    // MARK: Clamp

    /// `torch.clamp(self, min, max)` with Python-number bounds (ClampBackward1, saves `self`).
    public func clamp(min: Scalar? = nil, max: Scalar? = nil) throws -> Tensor {
        guard min != nil || max != nil else {
            throw AutogradError.runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        }
        let out = TypePromotion.resultType([.tensor(self)] + [min, max].compactMap { $0.map(Operand.scalar) })
        let (lo, hi) = (min?.doubleValue, max?.doubleValue)
        return try outOfPlace("aten::clamp", inputs: [self], compute: {
            Kernel.clamp(self, lo, hi, dtype: out)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode("ClampBackward1", inputs: [self], outputs: [result]) { input in
                [Kernel.clampBackward(input.grad, input.saved[0]!, lo, hi)]
            }
            node.save("self", self, runtime: runtime)
            return node
        })
    }

    /// `clamp_(min, max)`: saves a clone of the old tensor.
    @discardableResult
    public func clamp_(min: Scalar? = nil, max: Scalar? = nil) throws -> Tensor {
        guard min != nil || max != nil else {
            throw AutogradError.runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        }
        let out = TypePromotion.resultType([.tensor(self)] + [min, max].compactMap { $0.map(Operand.scalar) })
        let (lo, hi) = (min?.doubleValue, max?.doubleValue)
        return try inPlace("aten::clamp_", others: [], resultType: out, makeNode: {
            let node = runtime.makeNode("ClampBackward1", inputs: [self], outputs: [self]) { input in
                [Kernel.clampBackward(input.grad, input.saved[0]!, lo, hi)]
            }
            node.save("self", try clone(), runtime: runtime)
            return node
        }, compute: { Kernel.clamp(self, lo, hi, dtype: dtype).contiguousValues() })
    }
}

extension Kernel {
    static func clamp(_ t: Tensor, _ lo: Double?, _ hi: Double?, dtype: DType) -> Tensor {
        map(t, dtype: dtype, { v in
            if v.isNaN { return v }
            var r = v
            if let lo { r = Swift.max(r, dtype.cast(lo)) }
            if let hi { r = Swift.min(r, dtype.cast(hi)) }
            return r
        })
    }

    /// `clamp_backward`: the gradient where `lo <= self <= hi`, zero elsewhere.
    static func clampBackward(_ grad: Tensor, _ x: Tensor, _ lo: Double?, _ hi: Double?) -> Tensor {
        let (lo, hi) = (lo.map(x.dtype.cast), hi.map(x.dtype.cast))
        return zip(grad, x, dtype: grad.dtype, { g, v in
            if let lo, !(v >= lo) { return 0 }
            if let hi, !(v <= hi) { return 0 }
            return g
        })
    }
}
