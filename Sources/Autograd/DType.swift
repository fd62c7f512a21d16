import Tape
import TorchRules
/// A tensor's element type, limited to the dtypes tapedeck's Python subset uses.
public enum DType: String, Sendable, CaseIterable {
    case bool
    case int64
    case float32
    case float64

    /// PyTorch's default floating dtype (`torch.get_default_dtype()`).
    public static let defaultFloat = DType.float32

    /// Whether the dtype is floating point, the only kind that can require gradients.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// The Python spelling, such as `torch.float32`.
    public var pythonName: String {
        switch self {
        case .bool: "torch.bool"
        case .int64: "torch.int64"
        case .float32: "torch.float32"
        case .float64: "torch.float64"
        }
    }

    /// The legacy CPU type string PyTorch prints in version errors (`torch.FloatTensor`, `CPUBoolType`).
    public var legacyTypeString: String { AutogradMessage.legacyTypeString(dtype: rawValue) }

    /// The C++ scalar type name used in some messages (`float`, `double`, `long int`, `bool`).
    var cppName: String {
        switch self {
        case .bool: "bool"
        case .int64: "long int"
        case .float32: "float"
        case .float64: "double"
        }
    }

    /// Whether an in-place op may write a result of this dtype into `target` (`c10::canCast`):
    /// never floating into integral, never a non-bool into bool.
    func canCast(to target: DType) -> Bool {
        if isFloatingPoint && !target.isFloatingPoint { return false }
        if self != .bool && target == .bool { return false }
        return true
    }

    /// Promotion between two dtypes (`torch.promote_types`): bool < int64 < float32 < float64.
    public static func promote(_ a: DType, _ b: DType) -> DType {
        order(a) >= order(b) ? a : b
    }

    private static func order(_ d: DType) -> Int {
        switch d {
        case .bool: 0
        case .int64: 1
        case .float32: 2
        case .float64: 3
        }
    }

    /// Converts a value into this dtype's domain (float32 rounding, integer truncation, bool test).
    func cast(_ v: Double) -> Double {
        switch self {
        case .float64: v
        case .float32: Double(Float(v))
        case .int64: v.isFinite ? v.rounded(.towardZero) : 0
        case .bool: v != 0 ? 1 : 0
        }
    }
}
