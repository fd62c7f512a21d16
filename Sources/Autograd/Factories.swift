import Foundation

/// Tensor factories: `torch.tensor`, `ones`, `zeros`, `full`, `arange`, `eye`, `rand`, `randn` and their `*_like`.
extension Runtime {
    /// `torch.tensor(data, dtype=, requires_grad=)`: infers float32, int64 or bool from the values.
    public func tensor(_ data: NestedValues, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        let shape = try data.inferShape()
        let leaves = data.flattened
        let inferred: DType
        if leaves.contains(where: { if case .float = $0 { true } else { false } }) {
            inferred = .defaultFloat
        } else if leaves.contains(where: { if case .int = $0 { true } else { false } }) {
            inferred = .int64
        } else if leaves.isEmpty {
            inferred = .defaultFloat
        } else {
            inferred = .bool
        }
        let out = dtype ?? inferred
        return try fresh("aten::lift_fresh", leaves.map { out.cast($0.doubleValue) }, shape, out, requiresGrad)
    }

    /// `torch.ones(*shape)`.
    public func ones(_ shape: [Int], dtype: DType = .defaultFloat, requiresGrad: Bool = false) throws -> Tensor {
        try full(shape, value: .int(1), dtype: dtype, requiresGrad: requiresGrad, name: "aten::ones")
    }

    /// `torch.zeros(*shape)`, whose own size check words its error differently from the other factories.
    public func zeros(_ shape: [Int], dtype: DType = .defaultFloat, requiresGrad: Bool = false) throws -> Tensor {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw AutogradError.runtimeError("zeros: Dimension size must be non-negative.")
        }
        return try full(shape, value: .int(0), dtype: dtype, requiresGrad: requiresGrad, name: "aten::zeros")
    }

    /// `torch.full(shape, value)`: the dtype follows the value when none is given (float → float32).
    public func full(_ shape: [Int], value: Scalar, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        try full(shape, value: value, dtype: dtype ?? value.promotionDType, requiresGrad: requiresGrad, name: "aten::full")
    }

    private func full(_ shape: [Int], value: Scalar, dtype: DType, requiresGrad: Bool, name: String) throws -> Tensor {
        try checkShape(shape)
        let count = shape.reduce(1, *)
        return try fresh(name, [Double](repeating: dtype.cast(value.doubleValue), count: count), shape, dtype, requiresGrad)
    }

    /// `torch.arange(start, end, step)`: int64 when all bounds are integers, float32 otherwise.
    public func arange(start: Scalar = .int(0), end: Scalar, step: Scalar = .int(1), dtype: DType? = nil,
                       requiresGrad: Bool = false) throws -> Tensor {
        let allInts = [start, end, step].allSatisfy { if case .float = $0 { false } else { true } }
        let out = dtype ?? (allInts ? .int64 : .defaultFloat)
        let (a, b, s) = (start.doubleValue, end.doubleValue, step.doubleValue)
        guard s != 0 else { throw AutogradError.runtimeError("step must be nonzero") }
        guard (s > 0 && b >= a) || (s < 0 && b <= a) else {
            throw AutogradError.runtimeError("upper bound and lower bound inconsistent with step sign")
        }
        let count = Int((abs(b - a) / abs(s)).rounded(.up))
        let values = (0..<count).map { out.cast(a + Double($0) * s) }
        return try fresh("aten::arange", values, [count], out, requiresGrad)
    }

    /// `torch.eye(n, m)`.
    public func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .defaultFloat, requiresGrad: Bool = false) throws -> Tensor {
        guard n >= 0 else { throw AutogradError.runtimeError("n must be greater or equal to 0, got \(n)") }
        let columns = m ?? n
        guard columns >= 0 else { throw AutogradError.runtimeError("m must be greater or equal to 0, got \(columns)") }
        var values = [Double](repeating: 0, count: n * columns)
        for i in 0..<min(n, columns) { values[i * columns + i] = 1 }
        return try fresh("aten::eye", values, [n, columns], dtype, requiresGrad)
    }

    /// `torch.rand(*shape)`: uniform on [0, 1) from the mt19937 stream, as PyTorch's CPU generator.
    public func rand(_ shape: [Int], dtype: DType = .defaultFloat, requiresGrad: Bool = false) throws -> Tensor {
        try checkShape(shape)
        let values = (0..<shape.reduce(1, *)).map { _ in uniform(dtype) }
        return try fresh("aten::rand", values, shape, dtype, requiresGrad)
    }

    /// `torch.randn(*shape)`: standard normal values by the Box-Muller transform PyTorch's CPU kernel uses.
    public func randn(_ shape: [Int], dtype: DType = .defaultFloat, requiresGrad: Bool = false) throws -> Tensor {
        try checkShape(shape)
        let values = normalValues(count: shape.reduce(1, *), dtype: dtype)
        return try fresh("aten::randn", values, shape, dtype, requiresGrad)
    }

    /// `torch.ones_like(t)`.
    public func onesLike(_ t: Tensor, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        try ones(t.shape, dtype: dtype ?? t.dtype, requiresGrad: requiresGrad)
    }

    /// `torch.zeros_like(t)`.
    public func zerosLike(_ t: Tensor, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        try zeros(t.shape, dtype: dtype ?? t.dtype, requiresGrad: requiresGrad)
    }

    /// `torch.full_like(t, value)`.
    public func fullLike(_ t: Tensor, value: Scalar, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        try full(t.shape, value: value, dtype: dtype ?? t.dtype, requiresGrad: requiresGrad)
    }

    /// `torch.rand_like(t)`.
    public func randLike(_ t: Tensor, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        try rand(t.shape, dtype: dtype ?? t.dtype, requiresGrad: requiresGrad)
    }

    /// `torch.randn_like(t)`.
    public func randnLike(_ t: Tensor, dtype: DType? = nil, requiresGrad: Bool = false) throws -> Tensor {
        try randn(t.shape, dtype: dtype ?? t.dtype, requiresGrad: requiresGrad)
    }

    // MARK: Helpers

    private func checkShape(_ shape: [Int]) throws {
        if let negative = shape.first(where: { $0 < 0 }) {
            throw AutogradError.runtimeError("Trying to create tensor with negative dimension \(negative): \(Messages.sizes(shape))")
        }
    }

    /// Creates a new leaf, recording it as the output of the factory op `name`.
    private func fresh(_ name: String, _ values: [Double], _ shape: [Int], _ dtype: DType, _ requiresGrad: Bool) throws -> Tensor {
        if requiresGrad && !dtype.isFloatingPoint {
            throw AutogradError.runtimeError(Messages.onlyFloatComplexRequiresGrad)
        }
        return recordOp(name, inputs: []) {
            let t = Tensor(runtime: self, data: values, shape: shape, dtype: dtype)
            t.requiresGradFlag = requiresGrad
            return (t, [t])
        }
    }

    /// One draw of `uniform_real_distribution` on [0, 1) for `dtype`.
    func uniform(_ dtype: DType) -> Double {
        if dtype == .float64 {
            return Double(generator.next64() & ((1 << 53) - 1)) * 0x1p-53
        }
        return Double(Float(generator.next32() & ((1 << 24) - 1)) * 0x1p-24)
    }

    private func normalValues(count: Int, dtype: DType) -> [Double] {
        if count >= 16 {
            var data = (0..<count).map { _ in uniform(dtype) }
            var i = 0
            while i + 16 <= count {
                fillNormal16(&data, at: i, dtype: dtype)
                i += 16
            }
            if count % 16 != 0 {
                for j in (count - 16)..<count { data[j] = uniform(dtype) }
                fillNormal16(&data, at: count - 16, dtype: dtype)
            }
            return data
        }
        return (0..<count).map { _ in dtype.cast(scalarNormal()) }
    }

    /// `normal_distribution<double>`: Box-Muller on two 53-bit uniforms, caching the sine sample.
    private func scalarNormal() -> Double {
        if let next = cachedNormal {
            cachedNormal = nil
            return next
        }
        let u1 = uniform(.float64)
        let u2 = uniform(.float64)
        let r = (-2.0 * log1p(-u2)).squareRoot()
        let theta = 2.0 * Double.pi * u1
        cachedNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// `normal_fill_16`: Box-Muller over 16 uniforms in place; float32 follows the AVX2 kernel.
    private func fillNormal16(_ data: inout [Double], at start: Int, dtype: DType) {
        for j in 0..<8 {
            if dtype == .float32 {
                let u1 = 1 - Float(data[start + j])
                let u2 = Float(data[start + j + 8])
                let radius = (-2 * AVXMathFun.log(u1)).squareRoot()
                let (sinTheta, cosTheta) = AVXMathFun.sincos(Float(2.0 * Double.pi) * u2)
                data[start + j] = Double(radius * cosTheta)
                data[start + j + 8] = Double(radius * sinTheta)
            } else {
                let u1 = 1 - data[start + j]
                let u2 = data[start + j + 8]
                let radius = (-2 * log(u1)).squareRoot()
                let theta = 2.0 * Double.pi * u2
                data[start + j] = radius * cos(theta)
                data[start + j + 8] = radius * sin(theta)
            }
        }
    }
}
