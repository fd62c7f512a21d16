/// Basic indexing: `t[...]` reads a view; `t[...] = v` writes through one with `copy_`/`fill_`.
///
/// As in `python_variable_indexing.cpp`: a lone index is applied directly; in a tuple, full
/// slices (`:`) are skipped. A getitem that selects nothing returns `alias(t)`; a setitem that
/// selects nothing writes into `t` itself.
extension Tensor {
    /// `tensor[index]`.
    public func getitem(_ index: [TensorIndex]) throws -> Tensor {
        let result = try applySlicing(index)
        return result === self ? try alias() : result
    }

    /// `tensor[index] = value`: a basic-index view, then `copy_` (or `fill_` for a 0-dim value
    /// into a larger view). Bumps the version once.
    public func setitem(_ index: [TensorIndex], _ value: Operand) throws {
        let target = try applySlicing(index)
        let source: Tensor
        switch value {
        case .tensor(let t): source = t
        case .scalar(let s): source = Tensor(runtime: runtime, data: [dtype.cast(s.doubleValue)], shape: [], dtype: dtype)
        }
        try target.copyTo(source)
    }

    /// `copy_to` from PyTorch's indexing: same shape → `copy_`; 0-dim source → `fill_`; otherwise
    /// the source loses its leading 1-dims, is expanded, then copied.
    private func copyTo(_ src: Tensor) throws {
        if shape == src.shape {
            try copy_(src)
        } else if src.dim == 0 {
            try fill_(src)
        } else {
            var stripped = src.shape
            while stripped.first == 1 { stripped.removeFirst() }
            let view = try src.view(stripped)
            let expanded = view.shape == shape ? view : try view.expand(shape)
            try copy_(expanded)
        }
    }

    private func applySlicing(_ index: [TensorIndex]) throws -> Tensor {
        let skipFullSlices = index.count > 1
        let specified = index.filter { if case .int = $0 { true } else if case .slice = $0 { true } else { false } }.count
        if specified > dim {
            throw AutogradError.indexError("too many indices for tensor of dimension \(dim)")
        }
        var result = self
        var d = 0
        for (position, item) in index.enumerated() {
            switch item {
            case .int(let i):
                result = try result.select(dim: d, index: i)
            case .slice(let start, let stop, let step):
                let size = result.shape[d]
                let s = step ?? 1
                if s <= 0 { throw AutogradError.valueError("step must be greater than zero") }
                let (from, length) = Tensor.sliceBounds(size: size, start: start, end: stop, step: s)
                if !(skipFullSlices && from == 0 && length == size && s == 1) {
                    result = try result.slice(dim: d, start: start, end: stop, step: s)
                }
                d += 1
            case .none:
                result = try result.unsqueeze(d)
                d += 1
            case .ellipsis:
                let after = index[(position + 1)...].filter {
                    if case .int = $0 { true } else if case .slice = $0 { true } else { false }
                }.count
                d = result.dim - after
            }
        }
        return result
    }
}
