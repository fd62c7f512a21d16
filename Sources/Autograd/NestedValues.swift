/// Nested Python lists of numbers: the input of `torch.tensor(...)` and the output of `tolist()`.
public indirect enum NestedValues: Hashable, Sendable {
    case scalar(Scalar)
    case list([NestedValues])

    /// The shape of a rectangular nesting, or PyTorch's ValueError for a ragged one.
    func inferShape() throws -> [Int] {
        guard case .list(let items) = self else { return [] }
        guard let first = items.first else { return [0] }
        let inner = try first.inferShape()
        for item in items.dropFirst() {
            let shape = try item.inferShape()
            if shape != inner {
                let got: Int
                if case .list(let sub) = item { got = sub.count } else { got = 0 }
                if inner.isEmpty || shape.isEmpty {
                    throw AutogradError.typeError(
                        inner.isEmpty ? "'list' object is not a number" : "expected sequence of length \(inner[0]) at dim 1 (got \(got))")
                }
                throw AutogradError.valueError("expected sequence of length \(inner[0]) at dim 1 (got \(got))")
            }
        }
        return [items.count] + inner
    }

    /// The leaves in row-major order.
    var flattened: [Scalar] {
        switch self {
        case .scalar(let s): [s]
        case .list(let items): items.flatMap(\.flattened)
        }
    }

    /// `tolist()` of row-major `values` with `shape` and `dtype`.
    static func from(_ values: [Double], shape: [Int], dtype: DType) -> NestedValues {
        guard let size = shape.first else { return .scalar(.from(values.first ?? 0, dtype: dtype)) }
        let rest = Array(shape.dropFirst())
        let chunk = rest.reduce(1, *)
        return .list((0..<size).map { i in
            from(Array(values[(i * chunk)..<((i + 1) * chunk)]), shape: rest, dtype: dtype)
        })
    }
}
