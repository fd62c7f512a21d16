/// In-place writes that replace values: `zero_`, `fill_` and `copy_` (`CopyBackwards`).
extension Tensor {
    /// `tensor.zero_()` (ZeroBackward0).
    @discardableResult
    public func zero_() throws -> Tensor {
        try inPlace("aten::zero_", others: [], resultType: dtype, makeNode: {
            runtime.makeNode("ZeroBackward0", inputs: [self], outputs: [self]) { input in
                [Kernel.full(input.grad, shape: input.grad.shape, value: 0, dtype: input.grad.dtype)]
            }
        }, compute: { [Double](repeating: 0, count: numel) })
    }

    /// `tensor.fill_(value)` with a Python number (FillBackward2).
    @discardableResult
    public func fill_(_ value: Scalar) throws -> Tensor {
        try inPlace("aten::fill_.Scalar", others: [], resultType: dtype, makeNode: {
            runtime.makeNode("FillBackward2", inputs: [self], outputs: [self]) { input in
                [Kernel.full(input.grad, shape: input.grad.shape, value: 0, dtype: input.grad.dtype)]
            }
        }, compute: { [Double](repeating: value.doubleValue, count: numel) })
    }

    /// `tensor.fill_(value)` with a 0-dim tensor (FillBackward3).
    @discardableResult
    public func fill_(_ value: Tensor) throws -> Tensor {
        guard value.dim == 0 else {
            throw AutogradError.runtimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with \(value.dim) dimensions.")
        }
        return try inPlace("aten::fill_.Tensor", others: [value], resultType: dtype, makeNode: {
            runtime.makeNode("FillBackward3", inputs: [self, value], outputs: [self]) { input in
                [Kernel.full(input.grad, shape: input.grad.shape, value: 0, dtype: input.grad.dtype),
                 input.needs(1) ? Kernel.sum(input.grad, dims: Array(0..<input.grad.dim), keepdim: false) : nil]
            }
        }, compute: { [Double](repeating: value.contiguousValues()[0], count: numel) })
    }

    /// `tensor.copy_(src)`: broadcasts and casts `src` into this tensor (`torch::autograd::CopyBackwards`).
    @discardableResult
    public func copy_(_ src: Tensor) throws -> Tensor {
        let shape = try Kernel.broadcastShapes(self.shape, src.shape)
        if shape != self.shape {
            throw AutogradError.runtimeError(
                "output with shape \(Messages.sizes(self.shape)) doesn't match the broadcast shape \(Messages.sizes(shape))")
        }
        let values = Kernel.expandedValues(src, to: self.shape)
        return try inPlace("aten::copy_", others: [src], resultType: dtype, makeNode: {
            runtime.makeNode("torch::autograd::CopyBackwards", inputs: [self, src], outputs: [self]) { input in
                [input.needs(0) ? Kernel.full(input.grad, shape: input.grad.shape, value: 0, dtype: input.grad.dtype) : nil,
                 input.needs(1) ? input.grad : nil]
            }
        }, compute: { values })
    }

    /// `tensor.uniform_(from, to)`, as `nn.Linear` initialisation uses it.
    @discardableResult
    public func uniform_(from: Double = 0, to: Double = 1) throws -> Tensor {
        try inPlace("aten::uniform_", others: [], resultType: dtype, makeNode: {
            runtime.makeNode("UniformBackward0", inputs: [self], outputs: [self]) { input in
                [Kernel.full(input.grad, shape: input.grad.shape, value: 0, dtype: input.grad.dtype)]
            }
        }, compute: {
            (0..<numel).map { _ in
                let u = runtime.uniform(dtype)
                if dtype == .float32 { return Double(Float(from).addingProduct(Float(u), Float(to) - Float(from))) }
                return u * (to - from) + from
            }
        })
    }
}
