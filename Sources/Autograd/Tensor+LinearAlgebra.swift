/// Matrix products: `mm`, `dot`, `mv`, `matmul` (`@`), `addmm`, and `cat`/`stack`.
extension Tensor {
    /// `tensor.mm(mat2)` (MmBackward0, saves `mat2` if self needs a gradient, `self` if mat2 does).
    public func mm(_ mat2: Tensor) throws -> Tensor {
        guard dim == 2 else { throw AutogradError.runtimeError("self must be a matrix") }
        guard mat2.dim == 2 else { throw AutogradError.runtimeError("mat2 must be a matrix") }
        guard shape[1] == mat2.shape[0] else {
            throw AutogradError.runtimeError(
                "mat1 and mat2 shapes cannot be multiplied (\(shape[0])x\(shape[1]) and \(mat2.shape[0])x\(mat2.shape[1]))")
        }
        try checkSameDType(mat2)
        try TensorTooLarge.check([shape[0], mat2.shape[1]])
        return try outOfPlace("aten::mm", inputs: [self, mat2], compute: { Kernel.mm(self, mat2) }, node: { result in
            guard runtime.needsNode([self, mat2]) else { return nil }
            let node = runtime.makeNode("MmBackward0", inputs: [self, mat2], outputs: [result]) { input in
                let (m2, m1) = (input.saved[0], input.saved[1])
                return [input.needs(0) ? Kernel.mm(input.grad, Kernel.t(m2!), transposedB: m2!.isContiguous) : nil,
                        input.needs(1) ? Kernel.mm(Kernel.t(m1!), input.grad) : nil]
            }
            node.save("mat2", node.needsInput(0) ? mat2 : nil, runtime: runtime)
            node.save("self", node.needsInput(1) ? self : nil, runtime: runtime)
            return node
        })
    }

    private func checkSameDType(_ other: Tensor) throws {
        guard dtype == other.dtype else {
            throw AutogradError.runtimeError(
                "expected m1 and m2 to have the same dtype, but got: \(dtype.cppName) != \(other.dtype.cppName)")
        }
    }

    /// `torch.dot` of two 1-D tensors (DotBackward0, saves `self` and `tensor` cross-conditionally).
    public func dot(_ other: Tensor) throws -> Tensor {
        guard dim == 1 && other.dim == 1 else {
            throw AutogradError.runtimeError("1D tensors expected, but got \(dim)D and \(other.dim)D tensors")
        }
        guard numel == other.numel else {
            throw AutogradError.runtimeError(
                "inconsistent tensor size, expected tensor [\(numel)] and src [\(other.numel)] to have the same number of elements, but got \(numel) and \(other.numel) elements respectively")
        }
        return try outOfPlace("aten::dot", inputs: [self, other], compute: { Kernel.dot(self, other) }, node: { result in
            guard runtime.needsNode([self, other]) else { return nil }
            let node = runtime.makeNode("DotBackward0", inputs: [self, other], outputs: [result]) { input in
                let (selfValue, tensor) = (input.saved[0], input.saved[1])
                return [input.needs(0) ? Kernel.mul(tensor!, input.grad) : nil,
                        input.needs(1) ? Kernel.mul(selfValue!, input.grad) : nil]
            }
            node.save("self", node.needsInput(1) ? self : nil, runtime: runtime)
            node.save("tensor", node.needsInput(0) ? other : nil, runtime: runtime)
            return node
        })
    }

    /// `torch.mv` of a matrix and a vector (MvBackward0, saves `self` and `vec` cross-conditionally).
    public func mv(_ vec: Tensor) throws -> Tensor {
        guard dim == 2 && vec.dim == 1 && shape[1] == vec.shape[0] else {
            throw AutogradError.runtimeError(
                "size mismatch, got input (\(shape.first ?? 0)), mat (\(shape.map(String.init).joined(separator: "x"))), vec (\(vec.shape.first ?? 0))")
        }
        return try outOfPlace("aten::mv", inputs: [self, vec], compute: { Kernel.mv(self, vec) }, node: { result in
            guard runtime.needsNode([self, vec]) else { return nil }
            let node = runtime.makeNode("MvBackward0", inputs: [self, vec], outputs: [result]) { input in
                let (selfValue, v) = (input.saved[0], input.saved[1])
                return [input.needs(0) ? Kernel.outer(input.grad, v!) : nil,
                        input.needs(1) ? Kernel.mv(Kernel.t(selfValue!), input.grad) : nil]
            }
            node.save("self", node.needsInput(1) ? self : nil, runtime: runtime)
            node.save("vec", node.needsInput(0) ? vec : nil, runtime: runtime)
            return node
        })
    }

    /// `torch.matmul`, `a @ b` for 1-D and 2-D operands: `dot`, `mv`, `mm`, or `unsqueeze`/`mm`/`squeeze_`.
    public func matmul(_ other: Tensor) throws -> Tensor {
        switch (dim, other.dim) {
        case (1, 1): return try dot(other)
        case (2, 1): return try mv(other)
        case (2, 2): return try mm(other)
        case (1, 2): return try unsqueeze(0).mm(other).squeeze_(dim: 0)
        default:
            throw AutogradError.runtimeError(
                "both arguments to matmul need to be at least 1D, but they are \(dim)D and \(other.dim)D")
        }
    }

    /// `torch.addmm(self, mat1, mat2)`: `self + mat1 @ mat2` (AddmmBackward0, saves `mat1` if mat2
    /// needs a gradient and `mat2` if mat1 does).
    public func addmm(_ mat1: Tensor, _ mat2: Tensor) throws -> Tensor {
        guard mat1.dim == 2 && mat2.dim == 2 && mat1.shape[1] == mat2.shape[0] else {
            throw AutogradError.runtimeError(
                "mat1 and mat2 shapes cannot be multiplied (\(mat1.shape.map(String.init).joined(separator: "x")) and \(mat2.shape.map(String.init).joined(separator: "x")))")
        }
        let outShape = [mat1.shape[0], mat2.shape[1]]
        try TensorTooLarge.check(outShape)
        guard Kernel.isExpandable(shape, to: outShape) else {
            throw AutogradError.runtimeError(
                "The expanded size of the tensor (\(outShape[1])) must match the existing size (\(shape.last ?? 0)) at non-singleton dimension 1.  Target sizes: \(Messages.sizes(outShape)).  Tensor sizes: \(Messages.sizes(shape))")
        }
        return try outOfPlace("aten::addmm", inputs: [self, mat1, mat2], compute: {
            let product = Kernel.mm(mat1, mat2)
            return Kernel.zip(product, Kernel.expand(self, to: outShape), dtype: product.dtype, +)
        }, node: { result in
            guard runtime.needsNode([self, mat1, mat2]) else { return nil }
            let node = runtime.makeNode("AddmmBackward0", inputs: [self, mat1, mat2], outputs: [result]) { input in
                let (m1, m2) = (input.saved[0], input.saved[1])
                return [input.needs(0) ? input.grad : nil,
                        input.needs(1) ? Kernel.mm(input.grad, Kernel.t(m2!), transposedB: m2!.isContiguous) : nil,
                        input.needs(2) ? Kernel.mm(Kernel.t(m1!), input.grad) : nil]
            }
            node.save("mat1", node.needsInput(2) ? mat1 : nil, runtime: runtime)
            node.save("mat2", node.needsInput(1) ? mat2 : nil, runtime: runtime)
            return node
        })
    }
}

extension Runtime {
    /// `torch.cat(tensors, dim)` (CatBackward0).
    public func cat(_ tensors: [Tensor], dim d: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw AutogradError.valueError("torch.cat(): expected a non-empty list of Tensors")
        }
        let axis = try first.wrapDim(d)
        for (i, t) in tensors.enumerated() where i > 0 {
            guard t.dim == first.dim else {
                throw AutogradError.runtimeError(
                    "Tensors must have same number of dimensions: got \(first.dim) and \(t.dim)")
            }
            for k in 0..<first.dim where k != axis && t.shape[k] != first.shape[k] {
                throw AutogradError.runtimeError(
                    "Sizes of tensors must match except in dimension \(axis). Expected size \(first.shape[k]) but got size \(t.shape[k]) for tensor number \(i) in the list.")
            }
        }
        let dtype = TypePromotion.resultType(tensors.map(Operand.tensor))
        let sizes = tensors.map { $0.shape[axis] }
        var shape = first.shape
        shape[axis] = sizes.reduce(0, +)
        return try first.outOfPlace("aten::cat", inputs: tensors, compute: {
            Kernel.concatenate(tensors.map { $0.contiguousValues() }, shapes: tensors.map(\.shape), dim: axis, like: first,
                               shape: shape, dtype: dtype)
        }, node: { result in
            guard needsNode(tensors) else { return nil }
            return makeNode("CatBackward0", inputs: tensors, outputs: [result]) { input in
                Kernel.split(input.grad, sizes: sizes, dim: axis)
            }
        })
    }

    /// `torch.stack(tensors, dim)` (StackBackward0).
    public func stack(_ tensors: [Tensor], dim d: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw AutogradError.runtimeError("stack expects a non-empty TensorList")
        }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw AutogradError.runtimeError(
                "stack expects each tensor to be equal size, but got \(Messages.sizes(first.shape)) at entry 0 and \(Messages.sizes(t.shape)) at entry \(i)")
        }
        let n = first.dim + 1
        guard d >= -n && d < n else {
            throw AutogradError.indexError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(d))")
        }
        let axis = d < 0 ? d + n : d
        let dtype = TypePromotion.resultType(tensors.map(Operand.tensor))
        var inner = first.shape
        inner.insert(1, at: axis)
        var shape = first.shape
        shape.insert(tensors.count, at: axis)
        return try first.outOfPlace("aten::stack", inputs: tensors, compute: {
            Kernel.concatenate(tensors.map { $0.contiguousValues() }, shapes: tensors.map { _ in inner }, dim: axis,
                               like: first, shape: shape, dtype: dtype)
        }, node: { result in
            guard needsNode(tensors) else { return nil }
            let original = first.shape
            return makeNode("StackBackward0", inputs: tensors, outputs: [result]) { input in
                Kernel.split(input.grad, sizes: tensors.map { _ in 1 }, dim: axis).map { $0.map { Kernel.reshape($0, original) } }
            }
        })
    }
}

extension Kernel {
    /// Joins row-major blocks along `dim`.
    static func concatenate(_ blocks: [[Double]], shapes: [[Int]], dim: Int, like: Tensor, shape: [Int], dtype: DType) -> Tensor {
        let outer = shape[..<dim].reduce(1, *)
        var data = [Double]()
        data.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for (block, s) in Swift.zip(blocks, shapes) {
                let chunk = s[dim...].reduce(1, *)
                data.append(contentsOf: block[(o * chunk)..<((o + 1) * chunk)].map(dtype.cast))
            }
        }
        return make(like, data, shape, dtype)
    }

    /// Splits `t` along `dim` into pieces of `sizes`.
    static func split(_ t: Tensor, sizes: [Int], dim: Int) -> [Tensor?] {
        let values = t.contiguousValues()
        let outer = t.shape[..<dim].reduce(1, *)
        let inner = t.shape[(dim + 1)...].reduce(1, *)
        let total = t.shape[dim]
        var start = 0
        return sizes.map { size in
            var data = [Double]()
            for o in 0..<outer {
                let base = (o * total + start) * inner
                data.append(contentsOf: values[base..<(base + size * inner)])
            }
            start += size
            var shape = t.shape
            shape[dim] = size
            return make(t, data, shape, t.dtype)
        }
    }
}
