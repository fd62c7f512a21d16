/// A minimal recursive-descent JSON parser for `ReferenceTraceReader`: values as a plain enum,
/// numbers kept as their text so they convert with Swift's correctly rounded `Double(_:)`.
enum ReferenceJSON: Equatable {
    case null, bool(Bool), number(String), string(String), array([ReferenceJSON]), object([String: ReferenceJSON])

    struct Invalid: Error {}

    static func parse(_ bytes: ArraySlice<UInt8>) throws -> ReferenceJSON {
        var parser = Parser(bytes: Array(bytes))
        let value = try parser.value()
        parser.spaces()
        guard parser.position == parser.bytes.count else { throw Invalid() }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func spaces() {
            while position < bytes.count, [0x20, 0x09, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func next() throws -> UInt8 {
            guard position < bytes.count else { throw Invalid() }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func literal(_ word: String) throws {
            for byte in word.utf8 where try next() != byte { throw Invalid() }
        }

        mutating func value() throws -> ReferenceJSON {
            spaces()
            guard position < bytes.count else { throw Invalid() }
            switch bytes[position] {
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                position += 1
                var items: [ReferenceJSON] = []
                spaces()
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                repeat { items.append(try value()); spaces() } while try next() == UInt8(ascii: ",")
                guard bytes[position - 1] == UInt8(ascii: "]") else { throw Invalid() }
                return .array(items)
            case UInt8(ascii: "{"):
                position += 1
                var fields: [String: ReferenceJSON] = [:]
                spaces()
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(fields) }
                repeat {
                    spaces()
                    let key = try string()
                    spaces()
                    guard try next() == UInt8(ascii: ":") else { throw Invalid() }
                    fields[key] = try value()
                    spaces()
                } while try next() == UInt8(ascii: ",")
                guard bytes[position - 1] == UInt8(ascii: "}") else { throw Invalid() }
                return .object(fields)
            default:
                let start = position
                while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
                guard position > start else { throw Invalid() }
                return .number(String(decoding: bytes[start..<position], as: UTF8.self))
            }
        }

        mutating func string() throws -> String {
            guard try next() == UInt8(ascii: "\"") else { throw Invalid() }
            var units: [UInt8] = []
            while true {
                let byte = try next()
                if byte == UInt8(ascii: "\"") { return String(decoding: units, as: UTF8.self) }
                guard byte == UInt8(ascii: "\\") else { units.append(byte); continue }
                let escape = try next()
                switch escape {
                case UInt8(ascii: "n"): units.append(10)
                case UInt8(ascii: "t"): units.append(9)
                case UInt8(ascii: "r"): units.append(13)
                case UInt8(ascii: "b"): units.append(8)
                case UInt8(ascii: "f"): units.append(12)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), bytes[position...].starts(with: Array("\\u".utf8)) {
                        position += 2
                        let low = try hex4()
                        scalar = (0xDC00..<0xE000).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                    }
                    units += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: units.append(escape)
                }
            }
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = UInt32(String(UnicodeScalar(try next())), radix: 16) else { throw Invalid() }
                value = value * 16 + digit
            }
            return value
        }
    }
}
