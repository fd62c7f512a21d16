/// PyTorch's result-type rule (`at::result_type`): dimensioned tensors outrank 0-dim tensors,
/// which outrank Python numbers, unless a lower-ranked operand is of a higher category
/// (bool < integer < floating). A Python float counts as the default dtype, float32.
enum TypePromotion {
    static func resultType(_ operands: [Operand]) -> DType {
        var dimResult: DType?
        var zeroResult: DType?
        var wrappedResult: DType?
        for operand in operands {
            switch operand {
            case .tensor(let t):
                if t.dim > 0 {
                    dimResult = dimResult.map { DType.promote($0, t.dtype) } ?? t.dtype
                } else {
                    zeroResult = zeroResult.map { DType.promote($0, t.dtype) } ?? t.dtype
                }
            case .scalar(let s):
                wrappedResult = wrappedResult.map { DType.promote($0, s.promotionDType) } ?? s.promotionDType
            }
        }
        return combine(dimResult, combine(zeroResult, wrappedResult)) ?? .defaultFloat
    }

    private static func combine(_ higher: DType?, _ lower: DType?) -> DType? {
        guard let higher else { return lower }
        guard let lower else { return higher }
        if higher.isFloatingPoint { return higher }
        if higher == .bool || lower.isFloatingPoint { return DType.promote(higher, lower) }
        return higher
    }

    /// The name PyTorch's cast errors use (`Float`, `Long`).
    static func castName(_ d: DType) -> String {
        switch d {
        case .bool: "Bool"
        case .int64: "Long"
        case .float32: "Float"
        case .float64: "Double"
        }
    }
}
