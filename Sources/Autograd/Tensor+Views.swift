/// View ops (`view`, `reshape`, `t`, `transpose`, `unsqueeze`, `squeeze`, `select`, `slice`,
/// `expand`, `alias`, `detach`) and the copies `clone`, `contiguous`, `.data`.
///
/// A view shares its base's storage and version counter. With grad mode on and a base that
/// requires grad it gets its view node (ViewBackward0, SelectBackward0, ...).
extension Tensor {
    /// Makes a view with the given geometry and records it as op `aten`.
    func makeView(_ aten: String, node name: String, shape: [Int], strides: [Int], offset: Int,
                  formula: @escaping BackwardFormula) throws -> Tensor {
        try runtime.checkHistory(of: [self])
        return runtime.recordOp(aten, inputs: [self], view: true) {
            let view = Tensor(runtime: runtime, storage: storage, counter: counter, shape: shape, strides: strides,
                              offset: offset, dtype: dtype)
            view.viewBase = viewBase ?? self
            view.creationMeta = runtime.isGradEnabled ? creationMeta : .noGradMode
            view.attrVersion = version
            if runtime.needsNode([self]) {
                view.setGradFn(runtime.makeNode(name, inputs: [self], outputs: [view], formula: formula), outputNr: 0)
            }
            return (view, [view])
        }
    }

    /// Resolves one `-1` in a requested shape, with PyTorch's errors.
    private func inferShape(_ requested: [Int]) throws -> [Int] {
        var shape = requested
        let inferred = requested.indices.filter { requested[$0] == -1 }
        if inferred.count > 1 { throw AutogradError.runtimeError("only one dimension can be inferred") }
        let known = requested.filter { $0 != -1 }.reduce(1, *)
        if let i = inferred.first {
            if known == 0 || numel % known != 0 {
                throw AutogradError.runtimeError("shape '\(Messages.sizes(requested))' is invalid for input of size \(numel)")
            }
            shape[i] = numel / known
        }
        if shape.reduce(1, *) != numel {
            throw AutogradError.runtimeError("shape '\(Messages.sizes(requested))' is invalid for input of size \(numel)")
        }
        return shape
    }

    /// Strides for viewing this tensor as `shape` without copying, nil when impossible (`computeStride`).
    private func viewStrides(_ shape: [Int]) -> [Int]? {
        if isContiguous { return Tensor.contiguousStrides(shape) }
        let oldShape = self.shape
        let oldStrides = strides
        var newStrides = [Int](repeating: 0, count: shape.count)
        var viewD = shape.count - 1
        var chunkBase = oldStrides.last ?? 1
        var tensorNumel = 1
        var viewNumel = 1
        var tensorD = oldShape.count - 1
        while tensorD >= 0 {
            tensorNumel *= oldShape[tensorD]
            if tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBase) {
                while viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBase
                    viewNumel *= shape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if tensorD > 0 {
                    chunkBase = oldStrides[tensorD - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
            tensorD -= 1
        }
        return viewD == -1 ? newStrides : nil
    }

    /// `tensor.view(*shape)` (ViewBackward0).
    public func view(_ requested: [Int]) throws -> Tensor {
        let shape = try inferShape(requested)
        guard let newStrides = viewStrides(shape) else {
            throw AutogradError.runtimeError(
                "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        }
        let sizes = self.shape
        return try makeView("aten::view", node: "ViewBackward0", shape: shape, strides: newStrides, offset: offset) { input in
            [Kernel.reshape(input.grad, sizes)]
        }
    }

    /// `tensor.reshape(*shape)`: a view when possible, otherwise `clone` then `_unsafe_view`.
    public func reshape(_ requested: [Int]) throws -> Tensor {
        let shape = try inferShape(requested)
        if viewStrides(shape) != nil { return try view(shape) }
        let copy = try clone()
        let sizes = copy.shape
        return try copy.outOfPlace("aten::_unsafe_view", inputs: [copy], compute: {
            Kernel.make(copy, copy.contiguousValues(), shape, dtype)
        }, node: { result in
            guard runtime.needsNode([copy]) else { return nil }
            return runtime.makeNode("UnsafeViewBackward0", inputs: [copy], outputs: [result]) { input in
                [Kernel.reshape(input.grad, sizes)]
            }
        })
    }

    /// `tensor.flatten(start_dim=0, end_dim=-1)`: dims `start...end` merged by `reshape` (a view
    /// when the strides allow). As in ATen, a 0-d tensor becomes 1-d and `start == end` returns the
    /// tensor itself, with no op.
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if dim == 0 { return try reshape([1]) }
        let start = try wrapDim(startDim), end = try wrapDim(endDim)
        guard start <= end else {
            throw AutogradError.runtimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        }
        if start == end { return self }
        let merged = shape[start...end].reduce(1, *)
        return try reshape(Array(shape[..<start]) + [merged] + Array(shape[(end + 1)...]))
    }

    /// `tensor.t()` (TBackward0); 0-d and 1-d tensors come back as views of themselves.
    public func t() throws -> Tensor {
        guard dim <= 2 else {
            throw AutogradError.runtimeError("t() expects a tensor with <= 2 dimensions, but self is \(dim)D")
        }
        let (newShape, newStrides) = dim == 2 ? ([shape[1], shape[0]], [strides[1], strides[0]]) : (shape, strides)
        return try makeView("aten::t", node: "TBackward0", shape: newShape, strides: newStrides, offset: offset) { input in
            [Kernel.t(input.grad)]
        }
    }

    /// `tensor.transpose(dim0, dim1)` (TransposeBackward0).
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        let a = try wrapDim(dim0)
        let b = try wrapDim(dim1)
        var newShape = shape
        var newStrides = strides
        if dim > 0 {
            newShape.swapAt(a, b)
            newStrides.swapAt(a, b)
        }
        return try makeView("aten::transpose.int", node: "TransposeBackward0", shape: newShape, strides: newStrides,
                        offset: offset) { input in
            [input.grad.dim > 0 ? Kernel.transpose(input.grad, a, b) : input.grad]
        }
    }

    /// `tensor.unsqueeze(dim)` (UnsqueezeBackward0).
    public func unsqueeze(_ d: Int) throws -> Tensor {
        let n = dim + 1
        guard d >= -n && d < n else {
            throw AutogradError.indexError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(d))")
        }
        let axis = d < 0 ? d + n : d
        var newShape = shape
        var newStrides = strides
        let stride = axis < dim ? strides[axis] * shape[axis] : 1
        newShape.insert(1, at: axis)
        newStrides.insert(stride, at: axis)
        let sizes = shape
        return try makeView("aten::unsqueeze", node: "UnsqueezeBackward0", shape: newShape, strides: newStrides,
                        offset: offset) { input in
            [Kernel.reshape(input.grad, sizes)]
        }
    }

    /// `tensor.squeeze()`: drops every size-1 dimension (SqueezeBackward0).
    public func squeeze() throws -> Tensor {
        let keep = shape.indices.filter { shape[$0] != 1 }
        let sizes = shape
        return try makeView("aten::squeeze", node: "SqueezeBackward0", shape: keep.map { shape[$0] },
                        strides: keep.map { strides[$0] }, offset: offset) { input in
            [Kernel.reshape(input.grad, sizes)]
        }
    }

    /// `tensor.squeeze(dim)`: drops `dim` when it has size 1 (SqueezeBackward1).
    public func squeeze(dim d: Int) throws -> Tensor {
        let axis = try wrapDim(d)
        var newShape = shape
        var newStrides = strides
        if dim > 0 && shape[axis] == 1 {
            newShape.remove(at: axis)
            newStrides.remove(at: axis)
        }
        let sizes = shape
        return try makeView("aten::squeeze.dim", node: "SqueezeBackward1", shape: newShape, strides: newStrides,
                        offset: offset) { input in
            [Kernel.reshape(input.grad, sizes)]
        }
    }

    /// `tensor.squeeze_(dim)`: drops `dim` in place when it has size 1 (SqueezeBackward4), a
    /// metadata-only write that still bumps the version.
    @discardableResult
    public func squeeze_(dim d: Int) throws -> Tensor {
        let axis = try wrapDim(d)
        let requires = runtime.needsNode([self])
        if requires { try checkInPlace() }
        let sizes = shape
        return runtime.recordOp("aten::squeeze_.dim", inputs: [self], inPlace: true) {
            let node = requires ? runtime.makeNode("SqueezeBackward4", inputs: [self], outputs: [self]) { input in
                [Kernel.reshape(input.grad, sizes)]
            } : nil
            if dim > 0 && shape[axis] == 1 {
                shape.remove(at: axis)
                strides.remove(at: axis)
            }
            bumpVersion()
            if let node { rebaseHistory(node) }
            return (self, [self])
        }
    }

    /// `tensor.select(dim, index)` (SelectBackward0), what `t[i]` does.
    public func select(dim d: Int, index: Int) throws -> Tensor {
        guard dim > 0 else {
            throw AutogradError.indexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        }
        let axis = try wrapDim(d)
        let size = shape[axis]
        guard index >= -size && index < size else {
            throw AutogradError.indexError("index \(index) is out of bounds for dimension \(axis) with size \(size)")
        }
        let i = index < 0 ? index + size : index
        var newShape = shape
        var newStrides = strides
        newShape.remove(at: axis)
        newStrides.remove(at: axis)
        let sizes = shape
        let inner = Geometry(shape: newShape, strides: Tensor.removing(axis, from: Tensor.contiguousStrides(sizes)),
                             offset: i * Tensor.contiguousStrides(sizes)[axis])
        return try makeView("aten::select.int", node: "SelectBackward0", shape: newShape, strides: newStrides,
                        offset: offset + i * strides[axis]) { input in
            [Kernel.asStridedBackward(input.grad, baseShape: sizes, geometry: inner)]
        }
    }

    /// `tensor[start:end:step]` along `dim` (SliceBackward0). Bounds follow Python slicing.
    public func slice(dim d: Int, start: Int?, end: Int?, step: Int = 1) throws -> Tensor {
        let axis = try wrapDim(d)
        guard step > 0 else { throw AutogradError.valueError("step must be greater than zero") }
        let (from, length) = Tensor.sliceBounds(size: shape[axis], start: start, end: end, step: step)
        var newShape = shape
        var newStrides = strides
        newShape[axis] = length
        newStrides[axis] = strides[axis] * step
        let sizes = shape
        var innerStrides = Tensor.contiguousStrides(sizes)
        let innerOffset = from * innerStrides[axis]
        innerStrides[axis] *= step
        let inner = Geometry(shape: newShape, strides: innerStrides, offset: innerOffset)
        return try makeView("aten::slice.Tensor", node: "SliceBackward0", shape: newShape, strides: newStrides,
                        offset: offset + from * strides[axis]) { input in
            [Kernel.asStridedBackward(input.grad, baseShape: sizes, geometry: inner)]
        }
    }

    /// The first index and the length of a Python slice over `size` elements.
    static func sliceBounds(size: Int, start: Int?, end: Int?, step: Int) -> (Int, Int) {
        func clamp(_ v: Int) -> Int {
            let w = v < 0 ? v + size : v
            return Swift.min(Swift.max(w, 0), size)
        }
        let from = clamp(start ?? 0)
        let to = Swift.max(clamp(end ?? size), from)
        return (from, (to - from + step - 1) / step)
    }

    static func removing(_ axis: Int, from values: [Int]) -> [Int] {
        var copy = values
        copy.remove(at: axis)
        return copy
    }

    /// `tensor.expand(*sizes)` (ExpandBackward0); -1 keeps a dimension.
    public func expand(_ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= dim else {
            throw AutogradError.runtimeError(
                "expand(torch.FloatTensor{\(Messages.sizes(shape))}, size=\(Messages.sizes(sizes))): the number of sizes provided (\(sizes.count)) must be greater or equal to the number of dimensions in the tensor (\(dim))")
        }
        let pad = sizes.count - dim
        var newShape = sizes
        var newStrides = [Int](repeating: 0, count: sizes.count)
        for i in 0..<dim {
            let target = sizes[i + pad] == -1 ? shape[i] : sizes[i + pad]
            if shape[i] == target {
                newStrides[i + pad] = strides[i]
            } else if shape[i] != 1 {
                throw AutogradError.runtimeError(
                    "The expanded size of the tensor (\(target)) must match the existing size (\(shape[i])) at non-singleton dimension \(i + pad).  Target sizes: \(Messages.sizes(sizes)).  Tensor sizes: \(Messages.sizes(shape))")
            }
            newShape[i + pad] = target
        }
        let original = shape
        return try makeView("aten::expand", node: "ExpandBackward0", shape: newShape, strides: newStrides, offset: offset) { input in
            [Kernel.sumTo(input.grad, shape: original)]
        }
    }

    /// `torch.alias(t)` (AliasBackward0): what `t[:, :]` returns.
    public func alias() throws -> Tensor {
        try makeView("aten::alias", node: "AliasBackward0", shape: shape, strides: strides, offset: offset) { [$0.grad] }
    }

    /// `tensor.clone()` (CloneBackward0): new storage and a fresh counter at version 0.
    public func clone() throws -> Tensor {
        try outOfPlace("aten::clone", inputs: [self], compute: {
            Kernel.make(self, contiguousValues(), shape, dtype)
        }, node: { result in
            guard runtime.needsNode([self]) else { return nil }
            return runtime.makeNode("CloneBackward0", inputs: [self], outputs: [result]) { [$0.grad] }
        })
    }

    /// `tensor.contiguous()`: itself when already contiguous, else a clone.
    public func contiguous() throws -> Tensor {
        isContiguous ? self : try clone()
    }

    /// `tensor.detach()`: same storage and version counter, no history, requires_grad False.
    public func detach() -> Tensor {
        runtime.recordOp("aten::detach", inputs: [self], view: true) {
            let t = makeAlias(sharingCounter: true)
            return (t, [t])
        }
    }

    /// `tensor.detach_()`: drops the history in place; views cannot be detached in place.
    @discardableResult
    public func detach_() throws -> Tensor {
        if viewBase != nil { throw AutogradError.runtimeError(Messages.detachView) }
        return runtime.recordOp("aten::detach_", inputs: [self], inPlace: true) {
            requiresGradFlag = false
            if gradFnStorage != nil { setGradFn(nil, outputNr: 0) }
            return (self, [self])
        }
    }

    /// `tensor.data = value`: this tensor now reads `value`'s storage, keeping its own version counter.
    public func setData(_ value: Tensor) {
        storage = value.storage
        shape = value.shape
        strides = value.strides
        offset = value.offset
        dtype = value.dtype
    }

    /// `tensor.data`: a new tensor on the same storage with a fresh version counter, on every access.
    public var data: Tensor {
        let t = makeAlias(sharingCounter: false)
        t.isParameter = false
        return t
    }
}

extension Tensor {
    /// `tensor.permute(*dims)` (PermuteBackward0), also what `t.T` is for a 2-D tensor.
    public func permute(_ dims: [Int]) throws -> Tensor {
        guard dims.count == dim else {
            throw AutogradError.runtimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(dim) is not equal to len(dims) = \(dims.count)")
        }
        let order = try dims.map(wrapDim)
        guard Set(order).count == order.count else { throw AutogradError.runtimeError("permute(): duplicate dims are not allowed.") }
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, d) in order.enumerated() { inverse[d] = i }
        return try makeView("aten::permute", node: "PermuteBackward0", shape: order.map { shape[$0] },
                        strides: order.map { strides[$0] }, offset: offset) { input in
            let g = input.grad
            let view = Tensor(runtime: g.runtime, storage: g.storage, counter: g.counter, shape: inverse.map { g.shape[$0] },
                              strides: inverse.map { g.strides[$0] }, offset: g.offset, dtype: g.dtype)
            return [Kernel.make(g, view.contiguousValues(), view.shape, g.dtype)]
        }
    }

    /// `tensor.unbind(dim)`, also what iterating over a tensor does: one view per index, all
    /// outputs of one UnbindBackward0 node. In-place ops on them are forbidden while tracking grad.
    public func unbind(dim d: Int = 0) throws -> [Tensor] {
        guard dim > 0 else { throw AutogradError.runtimeError("Dimension specified as 0 but tensor has no dimensions") }
        let axis = try wrapDim(d)
        let count = shape[axis]
        var newShape = shape
        var newStrides = strides
        newShape.remove(at: axis)
        newStrides.remove(at: axis)
        let sizes = shape
        try runtime.checkHistory(of: [self])
        return runtime.recordOp("aten::unbind.int", inputs: [self], view: true) {
            let views = (0..<count).map { i -> Tensor in
                let view = Tensor(runtime: runtime, storage: storage, counter: counter, shape: newShape, strides: newStrides,
                                  offset: offset + i * strides[axis], dtype: dtype)
                view.viewBase = viewBase ?? self
                view.creationMeta = runtime.isGradEnabled ? .multipleOutputs : .noGradMode
                view.attrVersion = version
                return view
            }
            if runtime.needsNode([self]) {
                let node = runtime.makeNode("UnbindBackward0", inputs: [self], outputs: views) { input in
                    let pieces = input.grads.map { grad in
                        grad.map { Kernel.reshape($0, Tensor.inserting(1, at: axis, into: $0.shape)) }
                            ?? Kernel.full(input.grads.compactMap { $0 }[0], shape: Tensor.inserting(1, at: axis, into: newShape),
                                           value: 0, dtype: input.grads.compactMap { $0 }[0].dtype)
                    }
                    return [Kernel.concatenate(pieces.map { $0.contiguousValues() }, shapes: pieces.map(\.shape), dim: axis,
                                               like: pieces[0], shape: sizes, dtype: pieces[0].dtype)]
                }
                for (i, view) in views.enumerated() { view.setGradFn(node, outputNr: i) }
            }
            return (views, views)
        }
    }

    /// `tensor.split(size, dim)`: consecutive views of `size` along `dim` (the last may be shorter),
    /// all outputs of one SplitBackward0 node, so in-place ops on them are forbidden while tracking grad.
    public func split(_ size: Int, dim d: Int = 0) throws -> [Tensor] {
        guard dim > 0 else { throw AutogradError.runtimeError("split expects at least a 1-dimensional tensor") }
        let axis = try wrapDim(d)
        let length = shape[axis]
        guard size >= 0 else { throw AutogradError.runtimeError("split expects split_size be non-negative, but got split_size=\(size)") }
        guard size > 0 || length == 0 else {
            throw AutogradError.runtimeError("split_size can only be 0 if dimension size is 0, but got dimension size of \(length)")
        }
        let count = size == 0 ? 1 : Swift.max((length + size - 1) / size, 1)
        let sizes = (0..<count).map { Swift.min(size, length - $0 * size) }
        return try pieces(sizes, axis: axis, op: "aten::split.Tensor", node: "SplitBackward0")
    }

    /// `tensor.chunk(chunks, dim)`: `split` into pieces of `ceil(size / chunks)` (so maybe fewer than `chunks`);
    /// an empty dim gives `chunks` empty pieces.
    public func chunk(_ chunks: Int, dim d: Int = 0) throws -> [Tensor] {
        guard dim > 0 else { throw AutogradError.runtimeError("chunk expects at least a 1-dimensional tensor") }
        guard chunks > 0 else { throw AutogradError.runtimeError("chunk expects `chunks` to be greater than 0, got: \(chunks)") }
        let length = shape[try wrapDim(d)]
        if length == 0 { return try split(sizes: [Int](repeating: 0, count: chunks), dim: d) }
        return try split((length + chunks - 1) / chunks, dim: d)
    }

    /// `tensor.split([sizes], dim)`: views of the given lengths along `dim` (SplitWithSizesBackward0).
    public func split(sizes: [Int], dim d: Int = 0) throws -> [Tensor] {
        guard dim > 0 else { throw AutogradError.runtimeError("split expects at least a 1-dimensional tensor") }
        let axis = try wrapDim(d)
        let list = "[" + sizes.map(String.init).joined(separator: ", ") + "]"
        guard sizes.allSatisfy({ $0 >= 0 }) else {
            throw AutogradError.runtimeError("split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=\(list)")
        }
        guard sizes.reduce(0, +) == shape[axis] else {
            throw AutogradError.runtimeError(
                "split_with_sizes expects split_sizes to sum exactly to \(shape[axis]) (input tensor's size at dimension \(axis)), but got split_sizes=\(list)")
        }
        return try pieces(sizes, axis: axis, op: "aten::split_with_sizes", node: "SplitWithSizesBackward0")
    }

    /// Consecutive views of `sizes` along `axis`, all outputs of one node whose backward concatenates
    /// their gradients (zeros for the pieces that got none).
    private func pieces(_ sizes: [Int], axis: Int, op: String, node name: String) throws -> [Tensor] {
        let full = shape
        try runtime.checkHistory(of: [self])
        return runtime.recordOp(op, inputs: [self], view: true) {
            var start = 0
            let views = sizes.map { size -> Tensor in
                var pieceShape = shape
                pieceShape[axis] = size
                let view = Tensor(runtime: runtime, storage: storage, counter: counter, shape: pieceShape, strides: strides,
                                  offset: offset + start * strides[axis], dtype: dtype)
                start += size
                view.viewBase = viewBase ?? self
                view.creationMeta = runtime.isGradEnabled ? .multipleOutputs : .noGradMode
                view.attrVersion = version
                return view
            }
            if runtime.needsNode([self]) {
                let node = runtime.makeNode(name, inputs: [self], outputs: views) { input in
                    let like = input.grads.compactMap { $0 }[0]
                    let grads = input.grads.enumerated().map { i, grad in
                        grad ?? Kernel.full(like, shape: views[i].shape, value: 0, dtype: like.dtype)
                    }
                    return [Kernel.concatenate(grads.map { $0.contiguousValues() }, shapes: grads.map(\.shape), dim: axis,
                                               like: grads[0], shape: full, dtype: like.dtype)]
                }
                for (i, view) in views.enumerated() { view.setGradFn(node, outputNr: i) }
            }
            return (views, views)
        }
    }

    static func inserting(_ value: Int, at axis: Int, into values: [Int]) -> [Int] {
        var copy = values
        copy.insert(value, at: axis)
        return copy
    }
}
