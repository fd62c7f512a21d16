import Foundation

/// Reductions: `sum`, `mean`, `max`/`min` (full and along a dimension), `softmax`, `log_softmax`.
extension Tensor {
    /// `tensor.sum()` (SumBackward0). Integer and bool tensors sum to int64.
    public func sum() throws -> Tensor {
        let out = dtype.isFloatingPoint ? dtype : .int64
        let sizes = shape
        return try outOfPlace("aten::sum", inputs: [self], compute: {
            Kernel.sum(self, dims: Array(0..<dim), keepdim: false, dtype: out)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("SumBackward0", inputs: [self], outputs: [result]) { input in
                [Kernel.expand(input.grad, to: sizes)]
            }
        })
    }

    /// `tensor.sum(dim, keepdim=)` (SumBackward1).
    public func sum(dim dims: [Int], keepdim: Bool = false) throws -> Tensor {
        let out = dtype.isFloatingPoint ? dtype : .int64
        let reduced = try normalizedDims(dims)
        let sizes = shape
        return try outOfPlace("aten::sum.dim_IntList", inputs: [self], compute: {
            Kernel.sum(self, dims: reduced, keepdim: keepdim, dtype: out)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("SumBackward1", inputs: [self], outputs: [result]) { input in
                [Kernel.sumBackward(input.grad, sizes: sizes, dims: reduced, keepdim: keepdim)]
            }
        })
    }

    /// `tensor.mean()` (MeanBackward0); floating dtypes only.
    public func mean() throws -> Tensor {
        try checkMeanDType()
        let sizes = shape
        let count = Double(numel)
        return try outOfPlace("aten::mean", inputs: [self], compute: {
            Kernel.map(Kernel.sum(self, dims: Array(0..<dim), keepdim: false), { $0 / count }, f32: { $0 / Float(count) })
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("MeanBackward0", inputs: [self], outputs: [result]) { input in
                [Kernel.map(Kernel.expand(input.grad, to: sizes), { $0 / count }, f32: { $0 / Float(count) })]
            }
        })
    }

    /// `tensor.mean(dim, keepdim=)` (MeanBackward1).
    public func mean(dim dims: [Int], keepdim: Bool = false) throws -> Tensor {
        try checkMeanDType()
        let reduced = try normalizedDims(dims)
        let sizes = shape
        let count = Double(reduced.reduce(1) { $0 * sizes[$1] })
        return try outOfPlace("aten::mean.dim", inputs: [self], compute: {
            Kernel.map(Kernel.sum(self, dims: reduced, keepdim: keepdim), { $0 / count }, f32: { $0 / Float(count) })
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("MeanBackward1", inputs: [self], outputs: [result]) { input in
                let expanded = Kernel.sumBackward(input.grad, sizes: sizes, dims: reduced, keepdim: keepdim)
                return [Kernel.map(expanded, { $0 / count }, f32: { $0 / Float(count) })]
            }
        })
    }

    private func checkMeanDType() throws {
        guard dtype.isFloatingPoint else {
            throw AutogradError.runtimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(TypePromotion.castName(dtype))")
        }
    }

    private func normalizedDims(_ dims: [Int]) throws -> [Int] {
        let list = dims.isEmpty ? Array(0..<dim) : dims
        var seen = Set<Int>()
        for d in list {
            let w = try wrapDim(d)
            if !seen.insert(w).inserted {
                throw AutogradError.runtimeError("dim \(w) appears multiple times in the list of dims")
            }
        }
        return seen.sorted().filter { $0 < dim }
    }

    /// `tensor.max()` (MaxBackward1, saves `self` and `result`).
    public func max() throws -> Tensor { try extreme(isMax: true) }

    /// `tensor.min()` (MinBackward1, saves `self` and `result`).
    public func min() throws -> Tensor { try extreme(isMax: false) }

    private func extreme(isMax: Bool) throws -> Tensor {
        guard numel > 0 else {
            throw AutogradError.runtimeError(
                "\(isMax ? "max" : "min")(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        }
        return try outOfPlace(isMax ? "aten::max" : "aten::min", inputs: [self], compute: {
            let values = contiguousValues()
            let pick = values.contains(where: \.isNaN) ? Double.nan : (isMax ? values.max()! : values.min()!)
            return Kernel.make(self, [pick], [], dtype)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode(isMax ? "MaxBackward1" : "MinBackward1", inputs: [self], outputs: [result]) { input in
                [Kernel.evenlyDistribute(input.grad, input.saved[0]!, input.saved[1]!)]
            }
            node.save("self", self, runtime: runtime)
            node.save("result", result, isOutput: true, runtime: runtime)
            return node
        })
    }

    /// `tensor.max(dim, keepdim=)`: values and int64 indices (MaxBackward0, saves `indices`).
    public func max(dim d: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extreme(dim: d, keepdim: keepdim, isMax: true)
    }

    /// `tensor.min(dim, keepdim=)`: values and int64 indices (MinBackward0, saves `indices`).
    public func min(dim d: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extreme(dim: d, keepdim: keepdim, isMax: false)
    }

    private func extreme(dim d: Int, keepdim: Bool, isMax: Bool) throws -> (values: Tensor, indices: Tensor) {
        let axis = try wrapDim(d)
        let sizes = shape
        try runtime.checkHistory(of: [self])
        let (values, indices) = Kernel.reduceWithIndex(self, dim: axis, keepdim: keepdim, isMax: isMax)
        return runtime.recordOp(isMax ? "aten::max.dim" : "aten::min.dim", inputs: [self]) {
            if runtime.needsNode([self]) {
                let node = runtime.makeNode(isMax ? "MaxBackward0" : "MinBackward0", inputs: [self], outputs: [values]) { input in
                    [Kernel.indexBackward(input.grad, indices: input.saved[0]!, dim: axis, sizes: sizes, keepdim: keepdim)]
                }
                node.save("indices", indices, runtime: runtime)
                values.setGradFn(node, outputNr: 0)
            }
            return ((values, indices), [values, indices])
        }
    }

    /// `tensor.argmax(dim, keepdim=)` / `argmin`: int64 indices of the first extreme, over the flattened
    /// tensor when `dim` is nil. Not differentiable.
    public func argExtreme(dim d: Int?, keepdim: Bool = false, isMax: Bool) throws -> Tensor {
        let name = isMax ? "argmax" : "argmin"
        guard d != nil || numel > 0 else {
            throw AutogradError.indexError("\(name)(): Expected reduction dim to be specified for input.numel() == 0.")
        }
        let source = d == nil ? Kernel.reshape(self, [numel]) : self
        let axis = try source.wrapDim(d ?? 0)
        return try outOfPlace("aten::\(name)", inputs: [self], compute: {
            let indices = Kernel.reduceWithIndex(source, dim: axis, keepdim: keepdim && d != nil, isMax: isMax).1
            return d == nil && keepdim ? Kernel.reshape(indices, [Int](repeating: 1, count: dim)) : indices
        }, node: { _ in nil })
    }

    /// `tensor.softmax(dim)` (SoftmaxBackward0, saves `result`).
    public func softmax(dim d: Int) throws -> Tensor {
        let axis = try wrapDim(d)
        let out = dtype.isFloatingPoint ? dtype : .defaultFloat
        return try outOfPlace("aten::_softmax", inputs: [self], compute: {
            Kernel.softmax(self, dim: axis, dtype: out, log: false)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode("SoftmaxBackward0", inputs: [self], outputs: [result]) { input in
                let y = input.saved[0]!
                let summed = Kernel.sum(Kernel.mul(input.grad, y), dims: [axis], keepdim: true)
                return [Kernel.mul(y, Kernel.sub(input.grad, summed))]
            }
            node.save("result", result, isOutput: true, runtime: runtime)
            return node
        })
    }

    /// `tensor.log_softmax(dim)` (LogSoftmaxBackward0, saves `result`).
    public func logSoftmax(dim d: Int) throws -> Tensor {
        let axis = try wrapDim(d)
        let out = dtype.isFloatingPoint ? dtype : .defaultFloat
        return try outOfPlace("aten::_log_softmax", inputs: [self], compute: {
            Kernel.softmax(self, dim: axis, dtype: out, log: true)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode("LogSoftmaxBackward0", inputs: [self], outputs: [result]) { input in
                let y = input.saved[0]!
                let summed = Kernel.sum(input.grad, dims: [axis], keepdim: true)
                let expY = Kernel.map(y, Foundation.exp, f32: expf)
                return [Kernel.sub(input.grad, Kernel.mul(expY, summed))]
            }
            node.save("result", result, isOutput: true, runtime: runtime)
            return node
        })
    }
}

extension Kernel {
    /// Expands a reduced gradient back to `sizes` (`sum_backward`).
    static func sumBackward(_ grad: Tensor, sizes: [Int], dims: [Int], keepdim: Bool) -> Tensor {
        var g = grad
        if !keepdim {
            var shape = grad.shape
            for d in dims.sorted() { shape.insert(1, at: d) }
            g = reshape(grad, shape)
        }
        return expand(g, to: sizes)
    }

    /// `evenly_distribute_backward`: the gradient split among the positions equal to the result.
    static func evenlyDistribute(_ grad: Tensor, _ input: Tensor, _ result: Tensor) -> Tensor {
        let target = result.contiguousValues()[0]
        let values = input.contiguousValues()
        let mask = values.map { ($0 == target || ($0.isNaN && target.isNaN)) ? 1.0 : 0.0 }
        let count = mask.reduce(0, +)
        let g = grad.contiguousValues()[0]
        let share = grad.dtype == .float32 ? Double(Float(g) / Float(count)) : g / count
        return make(grad, mask.map { $0 * share }, input.shape, grad.dtype)
    }

    /// Max or min along `dim` with the index of the first extreme element.
    static func reduceWithIndex(_ t: Tensor, dim: Int, keepdim: Bool, isMax: Bool) -> (Tensor, Tensor) {
        let shape = t.shape.isEmpty ? [1] : t.shape
        let values = t.contiguousValues()
        let outer = shape[..<dim].reduce(1, *)
        let size = shape[dim]
        let inner = shape[(dim + 1)...].reduce(1, *)
        var best = [Double](repeating: 0, count: outer * inner)
        var where_ = [Double](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var bestValue = values[o * size * inner + i]
                var bestIndex = 0
                for k in 1..<Swift.max(size, 1) {
                    let v = values[(o * size + k) * inner + i]
                    if bestValue.isNaN { break }
                    if v.isNaN || (isMax ? v > bestValue : v < bestValue) {
                        bestValue = v
                        bestIndex = k
                    }
                }
                best[o * inner + i] = bestValue
                where_[o * inner + i] = Double(bestIndex)
            }
        }
        var outShape = t.shape
        if !outShape.isEmpty {
            if keepdim { outShape[dim] = 1 } else { outShape.remove(at: dim) }
        }
        return (make(t, best, outShape, t.dtype), make(t, where_, outShape, .int64))
    }

    /// `value_selecting_reduction_backward`: scatters the gradient to the selected indices.
    static func indexBackward(_ grad: Tensor, indices: Tensor, dim: Int, sizes: [Int], keepdim: Bool) -> Tensor {
        let shape = sizes.isEmpty ? [1] : sizes
        var data = [Double](repeating: 0, count: shape.reduce(1, *))
        let g = grad.contiguousValues()
        let idx = indices.contiguousValues()
        let outer = shape[..<dim].reduce(1, *)
        let size = shape[dim]
        let inner = shape[(dim + 1)...].reduce(1, *)
        for o in 0..<outer {
            for i in 0..<inner {
                let k = Int(idx[o * inner + i])
                data[(o * size + k) * inner + i] += g[o * inner + i]
            }
        }
        return make(grad, data, sizes, grad.dtype)
    }

    /// Softmax (or log-softmax) along `dim`: exp(x - max) scaled by the reciprocal of its sum.
    static func softmax(_ t: Tensor, dim: Int, dtype: DType, log: Bool) -> Tensor {
        let shape = t.shape.isEmpty ? [1] : t.shape
        let values = t.contiguousValues().map(dtype.cast)
        let outer = shape[..<dim].reduce(1, *)
        let size = shape[dim]
        let inner = shape[(dim + 1)...].reduce(1, *)
        var out = values
        let single = dtype == .float32
        for o in 0..<outer {
            for i in 0..<inner {
                let positions = (0..<size).map { (o * size + $0) * inner + i }
                let maxValue = positions.map { values[$0] }.max() ?? 0
                if single {
                    let shifted = positions.map { Float(values[$0]) - Float(maxValue) }
                    let exps = shifted.map(expf)
                    let total = exps.reduce(Float(0), +)
                    for (k, p) in positions.enumerated() {
                        out[p] = log ? Double(shifted[k] - logf(total)) : Double(exps[k] * (1 / total))
                    }
                } else {
                    let shifted = positions.map { values[$0] - maxValue }
                    let exps = shifted.map(Foundation.exp)
                    let total = exps.reduce(0, +)
                    for (k, p) in positions.enumerated() {
                        out[p] = log ? shifted[k] - Foundation.log(total) : exps[k] * (1 / total)
                    }
                }
            }
        }
        return make(t, out, t.shape, dtype)
    }
}
