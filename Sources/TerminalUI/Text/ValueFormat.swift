/// Formats tensor values and shapes the way a PyTorch user reads them.
public enum ValueFormat {
    /// `[2, 3]`, or `[]` for a scalar.
    public static func shape(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// One value in PyTorch's print style: `2.`, `0.5000`, `3`, `True`.
    public static func value(_ value: Double, dtype: String) -> String {
        switch dtype {
        case "bool":
            return value != 0 ? "True" : "False"
        case "int64", "int32", "int16", "int8", "uint8":
            return value.isFinite ? String(Int(value)) : String(value)
        default:
            if value.isNaN { return "nan" }
            if value.isInfinite { return value < 0 ? "-inf" : "inf" }
            if value == value.rounded(), abs(value) < 1e15 {
                return String(Int(value)) + "."
            }
            return fixed(value, digits: 4)
        }
    }

    /// A flat preview: `[2., 2., 2., …]`, marked as cut when the tape kept fewer values than the tensor has.
    public static func preview(_ values: [Double], dtype: String, numel: Int, limit: Int = 8, ellipsis: String = "…") -> String {
        if values.isEmpty {
            return numel == 0 ? "[]" : ellipsis
        }
        let shown = values.prefix(limit).map { value($0, dtype: dtype) }
        let cut = values.count > limit || values.count < numel
        return "[" + shown.joined(separator: ", ") + (cut ? ", \(ellipsis)]" : "]")
    }

    private static func fixed(_ value: Double, digits: Int) -> String {
        let scale = Double(10 * 10 * 10 * 10)
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled.truncatingRemainder(dividingBy: scale))
        let digitsText = String(fraction)
        let padded = String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
        return (value < 0 ? "-" : "") + "\(whole).\(padded)"
    }
}
