/// How many terminal columns text occupies, computed in pure Swift so frames are deterministic.
///
/// Follows `wcwidth`: control characters and combining marks take no column, East Asian wide and
/// fullwidth characters and emoji presentation take two, everything else one.
public enum TextWidth {
    /// The columns one grapheme occupies.
    public static func of(_ character: Character) -> Int {
        // One ASCII byte, or CR LF (whose CR, a control, decides).
        if character.isASCII, let byte = character.utf8.first {
            return of(ascii: byte)
        }
        var width = 0
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F {
                return 2
            }
            if width == 0 {
                width = of(scalar)
            }
        }
        return width
    }

    /// The columns `text` occupies, measured grapheme by grapheme as `Buffer.write` draws it
    /// (`Graphemes`: ASCII a byte at a time).
    public static func of(_ text: String) -> Int {
        var total = 0
        Graphemes.forEach(in: text) { grapheme, _ in
            total += grapheme.columns
            return true
        }
        return total
    }

    /// The columns an ASCII byte drawn on its own takes: one, none for a control.
    static func of(ascii byte: UInt8) -> Int {
        byte >= 0x20 && byte != 0x7F ? 1 : 0
    }

    /// The columns one scalar occupies on its own.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        scalar.value < 0x10000 ? Int(basicPlane[Int(scalar.value)]) : measure(scalar)
    }

    /// The widths of the Basic Multilingual Plane, computed once: Unicode property lookups are far
    /// too slow to make for every cell of every frame.
    private static let basicPlane: [UInt8] = (0..<0x10000).map { value in
        Unicode.Scalar(UInt32(value)).map { UInt8(measure($0)) } ?? 1
    }

    private static func measure(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) {
            return 0
        }
        if value < 0x300 {
            return 1
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return 0
        default:
            break
        }
        if value == 0x200B || (value >= 0x1160 && value <= 0x11FF) {
            return 0
        }
        return isWide(value) || scalar.properties.isEmojiPresentation ? 2 : 1
    }

    /// Clips `text` to at most `columns` columns, ending in `ellipsis` when something was cut.
    public static func truncate(_ text: String, to columns: Int, ellipsis: String = "…") -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns {
            return text
        }
        let room = columns - of(ellipsis)
        guard room >= 0 else { return String(text.prefix(columns)) }
        var result = ""
        var used = 0
        for character in text {
            let width = of(character)
            if used + width > room {
                break
            }
            result.append(character)
            used += width
        }
        return result + ellipsis
    }

    /// Pads `text` with spaces on the right (or clips it) to exactly `columns` columns.
    public static func pad(_ text: String, to columns: Int, ellipsis: String = "…") -> String {
        let clipped = truncate(text, to: columns, ellipsis: ellipsis)
        let width = of(clipped)
        return width < columns ? clipped + String(repeating: " ", count: columns - width) : clipped
    }

    /// Pads `text` with spaces on the left to `columns` columns (right-aligned).
    public static func padLeft(_ text: String, to columns: Int) -> String {
        let width = of(text)
        return width < columns ? String(repeating: " ", count: columns - width) + text : text
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
