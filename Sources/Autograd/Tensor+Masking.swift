/// Masking ops as attention and training code writes them: `masked_fill` / `masked_fill_`, `where` and
/// `t[mask] = v` with a boolean mask, and `tril` / `triu` to build causal masks.
extension Tensor {
    /// `tensor.masked_fill(mask, value)` with a Python number (MaskedFillBackward0, saves `mask`);
    /// the result has the broadcast shape of the tensor and the mask.
    public func maskedFill(_ mask: Tensor, _ value: Scalar) throws -> Tensor {
        try checkMask(mask)
        let outShape = try Kernel.broadcastShapes(shape, mask.shape)
        let selected = Kernel.expandedValues(mask, to: outShape)
        let values = Kernel.expandedValues(self, to: outShape)
        let fill = dtype.cast(value.doubleValue)
        let inputShape = shape
        return try outOfPlace("aten::masked_fill.Scalar", inputs: [self, mask], compute: {
            Kernel.make(self, zip(values, selected).map { $1 != 0 ? fill : $0 }, outShape, dtype)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode("MaskedFillBackward0", inputs: [self], outputs: [result]) { input in
                [Kernel.sumTo(Tensor.zeroing(input.grad, where: input.saved[0]!), shape: inputShape)]
            }
            node.save("mask", mask, runtime: runtime)
            return node
        })
    }

    /// `tensor.masked_fill_(mask, value)` with a Python number: the mask must broadcast to this tensor.
    @discardableResult
    public func maskedFill_(_ mask: Tensor, _ value: Scalar) throws -> Tensor {
        try checkMask(mask)
        let outShape = try Kernel.broadcastShapes(shape, mask.shape)
        let selected = Kernel.expandedValues(mask, to: outShape)
        let fill = dtype.cast(value.doubleValue)
        return try inPlace("aten::masked_fill_.Scalar", others: [mask], resultType: dtype, broadcastShape: outShape, makeNode: {
            let node = runtime.makeNode("MaskedFillBackward0", inputs: [self], outputs: [self]) { input in
                [Tensor.zeroing(input.grad, where: input.saved[0]!)]
            }
            node.save("mask", mask, runtime: runtime)
            return node
        }, compute: {
            zip(contiguousValues(), selected).map { $1 != 0 ? fill : $0 }
        })
    }

    /// `tensor.tril(diagonal)`: zeros above the `diagonal`-th diagonal of the last two dims (TrilBackward0).
    public func tril(_ diagonal: Int = 0) throws -> Tensor {
        try triangle("tril", diagonal) { row, column in column - row <= diagonal }
    }

    /// `tensor.triu(diagonal)`: zeros below the `diagonal`-th diagonal of the last two dims (TriuBackward0).
    public func triu(_ diagonal: Int = 0) throws -> Tensor {
        try triangle("triu", diagonal) { row, column in column - row >= diagonal }
    }

    private func triangle(_ name: String, _ diagonal: Int, keeps: @escaping (Int, Int) -> Bool) throws -> Tensor {
        guard dim >= 2 else { throw AutogradError.runtimeError("\(name): input tensor must have at least 2 dimensions") }
        let (rows, columns) = (shape[dim - 2], shape[dim - 1])
        let kept = (0..<numel).map { i in keeps((i / columns) % rows, i % columns) }
        let node = name == "tril" ? "TrilBackward0" : "TriuBackward0"
        return try outOfPlace("aten::\(name)", inputs: [self], compute: {
            Kernel.make(self, zip(contiguousValues(), kept).map { $1 ? $0 : 0 }, shape, dtype)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode(node, inputs: [self], outputs: [result]) { input in
                let g = input.grad
                return [Kernel.make(g, zip(g.contiguousValues(), kept).map { $1 ? $0 : 0 }, g.shape, g.dtype)]
            }
        })
    }

    /// `torch.where(condition, a, b)`: `a` where the condition holds, else `b`, broadcast together with
    /// PyTorch's type promotion (WhereBackward0, saves `condition`).
    public static func `where`(_ condition: Tensor, _ a: Operand, _ b: Operand) throws -> Tensor {
        guard condition.dtype == .bool else {
            throw AutogradError.runtimeError(
                "where expected condition to be a boolean tensor, but got a tensor with dtype \(TypePromotion.castName(condition.dtype))")
        }
        let (x, y) = (condition.wrap(a), condition.wrap(b))
        let outShape = try Kernel.broadcastShapes(try Kernel.broadcastShapes(condition.shape, x.shape), y.shape)
        let dtype = TypePromotion.resultType([a, b])
        let chosen = Kernel.expandedValues(condition, to: outShape)
        let (xs, ys) = (Kernel.expandedValues(x, to: outShape), Kernel.expandedValues(y, to: outShape))
        let (xShape, yShape) = (x.shape, y.shape)
        let runtime = condition.runtime
        let inputs = [Tensor.graphInput(a), Tensor.graphInput(b)]
        return try condition.outOfPlace("aten::where.self", inputs: [condition] + inputs.compactMap { $0 }, compute: {
            Kernel.make(condition, chosen.indices.map { dtype.cast(chosen[$0] != 0 ? xs[$0] : ys[$0]) }, outShape, dtype)
        }, node: { result in
            guard runtime.needsNode(inputs) else { return nil }
            let node = runtime.makeNode("WhereBackward0", inputs: inputs, outputs: [result]) { input in
                let g = input.grad.contiguousValues()
                func part(_ keep: Bool, _ shape: [Int]) -> Tensor {
                    let values = g.indices.map { (chosen[$0] != 0) == keep ? g[$0] : 0 }
                    return Kernel.sumTo(Kernel.make(input.grad, values, input.grad.shape, input.grad.dtype), shape: shape)
                }
                return [input.needs(0) ? part(true, xShape) : nil, input.needs(1) ? part(false, yShape) : nil]
            }
            node.save("condition", condition, runtime: runtime)
            return node
        })
    }

    /// `tensor[mask]` with a boolean mask over the leading dims: a copy of the selected blocks, not a view
    /// (`aten::index`, IndexBackward0, saves the mask as `indices`).
    public func maskedGetitem(_ mask: Tensor) throws -> Tensor {
        let blocks = try selectedBlocks(mask)
        let inner = shape[mask.dim...].reduce(1, *)
        let resultShape = [blocks.count] + Array(shape[mask.dim...])
        let inputShape = shape
        return try outOfPlace("aten::index.Tensor", inputs: [self, mask], compute: {
            let values = contiguousValues()
            return Kernel.make(self, blocks.flatMap { values[($0 * inner)..<(($0 + 1) * inner)] }, resultShape, dtype)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            let node = runtime.makeNode("IndexBackward0", inputs: [self], outputs: [result]) { input in
                let g = input.grad.contiguousValues()
                var values = [Double](repeating: 0, count: inputShape.reduce(1, *))
                for (n, block) in blocks.enumerated() {
                    for j in 0..<inner { values[block * inner + j] = g[n * inner + j] }
                }
                return [Kernel.make(input.grad, values, inputShape, input.grad.dtype)]
            }
            node.save("indices", mask, runtime: runtime)
            return node
        })
    }

    /// `tensor[mask] = value` with a boolean mask over the leading dims: `index_put_` (IndexPutBackward0,
    /// saves the mask as `indices`), bumping the version once. A Python number takes this tensor's dtype.
    public func maskedSetitem(_ mask: Tensor, _ value: Operand) throws {
        let blocks = try selectedBlocks(mask)
        let inner = shape[mask.dim...].reduce(1, *)
        let resultShape = [blocks.count] + Array(shape[mask.dim...])
        let source: Tensor
        switch value {
        case .tensor(let t):
            guard t.dtype == dtype else {
                throw AutogradError.runtimeError(
                    "Index put requires the source and destination dtypes match, got \(TypePromotion.castName(dtype)) for the destination and \(TypePromotion.castName(t.dtype)) for the source.")
            }
            source = t
        case .scalar(let s): source = Tensor(runtime: runtime, data: [dtype.cast(s.doubleValue)], shape: [], dtype: dtype)
        }
        guard Kernel.isExpandable(source.shape, to: resultShape) else {
            throw AutogradError.runtimeError(
                "shape mismatch: value tensor of shape \(Messages.sizes(source.shape)) cannot be broadcast to indexing result of shape \(Messages.sizes(resultShape))")
        }
        let values = Kernel.expandedValues(source, to: resultShape)
        let sourceShape = source.shape
        _ = try inPlace("aten::index_put_", others: [Tensor.graphInput(value)], resultType: dtype, makeNode: {
            let node = runtime.makeNode("IndexPutBackward0", inputs: [self, source], outputs: [self]) { input in
                let g = input.grad.contiguousValues()
                var kept = g
                var picked: [Double] = []
                for block in blocks {
                    for j in 0..<inner {
                        kept[block * inner + j] = 0
                        picked.append(g[block * inner + j])
                    }
                }
                return [input.needs(0) ? Kernel.make(input.grad, kept, input.grad.shape, input.grad.dtype) : nil,
                        input.needs(1) ? Kernel.sumTo(Kernel.make(input.grad, picked, resultShape, input.grad.dtype), shape: sourceShape) : nil]
            }
            node.save("indices", mask, runtime: runtime)
            return node
        }, compute: {
            var out = contiguousValues()
            for (n, block) in blocks.enumerated() {
                for j in 0..<inner { out[block * inner + j] = values[n * inner + j] }
            }
            return out
        })
    }

    /// The row-major positions of the leading-dim blocks a boolean mask selects, with PyTorch's shape check.
    private func selectedBlocks(_ mask: Tensor) throws -> [Int] {
        guard mask.dim <= dim else { throw AutogradError.indexError("too many indices for tensor of dimension \(dim)") }
        for (i, size) in mask.shape.enumerated() where size != shape[i] {
            throw AutogradError.indexError(
                "The shape of the mask \(Messages.sizes(mask.shape)) at index \(i) does not match the shape of the indexed tensor \(Messages.sizes(shape)) at index \(i)")
        }
        return mask.contiguousValues().enumerated().compactMap { $0.element != 0 ? $0.offset : nil }
    }

    /// PyTorch's check that a mask is boolean.
    private func checkMask(_ mask: Tensor) throws {
        guard mask.dtype == .bool else {
            throw AutogradError.runtimeError(
                "masked_fill_ only supports boolean masks, but got mask with dtype \(TypePromotion.castName(mask.dtype).lowercased())")
        }
    }

    /// `grad.masked_fill(mask, 0)`, the gradient of a masked fill.
    private static func zeroing(_ grad: Tensor, where mask: Tensor) -> Tensor {
        let selected = Kernel.expandedValues(mask, to: grad.shape)
        return Kernel.make(grad, zip(grad.contiguousValues(), selected).map { $1 != 0 ? 0 : $0 }, grad.shape, grad.dtype)
    }
}
