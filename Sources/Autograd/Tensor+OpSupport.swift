import Tape
import TorchRules
/// Shared plumbing for ops: wrapping Python numbers, dimension checks, and the out-of-place and
/// in-place recording paths every op goes through.
extension Tensor {
    /// The tensor an operand stands for: itself, or a Python number wrapped as a 0-dim tensor
    /// (float64 for a float, int64 for an int), as PyTorch saves it.
    func wrap(_ operand: Operand) -> Tensor {
        switch operand {
        case .tensor(let t): return t
        case .scalar(let s): return Tensor(runtime: runtime, data: [s.wrappedDType.cast(s.doubleValue)], shape: [], dtype: s.wrappedDType)
        }
    }

    /// The operand as a graph input: the tensor, or nil for a Python number.
    static func graphInput(_ operand: Operand) -> Tensor? {
        if case .tensor(let t) = operand { return t }
        return nil
    }

    /// Normalises a possibly negative dimension, with PyTorch's IndexError when out of range.
    func wrapDim(_ d: Int) throws -> Int {
        let n = Swift.max(dim, 1)
        guard d >= -n && d < n else {
            throw AutogradError.indexError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(d))")
        }
        return d < 0 ? d + n : d
    }

    /// Runs an out-of-place op: `compute` makes the result, `node` wires its grad_fn when needed.
    func outOfPlace(_ aten: String, inputs: [Tensor], compute: () throws -> Tensor,
                    node: (Tensor) -> Node?) throws -> Tensor {
        try runtime.checkHistory(of: inputs)
        return try runtime.recordOp(aten, inputs: inputs) {
            let result = try compute()
            if let fn = node(result) { result.setGradFn(fn, outputNr: 0) }
            return (result, [result])
        }
    }

    /// Raises the error PyTorch gives when reading the grad_fn of a no_grad or multi-output view
    /// whose base or a sibling view was modified in place since the view was made.
    func checkViewHistory() throws {
        guard let base = viewBase, creationMeta != .normal, attrVersion != counter.version,
              gradFnStorage != nil || base.requiresGrad,
              let message = creationMeta.error(for: self, indirect: true) else { return }
        throw AutogradError.runtimeError(message)
    }

    /// `tensor.grad_fn` with PyTorch's check for views made under no_grad or by a multi-output op:
    /// raises when their base was modified in place since.
    public func readGradFn() throws -> Node? {
        try checkViewHistory()
        return gradFn
    }

    /// Raises PyTorch's in-place checks (`check_inplace`) for an op that requires grad.
    func checkInPlace() throws {
        if let base = viewBase {
            if let message = creationMeta.error(for: self) { throw AutogradError.runtimeError(message) }
            if requiresGrad && base.isLeaf { throw AutogradError.runtimeError(AutogradMessage.viewOfLeafInPlace) }
        }
        if requiresGrad && isLeaf { throw AutogradError.runtimeError(AutogradMessage.leafInPlace) }
    }

    /// Runs an in-place op on `self` in PyTorch's order: cast and shape checks, leaf checks (only
    /// with grad mode on and some argument requiring grad), the node with its pre-op saves, the
    /// write, the version bump, the history rebase, then the post-op saves.
    func inPlace(_ aten: String, others: [Tensor?], resultType: DType, broadcastShape: [Int]? = nil,
                 makeNode: () throws -> Node, compute: () throws -> [Double], after: (Node) -> Void = { _ in }) throws -> Tensor {
        if !resultType.canCast(to: dtype) {
            throw AutogradError.runtimeError(
                "result type \(TypePromotion.castName(resultType)) can't be cast to the desired output type \(TypePromotion.castName(dtype))")
        }
        if let broadcastShape, broadcastShape != shape {
            throw AutogradError.runtimeError(
                "output with shape \(Messages.sizes(shape)) doesn't match the broadcast shape \(Messages.sizes(broadcastShape))")
        }
        let requires = runtime.needsNode([self] + others)
        if requires {
            try checkInPlace()
            try runtime.checkHistory(of: [self] + others.compactMap { $0 })
        }
        return try runtime.recordOp(aten, inputs: [self] + others.compactMap { $0 }, inPlace: true) {
            let node = requires ? try makeNode() : nil
            let values = try compute()
            write(values)
            bumpVersion()
            if let node {
                rebaseHistory(node)
                after(node)
            }
            return (self, [self])
        }
    }

    /// Makes `node` this tensor's history after an in-place op (`rebase_history`): a view's base
    /// gets `CopySlices` wrapping the node and the view's grad_fn is rebuilt as `AsStridedBackward0`.
    func rebaseHistory(_ node: Node) {
        node.inputMetadata = [TensorMetadata(shape: shape, dtype: dtype)]
        guard let base = viewBase else {
            setGradFn(node, outputNr: 0)
            return
        }
        let geometry = Geometry(shape: shape, strides: strides, offset: offset)
        let baseGeometry = base.geometry
        let baseShape = base.shape
        let baseDType = base.dtype
        let copySlices = Node(
            name: "torch::autograd::CopySlices", sequenceNr: runtime.takeSequenceNr(),
            nextEdges: [base.gradientEdge()] + node.nextEdges.dropFirst(),
            inputMetadata: [TensorMetadata(shape: baseShape, dtype: baseDType)],
            formula: { input in
                let result = input.grad.contiguousValues()
                let full = Kernel.make(input.grad, result, baseShape, input.grad.dtype)
                let positions = geometry.positions(within: baseGeometry)
                let slice = Kernel.make(input.grad, positions.map { result[$0] }, geometry.shape, input.grad.dtype)
                let inner = try node.apply([slice])
                var combined = full.contiguousValues()
                let first = inner.first.flatMap { $0 }.map { Kernel.expandedValues($0, to: geometry.shape) }
                    ?? [Double](repeating: 0, count: positions.count)
                for (i, p) in positions.enumerated() { combined[p] = first[i] }
                return [Kernel.make(input.grad, combined, baseShape, input.grad.dtype)] + inner.dropFirst()
            },
            wrapped: node, viewGeometry: geometry)
        runtime.noteNode(copySlices, fromOp: true)
        base.setGradFn(copySlices, outputNr: 0)
        _ = gradFn
    }
}
