/// The autograd surface of a tensor: `backward`, `.grad`, `retain_grad`, `requires_grad_`, and
/// reading values out (`item`, `tolist`).
extension Tensor {
    /// `tensor.backward(gradient=, retain_graph=)`.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try runtime.backward([self], gradTensors: [gradient], retainGraph: retainGraph)
    }

    /// `tensor.grad`.
    public var grad: Tensor? { gradStorage }

    /// `tensor.grad = value`, with PyTorch's size and dtype checks; nil clears it.
    public func setGrad(_ value: Tensor?) throws {
        if let value {
            guard value.shape == shape else {
                throw AutogradError.runtimeError(
                    "attempting to assign a gradient of size '\(Messages.sizes(value.shape))' to a tensor of size '\(Messages.sizes(shape))'. Please ensure that the gradient and the tensor are the same size")
            }
            guard value.dtype == dtype else {
                throw AutogradError.runtimeError(
                    "attempting to assign a gradient with dtype '\(value.dtype.cppName)' to a tensor with dtype '\(dtype.cppName)'. Please ensure that the gradient and the tensor have the same dtype")
            }
        }
        gradStorage = value
    }

    /// `tensor.retain_grad()`: a non-leaf keeps its gradient in `.grad` during backward.
    public func retainGrad() throws {
        guard requiresGrad else {
            throw AutogradError.runtimeError("can't retain_grad on Tensor that has requires_grad=False")
        }
        guard let fn = gradFn, !retainsGradFlag else { return }
        retainsGradFlag = true
        fn.addRetainer(self, outputNr: outputNr)
    }

    /// `tensor.requires_grad_(flag)`.
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) throws -> Tensor {
        if !isLeaf && !flag { throw AutogradError.runtimeError(Messages.requiresGradNonLeaf) }
        if flag && !dtype.isFloatingPoint { throw AutogradError.runtimeError(Messages.onlyFloatRequiresGrad) }
        if isLeaf { requiresGradFlag = flag }
        return self
    }

    /// `tensor.requires_grad = flag` (the attribute setter, stricter than `requires_grad_`).
    public func setRequiresGrad(_ flag: Bool) throws {
        if !isLeaf {
            throw AutogradError.runtimeError(flag ? "you can only change requires_grad flags of leaf variables." : Messages.requiresGradNonLeaf)
        }
        if flag && !dtype.isFloatingPoint { throw AutogradError.runtimeError(Messages.onlyFloatRequiresGrad) }
        requiresGradFlag = flag
    }

    /// `tensor.item()`.
    public func item() throws -> Scalar {
        guard numel == 1 else {
            throw AutogradError.runtimeError("a Tensor with \(numel) elements cannot be converted to Scalar")
        }
        return .from(contiguousValues()[0], dtype: dtype)
    }

    /// `tensor.tolist()`.
    public func tolist() -> NestedValues {
        .from(contiguousValues(), shape: shape, dtype: dtype)
    }

    /// AccumulateGrad: the first gradient becomes `.grad` (a new tensor), later ones are added in
    /// place (`grad += new`), bumping the gradient's version. The tape has no forward op to
    /// attach that bump to, so it is not recorded.
    func accumulateGrad(_ incoming: Tensor) {
        if let existing = gradStorage {
            existing.write(Kernel.zip(existing, incoming, dtype: existing.dtype, +).contiguousValues())
            existing.counter.version += 1
        } else {
            gradStorage = Kernel.make(incoming, incoming.contiguousValues(), shape, dtype)
        }
    }

    /// The `retain_grad()` hook: clone the first gradient, then `grad = grad + new`.
    func retainGradValue(_ incoming: Tensor) {
        if let existing = gradStorage {
            gradStorage = Kernel.add(existing, incoming)
        } else {
            gradStorage = Kernel.make(incoming, incoming.contiguousValues(), incoming.shape, incoming.dtype)
        }
    }
}
