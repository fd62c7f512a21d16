import Foundation

/// Python's float formatting: `repr` (shortest round-trip) and the `format()` mini-language types.
enum FloatFormat {
    /// `repr(x)`: the shortest digits that round-trip, fixed notation when `-4 <= exponent < 16`.
    static func repr(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
        let (digits, pointPosition) = shortestDigits(abs(x))
        let sign = x < 0 ? "-" : ""
        if pointPosition <= -4 || pointPosition > 16 {
            return sign + scientific(digits, exponent: pointPosition - 1)
        }
        return sign + fixed(digits, pointPosition: pointPosition, minimumFraction: 1)
    }

    /// The shortest round-trip digits of a positive finite `x` and the decimal point's position:
    /// `x == 0.d1d2d3... * 10^pointPosition`.
    static func shortestDigits(_ x: Double) -> (digits: [Character], pointPosition: Int) {
        let text = x.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: ""))!
        }
        var digits: [Character] = []
        var pointPosition = 0
        var seenPoint = false
        for c in mantissa {
            if c == "." { seenPoint = true; continue }
            digits.append(c)
            if !seenPoint { pointPosition += 1 }
        }
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, pointPosition + exponent)
    }

    private static func scientific(_ digits: [Character], exponent: Int) -> String {
        var out = String(digits[0])
        if digits.count > 1 { out += "." + String(digits[1...]) }
        return out + exponentSuffix(exponent)
    }

    static func exponentSuffix(_ exponent: Int) -> String {
        let magnitude = abs(exponent)
        return "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
    }

    private static func fixed(_ digits: [Character], pointPosition: Int, minimumFraction: Int) -> String {
        if pointPosition <= 0 {
            return "0." + String(repeating: "0", count: -pointPosition) + String(digits)
        }
        if pointPosition >= digits.count {
            return String(digits) + String(repeating: "0", count: pointPosition - digits.count) + "." + String(repeating: "0", count: minimumFraction)
        }
        return String(digits[..<pointPosition]) + "." + String(digits[pointPosition...])
    }

    /// `format(x, ".{precision}f")`, correctly rounded like CPython (glibc's printf is exact).
    static func fixed(_ x: Double, precision: Int) -> String {
        if !x.isFinite { return repr(x) }
        return String(format: "%.\(precision)f", x)
    }

    /// `format(x, ".{precision}e")`.
    static func exponential(_ x: Double, precision: Int) -> String {
        if !x.isFinite { return repr(x) }
        return String(format: "%.\(precision)e", x)
    }

    /// `format(x, ".{precision}g")`, with `alternate` (`#`) keeping trailing zeros.
    static func general(_ x: Double, precision: Int, alternate: Bool = false) -> String {
        if !x.isFinite { return repr(x) }
        let p = max(precision, 1)
        return String(format: alternate ? "%#.\(p)g" : "%.\(p)g", x)
    }

    /// `format(x, "")` with a precision but no type: like `g` but always showing a decimal point or exponent.
    static func noTypeWithPrecision(_ x: Double, precision: Int) -> String {
        if !x.isFinite { return repr(x) }
        let text = general(x, precision: precision)
        if text.contains(".") || text.contains("e") { return text }
        return text + ".0"
    }

    /// `round(x, ndigits)`: rounds the exact binary value half-to-even at `ndigits` decimals.
    static func round(_ x: Double, digits: Int) -> Double {
        if !x.isFinite || x == 0 { return x }
        if digits > 22 { return x }
        if digits >= 0 {
            return Double(String(format: "%.\(digits)f", x)) ?? x
        }
        let scale = pow(10.0, Double(-digits))
        if !scale.isFinite { return 0.0 * x }
        let result = (x / scale).rounded(.toNearestOrEven) * scale
        return result == 0 ? 0.0 * x : result
    }
}
