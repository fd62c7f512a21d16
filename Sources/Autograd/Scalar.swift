/// A Python number used as an operand or a tensor element: `True`, `3` or `2.5`.
public enum Scalar: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    case float(Double)

    /// The value as a Double, the representation tensors store.
    public var doubleValue: Double {
        switch self {
        case .bool(let b): b ? 1 : 0
        case .int(let i): Double(i)
        case .float(let d): d
        }
    }

    /// The dtype PyTorch gives a wrapped Python number (`2.0` → float64, `2` → int64).
    var wrappedDType: DType {
        switch self {
        case .bool: .bool
        case .int: .int64
        case .float: .float64
        }
    }

    /// The dtype the number has in type promotion: a Python float counts as the default float dtype.
    var promotionDType: DType {
        switch self {
        case .float: .defaultFloat
        default: wrappedDType
        }
    }

    /// Reads a stored element of a tensor of `dtype` back as a Python value.
    static func from(_ v: Double, dtype: DType) -> Scalar {
        switch dtype {
        case .bool: .bool(v != 0)
        case .int64: .int(Int64(v))
        case .float32, .float64: .float(v)
        }
    }
}

/// An operand of a binary op: a tensor, or a Python number that PyTorch wraps into a 0-dim tensor.
public enum Operand {
    case tensor(Tensor)
    case scalar(Scalar)
}

extension Operand: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(floatLiteral value: Double) { self = .scalar(.float(value)) }
    public init(integerLiteral value: Int64) { self = .scalar(.int(value)) }
    public init(booleanLiteral value: Bool) { self = .scalar(.bool(value)) }
}
