import Foundation

/// Comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`) giving bool tensors, elementwise `maximum`/
/// `minimum`, and dtype conversion (`to`, `float()`, `double()`, `long()`, `bool()`).
extension Tensor {
    private func compare(_ aten: String, _ other: Operand, _ test: @escaping (Double, Double) -> Bool) throws -> Tensor {
        let b = wrap(other)
        let common = TypePromotion.resultType([.tensor(self), other])
        _ = try Kernel.broadcastShapes(shape, b.shape)
        return try outOfPlace(aten, inputs: [self] + [Tensor.graphInput(other)].compactMap { $0 }, compute: {
            let shape = try Kernel.broadcastShapes(self.shape, b.shape)
            let va = Kernel.expandedValues(self, to: shape).map(common.cast)
            let vb = Kernel.expandedValues(b, to: shape).map(common.cast)
            return Kernel.make(self, (0..<va.count).map { test(va[$0], vb[$0]) ? 1 : 0 }, shape, .bool)
        }, node: { _ in nil })
    }

    /// `self == other`.
    public func eq(_ other: Operand) throws -> Tensor { try compare("aten::eq.Tensor", other, ==) }
    /// `self != other`.
    public func ne(_ other: Operand) throws -> Tensor { try compare("aten::ne.Tensor", other, !=) }
    /// `self < other`.
    public func lt(_ other: Operand) throws -> Tensor { try compare("aten::lt.Tensor", other, <) }
    /// `self <= other`.
    public func le(_ other: Operand) throws -> Tensor { try compare("aten::le.Tensor", other, <=) }
    /// `self > other`.
    public func gt(_ other: Operand) throws -> Tensor { try compare("aten::gt.Tensor", other, >) }
    /// `self >= other`.
    public func ge(_ other: Operand) throws -> Tensor { try compare("aten::ge.Tensor", other, >=) }

    /// `torch.maximum(self, other)`, also `torch.max(self, other)` (MaximumBackward0, saves `other`, `self`).
    public func maximum(_ other: Tensor) throws -> Tensor { try extremum(other, isMax: true) }

    /// `torch.minimum(self, other)`, also `torch.min(self, other)` (MinimumBackward0, saves `other`, `self`).
    public func minimum(_ other: Tensor) throws -> Tensor { try extremum(other, isMax: false) }

    private func extremum(_ other: Tensor, isMax: Bool) throws -> Tensor {
        let dtype = TypePromotion.resultType([.tensor(self), .tensor(other)])
        _ = try Kernel.broadcastShapes(shape, other.shape)
        return try outOfPlace(isMax ? "aten::maximum" : "aten::minimum", inputs: [self, other], compute: {
            Kernel.zip(self, other, dtype: dtype, { a, b in
                if a.isNaN || b.isNaN { return .nan }
                return isMax ? Swift.max(a, b) : Swift.min(a, b)
            })
        }, node: { result in
            guard runtime.needsNode([self, other]) else { return nil }
            let node = runtime.makeNode(isMax ? "MaximumBackward0" : "MinimumBackward0", inputs: [self, other],
                                        outputs: [result]) { input in
                let (o, s) = (input.saved[0]!, input.saved[1]!)
                func share(_ keepSelf: Bool) -> Tensor {
                    let shape = input.grad.shape
                    let g = input.grad.contiguousValues()
                    let vs = Kernel.expandedValues(s, to: shape)
                    let vo = Kernel.expandedValues(o, to: shape)
                    let values = (0..<g.count).map { i -> Double in
                        if vs[i] == vo[i] { return input.grad.dtype.cast(g[i] / 2) }
                        let selfWins = isMax ? vs[i] > vo[i] : vs[i] < vo[i]
                        return selfWins == keepSelf ? g[i] : 0
                    }
                    return Kernel.make(input.grad, values, shape, input.grad.dtype)
                }
                return [input.needs(0) ? share(true) : nil, input.needs(1) ? share(false) : nil]
            }
            node.save("other", other, runtime: runtime)
            node.save("self", self, runtime: runtime)
            return node
        })
    }

    /// `tensor.to(dtype)`, `float()`, `double()`, `long()`, `bool()`: itself when the dtype already
    /// matches, otherwise a copy (ToCopyBackward0).
    public func to(_ target: DType) throws -> Tensor {
        if target == dtype { return self }
        let source = dtype
        return try outOfPlace("aten::_to_copy", inputs: [self], compute: { Kernel.cast(self, to: target) }, node: { result in
            guard target.isFloatingPoint, runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("ToCopyBackward0", inputs: [self], outputs: [result]) { input in
                [Kernel.cast(input.grad, to: source)]
            }
        })
    }

    /// `self.pow_(exponent)` with a tensor exponent (PowBackward1; saves `exponent`, a clone of the
    /// old `self`, and the mutated `result`).
    @discardableResult
    public func pow_(_ exponent: Tensor) throws -> Tensor {
        let shape = try Kernel.broadcastShapes(self.shape, exponent.shape)
        return try inPlace("aten::pow_.Tensor", others: [exponent], resultType: TypePromotion.resultType([.tensor(self), .tensor(exponent)]),
                           broadcastShape: shape, makeNode: {
            let node = runtime.makeNode("PowBackward1", inputs: [self, exponent], outputs: [self], formula: Tensor.pow1Formula)
            let original = try clone()
            node.save("exponent", exponent, runtime: runtime)
            node.save("self", original, runtime: runtime)
            return node
        }, compute: {
            Kernel.zip(self, exponent, dtype: dtype, Foundation.pow, f32: powf).contiguousValues()
        }, after: { node in
            node.save("result", self, isOutput: true, isInPlaceOnView: isView, runtime: runtime)
        })
    }
}
