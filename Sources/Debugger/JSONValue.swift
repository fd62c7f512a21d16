/// A JSON document with object keys kept in insertion order, and a small encoder for it, so that
/// `explain --json` output is stable and byte-for-byte reproducible.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case unsigned(UInt64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.rendered(indent: nil) == rhs.rendered(indent: nil)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rendered(indent: nil))
    }

    /// The JSON text, indented by `indent` spaces per level, or on one line when nil.
    public func rendered(indent: Int? = 2) -> String {
        var output = ""
        write(to: &output, indent: indent, level: 0)
        return output
    }

    private func write(to output: inout String, indent: Int?, level: Int) {
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .int(value): output += String(value)
        case let .unsigned(value): output += String(value)
        case let .string(value): Self.writeString(value, to: &output)
        case let .array(items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "["
            for (i, item) in items.enumerated() {
                if i > 0 { output += "," }
                Self.newline(&output, indent: indent, level: level + 1)
                item.write(to: &output, indent: indent, level: level + 1)
            }
            Self.newline(&output, indent: indent, level: level)
            output += "]"
        case let .object(members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { output += "," }
                Self.newline(&output, indent: indent, level: level + 1)
                Self.writeString(key, to: &output)
                output += indent == nil ? ":" : ": "
                value.write(to: &output, indent: indent, level: level + 1)
            }
            Self.newline(&output, indent: indent, level: level)
            output += "}"
        }
    }

    private static func newline(_ output: inout String, indent: Int?, level: Int) {
        guard let indent else { return }
        output += "\n" + String(repeating: " ", count: indent * level)
    }

    /// Writes a JSON string literal: quotes, backslashes and every `isTerminalUnsafe` character
    /// escaped (`\u001b`, `\u202e`), so a report printed on a terminal cannot drive it.
    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.isTerminalUnsafe {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
