import Foundation

/// Untracked tensor math: the kernels forward ops and derivative formulas share.
///
/// Kernels never record to the tape or build graph nodes; they return fresh contiguous tensors.
/// Float32 results are rounded to `Float` (transcendental functions run in `Float`), so printed
/// values match PyTorch's single-precision arithmetic.
enum Kernel {
    static func make(_ like: Tensor, _ data: [Double], _ shape: [Int], _ dtype: DType) -> Tensor {
        Tensor(runtime: like.runtime, data: data, shape: shape, dtype: dtype)
    }

    static func full(_ like: Tensor, shape: [Int], value: Double, dtype: DType) -> Tensor {
        make(like, [Double](repeating: dtype.cast(value), count: shape.reduce(1, *)), shape, dtype)
    }

    static func cast(_ t: Tensor, to dtype: DType) -> Tensor {
        make(t, t.contiguousValues().map(dtype.cast), t.shape, dtype)
    }

    // MARK: Broadcasting

    static func broadcastShapes(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let n = max(a.count, b.count)
        var result = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 {
                result[i] = da
            } else if da == 1 {
                result[i] = db
            } else {
                throw AutogradError.runtimeError(
                    "The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)")
            }
        }
        try TensorTooLarge.check(result)
        return result
    }

    /// Whether `shape` broadcasts to `target` (`is_expandable_to`).
    static func isExpandable(_ shape: [Int], to target: [Int]) -> Bool {
        if shape.count > target.count { return false }
        for i in 0..<shape.count {
            let s = shape[shape.count - 1 - i]
            let t = target[target.count - 1 - i]
            if s != t && s != 1 { return false }
        }
        return true
    }

    /// The row-major values of `t` broadcast to `shape`: a walk over `t`'s storage with stride 0
    /// along the broadcast dimensions.
    static func expandedValues(_ t: Tensor, to shape: [Int]) -> [Double] {
        if t.shape == shape { return t.contiguousValues() }
        let pad = shape.count - t.shape.count
        var strides = [Int](repeating: 0, count: shape.count)
        for i in 0..<t.shape.count where t.shape[i] != 1 { strides[i + pad] = t.strides[i] }
        return Geometry(shape: shape, strides: strides, offset: t.offset).elementOffsets.map { t.storage.data[$0] }
    }

    static func expand(_ t: Tensor, to shape: [Int]) -> Tensor {
        make(t, expandedValues(t, to: shape), shape, t.dtype)
    }

    // MARK: Elementwise

    /// `f` applied elementwise; float32 results use `f32` so they round like PyTorch's float kernels.
    static func map(_ t: Tensor, dtype: DType? = nil, _ f: (Double) -> Double, f32: ((Float) -> Float)? = nil) -> Tensor {
        let out = dtype ?? t.dtype
        let values = t.contiguousValues().map { v -> Double in
            if out == .float32, let f32 { return Double(f32(Float(v))) }
            return out.cast(f(out.cast(v)))
        }
        return make(t, values, t.shape, out)
    }

    /// `f` applied to broadcast pairs, with both operands first cast to `dtype`.
    static func zip(_ a: Tensor, _ b: Tensor, dtype: DType, _ f: (Double, Double) -> Double,
                    f32: ((Float, Float) -> Float)? = nil) -> Tensor {
        let shape = (try? broadcastShapes(a.shape, b.shape)) ?? a.shape
        let va = expandedValues(a, to: shape)
        let vb = expandedValues(b, to: shape)
        var values = [Double](repeating: 0, count: va.count)
        for i in 0..<va.count {
            if dtype == .float32, let f32 {
                values[i] = Double(f32(Float(va[i]), Float(vb[i])))
            } else {
                values[i] = dtype.cast(f(dtype.cast(va[i]), dtype.cast(vb[i])))
            }
        }
        return make(a, values, shape, dtype)
    }

    static func add(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, dtype: promote(a, b), +) }
    static func sub(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, dtype: promote(a, b), -) }
    static func mul(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, dtype: promote(a, b), *) }
    static func div(_ a: Tensor, _ b: Tensor) -> Tensor {
        let d = promote(a, b)
        return zip(a, b, dtype: d.isFloatingPoint ? d : .defaultFloat, /)
    }
    static func mul(_ a: Tensor, _ s: Double) -> Tensor { map(a, { $0 * s }, f32: { $0 * Float(s) }) }
    static func neg(_ a: Tensor) -> Tensor { map(a, { -$0 }) }

    /// The dtype of a binary op between tensors, with PyTorch's dimension-category rule.
    static func promote(_ a: Tensor, _ b: Tensor) -> DType {
        TypePromotion.resultType([.tensor(a), .tensor(b)])
    }

    // MARK: Reductions

    /// Sums over `dims`: float32 in PyTorch's accumulation order (see `laneSum`), other dtypes in Double.
    static func sum(_ t: Tensor, dims: [Int], keepdim: Bool, dtype: DType? = nil) -> Tensor {
        let out = dtype ?? t.dtype
        let reduce = Set(dims)
        let shape = t.shape
        var outShape = [Int]()
        var keptShape = [Int]()
        for (i, s) in shape.enumerated() {
            if reduce.contains(i) {
                if keepdim { outShape.append(1) }
                keptShape.append(1)
            } else {
                outShape.append(s)
                keptShape.append(s)
            }
        }
        let keptStrides = Tensor.contiguousStrides(keptShape)
        var groups = [[Double]](repeating: [], count: keptShape.reduce(1, *))
        let values = t.contiguousValues()
        let inStrides = Tensor.contiguousStrides(shape)
        for (linear, v) in values.enumerated() {
            var target = 0
            var rest = linear
            for d in 0..<shape.count {
                let idx = rest / inStrides[d]
                rest %= inStrides[d]
                if !reduce.contains(d) { target += idx * keptStrides[d] }
            }
            groups[target].append(v)
        }
        let innermost = reduce.isEmpty || reduce == Set((shape.count - reduce.count)..<shape.count)
        let sums = groups.map { group -> Double in
            guard out == .float32 else { return out.cast(group.reduce(0, +)) }
            return Double(innermost ? laneSum(group) : group.reduce(Float(0)) { $0 + Float($1) })
        }
        return make(t, sums, outShape, out)
    }

    /// A float32 sum in the order of PyTorch's vectorised CPU reduction over contiguous values:
    /// lanes (4 for short rows, 8 otherwise) accumulated in order, then added up left to right.
    /// This reproduces torch 2.13's results for most short rows, which decide whether a
    /// cancellation prints as 0 or as a tiny number.
    static func laneSum(_ values: [Double]) -> Float {
        let width = values.count < 8 ? 4 : 8
        var lanes = [Float](repeating: 0, count: width)
        for (i, v) in values.enumerated() { lanes[i % width] += Float(v) }
        return lanes.reduce(Float(0), +)
    }

    /// Reduces a broadcast gradient back to `shape` (`at::sum_to`).
    static func sumTo(_ t: Tensor, shape: [Int]) -> Tensor {
        if t.shape == shape { return t }
        let lead = t.shape.count - shape.count
        var dims = Array(0..<lead)
        for i in 0..<shape.count where shape[i] == 1 && t.shape[i + lead] != 1 { dims.append(i + lead) }
        let summed = sum(t, dims: dims, keepdim: true)
        return make(t, summed.contiguousValues(), shape, t.dtype)
    }

    // MARK: Layout

    static func reshape(_ t: Tensor, _ shape: [Int]) -> Tensor {
        make(t, t.contiguousValues(), shape, t.dtype)
    }

    static func transpose(_ t: Tensor, _ d0: Int, _ d1: Int) -> Tensor {
        var shape = t.shape
        var strides = t.strides
        shape.swapAt(d0, d1)
        strides.swapAt(d0, d1)
        let view = Tensor(runtime: t.runtime, storage: t.storage, counter: t.counter, shape: shape, strides: strides,
                          offset: t.offset, dtype: t.dtype)
        return make(t, view.contiguousValues(), shape, t.dtype)
    }

    /// A zero tensor of `baseShape` with `grad` added at the view's positions (`base` gives the
    /// base's own layout when it is not contiguous).
    static func asStridedBackward(_ grad: Tensor, baseShape: [Int], geometry: Geometry, base: Geometry? = nil) -> Tensor {
        var data = [Double](repeating: 0, count: baseShape.reduce(1, *))
        let positions = base.map(geometry.positions(within:)) ?? geometry.elementOffsets
        let values = grad.contiguousValues()
        for (i, p) in positions.enumerated() { data[p] += values[i] }
        return make(grad, data.map(grad.dtype.cast), baseShape, grad.dtype)
    }

    // MARK: Linear algebra

    /// Matrix product in the accumulation order of the MKL kernel this machine runs (`MKLKernel`).
    /// On Intel's AVX-512 kernels each float32 dot product accumulates in order with fused
    /// multiply-adds, except that a transposed second operand with fewer than 16 shared elements
    /// is summed as a 16-lane tree of rounded products (MKL's small dot kernel); on the other path
    /// rounded products are summed in order. `transposedB` overrides the layout read from `b`'s
    /// strides (a gradient built from `m.t()`).
    static func mm(_ a: Tensor, _ b: Tensor, transposedB: Bool? = nil, kernel: MKLKernel = .current) -> Tensor {
        let (n, k, m) = (a.shape[0], a.shape[1], b.shape[1])
        let va = a.contiguousValues()
        let vb = b.contiguousValues()
        let dtype = promote(a, b)
        let isTransposed = transposedB ?? (b.strides[0] == 1 && b.strides[1] == b.shape[0] && b.shape[0] > 1 && m > 1)
        let fused = kernel == .intelAVX512
        let treeSum = fused && dtype == .float32 && isTransposed && k < 16
        var out = [Double](repeating: 0, count: n * m)
        for i in 0..<n {
            for j in 0..<m {
                if !fused {
                    var acc = 0.0
                    for p in 0..<k { acc = dtype.cast(acc + dtype.cast(va[i * k + p] * vb[p * m + j])) }
                    out[i * m + j] = acc
                } else if treeSum {
                    var lanes = [Float](repeating: 0, count: 16)
                    for p in 0..<k { lanes[p] = Float(va[i * k + p]) * Float(vb[p * m + j]) }
                    var width = 16
                    while width > 1 {
                        width /= 2
                        for l in 0..<width { lanes[l] += lanes[l + width] }
                    }
                    out[i * m + j] = Double(lanes[0])
                } else if dtype == .float32 {
                    var acc: Float = 0
                    for p in 0..<k { acc = acc.addingProduct(Float(va[i * k + p]), Float(vb[p * m + j])) }
                    out[i * m + j] = Double(acc)
                } else {
                    var acc = 0.0
                    for p in 0..<k { acc = acc.addingProduct(va[i * k + p], vb[p * m + j]) }
                    out[i * m + j] = dtype.cast(acc)
                }
            }
        }
        return make(a, out, [n, m], dtype)
    }

    static func dot(_ a: Tensor, _ b: Tensor) -> Tensor {
        let va = a.contiguousValues()
        let vb = b.contiguousValues()
        var acc = 0.0
        for i in 0..<va.count { acc += va[i] * vb[i] }
        let dtype = promote(a, b)
        return make(a, [dtype.cast(acc)], [], dtype)
    }

    static func mv(_ a: Tensor, _ v: Tensor) -> Tensor {
        let column = reshape(v, [v.numel, 1])
        let product = mm(a, column)
        return reshape(product, [a.shape[0]])
    }

    static func outer(_ a: Tensor, _ b: Tensor) -> Tensor {
        mm(reshape(a, [a.numel, 1]), reshape(b, [1, b.numel]))
    }

    static func t(_ a: Tensor) -> Tensor { a.dim < 2 ? a : transpose(a, 0, 1) }
}
