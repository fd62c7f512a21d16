/// Formats tensor values and shapes the way a PyTorch user reads them.
public enum ValueFormat {
    /// `[2, 3]`, or `[]` for a scalar.
    public static func shape(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// One value in PyTorch's print style: `2.`, `0.5000`, `3`, `True`, and `1.2346e+30` from 1e8
    /// up (a recorded `torch.empty` previews whatever memory it got, so any double must format).
    public static func value(_ value: Double, dtype: String) -> String {
        switch dtype {
        case "bool":
            return value != 0 ? "True" : "False"
        case "int64", "int32", "int16", "int8", "uint8":
            return abs(value) < Self.intLimit ? String(Int(value)) : String(value)
        default:
            if value.isNaN { return "nan" }
            if value.isInfinite { return value < 0 ? "-inf" : "inf" }
            if abs(value) >= 1e8 { return scientific(value) }
            if value == value.rounded() {
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

    /// Doubles below this convert to `Int` without trapping (2^63 is exactly representable).
    private static let intLimit = 9_223_372_036_854_775_808.0

    /// `value` (finite, at least 1 in magnitude) as PyTorch's scientific mode prints it: `-1.2346e+30`.
    private static func scientific(_ value: Double) -> String {
        var mantissa = abs(value), exponent = 0
        while mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        if (mantissa * 10_000).rounded() >= 100_000 {
            mantissa /= 10
            exponent += 1
        }
        let exponentText = exponent < 10 ? "0\(exponent)" : "\(exponent)"
        return fixed(value < 0 ? -mantissa : mantissa, digits: 4) + "e+" + exponentText
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
