/// Python's format specification mini-language: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var zeroPad = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    /// Parses a spec; nil when it is malformed.
    init?(_ text: String) {
        var chars = Array(text)[...]
        if chars.count >= 2, "<>=^".contains(chars[chars.startIndex + 1]) {
            fill = chars.removeFirst()
            align = chars.removeFirst()
        } else if let c = chars.first, "<>=^".contains(c) {
            align = chars.removeFirst()
        }
        if let c = chars.first, "+- ".contains(c) { sign = chars.removeFirst() }
        if chars.first == "z" { chars.removeFirst() }
        if chars.first == "#" { alternate = true; chars.removeFirst() }
        if chars.first == "0" {
            zeroPad = true
            chars.removeFirst()
        }
        var widthText = ""
        while let c = chars.first, c.isASCII, c.isNumber { widthText.append(chars.removeFirst()) }
        width = Int(widthText) ?? 0
        if let c = chars.first, c == "," || c == "_" { grouping = chars.removeFirst() }
        if chars.first == "." {
            chars.removeFirst()
            var digits = ""
            while let c = chars.first, c.isASCII, c.isNumber { digits.append(chars.removeFirst()) }
            guard let p = Int(digits) else { return nil }
            precision = p
        }
        if let c = chars.first {
            type = chars.removeFirst()
            _ = c
        }
        if !chars.isEmpty { return nil }
        if zeroPad && align == nil {
            fill = "0"
            align = "="
        }
    }

    /// Pads `body` (already signed) to the width with the fill and alignment.
    func pad(_ body: String, defaultAlign: Character) -> String {
        let count = body.count
        guard width > count else { return body }
        let padding = width - count
        switch align ?? defaultAlign {
        case "<": return body + String(repeating: fill, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fill, count: left) + body + String(repeating: fill, count: padding - left)
        case "=":
            var digits = Substring(body)
            var prefix = ""
            if let first = digits.first, "+- ".contains(first) { prefix.append(digits.removeFirst()) }
            return prefix + String(repeating: fill, count: padding) + digits
        default: return String(repeating: fill, count: padding) + body
        }
    }

    /// Inserts thousands separators into the integer part of a digit string.
    func group(_ digits: String) -> String {
        guard let separator = grouping else { return digits }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var out = ""
        for (i, c) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { out.append(separator) }
            out.append(c)
        }
        if parts.count > 1 { out += "." + parts[1] }
        return out
    }

    func signed(_ body: String, negative: Bool) -> String {
        if negative { return "-" + body }
        switch sign {
        case "+": return "+" + body
        case " ": return " " + body
        default: return body
        }
    }
}
