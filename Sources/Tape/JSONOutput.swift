/// JSON text being built byte by byte for the trace writer.
struct JSONOutput {
    var bytes: [UInt8] = []

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`... or `\u00XX`,
    /// everything else as UTF-8.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20, 0x7F:
                raw("\\u00")
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0xF))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    mutating func int(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        uint(UInt64(value.magnitude))
    }

    mutating func uint(_ value: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: buffer[(20 - count)..<20])
        }
    }

    /// A double as the shortest text that reads back to the same value: integral values below
    /// 2^53 as integers (`1`, not `1.0`), non-finite ones as the strings `"nan"`, `"inf"`, `"-inf"`.
    mutating func double(_ value: Double) {
        if value.isNaN { return raw("\"nan\"") }
        if value.isInfinite { return raw(value < 0 ? "\"-inf\"" : "\"inf\"") }
        if value == value.rounded(.towardZero) && value.magnitude < 9_007_199_254_740_992
            && !(value == 0 && value.sign == .minus) {
            return int(Int(value))
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    mutating func ints(_ values: [Int]) {
        list(values) { $0.int($1) }
    }

    mutating func doubles(_ values: [Double]) {
        list(values) { $0.double($1) }
    }

    /// `[[a,b],...]`, or just `[a,b]` for one pair when `bare`.
    mutating func pairs(_ values: [(Int, Int)], bare: Bool = false) {
        if !bare { bytes.append(UInt8(ascii: "[")) }
        for (index, (first, second)) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            int(first)
            bytes.append(UInt8(ascii: ","))
            int(second)
            bytes.append(UInt8(ascii: "]"))
        }
        if !bare { bytes.append(UInt8(ascii: "]")) }
    }

    mutating func list<T>(_ values: [T], _ element: (inout JSONOutput, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
