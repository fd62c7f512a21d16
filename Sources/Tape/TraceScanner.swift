/// A byte-level JSON scanner over a trace file in memory: the reader's only parser (no
/// Foundation), reading values straight from the bytes and tracking the 1-based line for errors.
///
/// Whitespace skipping stops at `\n`, since a trace line ends there; strings may not contain a
/// raw newline (JSON requires control characters to be escaped), so lines are unambiguous.
struct TraceScanner {
    /// How deep arrays and objects may nest in a skipped value.
    static let maxDepth = 64

    let base: UnsafePointer<UInt8>
    let count: Int
    let file: String
    var position = 0
    var line = 1
    /// Where a string with escapes is decoded; valid until the next `string` call.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 256

    init(base: UnsafePointer<UInt8>, count: Int, file: String) {
        self.base = base
        self.count = count
        self.file = file
        scratch = .allocate(capacity: scratchCapacity)
    }

    func deallocate() { scratch.deallocate() }

    // MARK: Position

    var atEnd: Bool { position >= count }

    /// The current byte, 0 at the end of the file.
    @inline(__always)
    var byte: UInt8 { position < count ? base[position] : 0 }

    func fail(_ message: String) -> TraceError {
        .malformed(file: file, line: line, message: message)
    }

    /// What is at the current position, for messages: `found ','`, `found end of line`.
    var found: String {
        if atEnd { return "found end of file" }
        let byte = base[position]
        if byte == UInt8(ascii: "\n") { return "found end of line" }
        if byte >= 0x20 && byte < 0x7F { return "found '\(Character(Unicode.Scalar(byte)))'" }
        return "found byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    @inline(__always)
    mutating func skipSpaces() {
        while position < count {
            let byte = base[position]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { return }
            position += 1
        }
    }

    /// The 16 bytes at the position as two little-endian words; nil when fewer remain.
    @inline(__always)
    func words() -> (UInt64, UInt64)? {
        guard count &- position >= 16 else { return nil }
        let raw = UnsafeRawPointer(base + position)
        return (UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// At `{"k":"NAME",` with NAME of 1 to 7 plain bytes (no escape, no control character):
    /// NAME packed as `TraceField.pack` packs it and how many bytes up to and including the
    /// comma; nil otherwise. Does not move.
    @inline(__always)
    func kindOpening() -> (name: UInt64, length: Int)? {
        guard let (low, high) = words(), low & 0xFFFF_FFFF_FFFF == Self.kindOpeningBytes else { return nil }
        let name = low >> 48 | high << 16
        let special = Self.specialBytes(name)
        let index = special.trailingZeroBitCount >> 3
        guard special != 0, index != 0, base[position + 6 + index] == UInt8(ascii: "\""),
              base[position + 7 + index] == UInt8(ascii: ",")
        else { return nil }
        return (name & ((1 &<< UInt64(index &* 8)) &- 1), index + 8)
    }

    /// `{"k":"` (7B 22 6B 22 3A 22) as a little-endian word.
    private static let kindOpeningBytes: UInt64 = 0x22_3A22_6B22_7B

    /// Consumes `byte` after optional spaces (`consume`), or fails with "expected `what`".
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(TraceError) {
        guard consume(byte) else { throw fail("expected \(what()), \(found)") }
    }

    /// Consumes `byte` after optional spaces if it is there. The byte is tested before any space
    /// is looked for: writers put none.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        if position < count && base[position] == byte {
            position += 1
            return true
        }
        skipSpaces()
        guard position < count && base[position] == byte else { return false }
        position += 1
        return true
    }

    /// Consumes the rest of the line after a complete object: spaces, then `\n` or the end of the file.
    mutating func endLine() throws(TraceError) {
        skipSpaces()
        if atEnd { return }
        guard base[position] == UInt8(ascii: "\n") else { throw fail("expected the end of the line after the object, \(found)") }
        position += 1
        line += 1
    }

    /// Skips lines holding only spaces.
    mutating func skipBlankLines() {
        while true {
            let start = position
            skipSpaces()
            guard position < count && base[position] == UInt8(ascii: "\n") else {
                position = start
                return
            }
            position += 1
            line += 1
        }
    }

    // MARK: Literals

    /// Consumes the keyword `word` (`true`, `null`, `NaN`...) if it is next.
    mutating func keyword(_ word: StaticString) -> Bool {
        skipSpaces()
        let length = word.utf8CodeUnitCount
        guard count - position >= length, memoryEqual(base + position, word.utf8Start, length) else { return false }
        position += length
        return true
    }

    /// Reads `true` or `false`.
    mutating func bool(_ what: @autoclosure () -> String) throws(TraceError) -> Bool {
        if keyword("true") { return true }
        if keyword("false") { return false }
        throw fail("\(what()) must be true or false, \(found)")
    }

    // MARK: Strings

    /// Reads a JSON string and returns its UTF-8 bytes (with escapes decoded), valid until the next call.
    mutating func string(_ what: @autoclosure () -> String) throws(TraceError) -> UnsafeBufferPointer<UInt8> {
        skipSpaces()
        guard position < count && base[position] == UInt8(ascii: "\"") else {
            throw fail("\(what()) must be a string, \(found)")
        }
        position += 1
        let start = position
        while position < count {
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return UnsafeBufferPointer(start: base + start, count: position - 1 - start)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            position += 1
        }
        return try escapedString(from: start)
    }

    /// Reads an object key, packed as `TraceField.pack` packs it (0 for keys no field has).
    @inline(__always)
    mutating func key() throws(TraceError) -> UInt64 {
        skipSpaces()
        guard position < count && base[position] == UInt8(ascii: "\"") else {
            throw fail("expected a key (a string), \(found)")
        }
        if let packed = shortString() { return packed }
        return TraceField.pack(try string("a key"))
    }

    /// Reads a string value packed as `TraceField.pack` packs it (an event kind's name).
    @inline(__always)
    mutating func packedString(_ what: @autoclosure () -> String) throws(TraceError) -> UInt64 {
        skipSpaces()
        if position < count && base[position] == UInt8(ascii: "\""), let packed = shortString() { return packed }
        return TraceField.pack(try string(what()))
    }

    /// At an opening quote: a string of at most 7 plain bytes (no escape, no control
    /// character) packed, its closing quote consumed; nil, the position unchanged, for any
    /// other string. The closing quote is found among the 8 bytes after the opening one at
    /// once (SWAR, as in simdjson), not with a branch per byte.
    @inline(__always)
    private mutating func shortString() -> UInt64? {
        guard count - position > 8 else { return nil }
        let word = UInt64(littleEndian: UnsafeRawPointer(base + position + 1).loadUnaligned(as: UInt64.self))
        let special = Self.specialBytes(word)
        guard special != 0 else { return nil }
        let index = special.trailingZeroBitCount >> 3
        guard base[position + 1 + index] == UInt8(ascii: "\"") else { return nil }
        position += index + 2
        return word & ((1 &<< UInt64(index &* 8)) &- 1)
    }

    /// The high bit set in the lowest byte of `word` that is `"`, `\\` or a control character
    /// (and possibly in bytes after it); 0 when no byte is.
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22), backslashes = word ^ (ones &* 0x5C)
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    private mutating func reserveScratch(_ needed: Int) {
        guard needed > scratchCapacity else { return }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, scratchCapacity * 2))
        larger.initialize(from: scratch, count: scratchCapacity)
        scratch.deallocate()
        scratch = larger
        scratchCapacity = max(needed, scratchCapacity * 2)
    }

    /// The slow path of `string`: copies what was scanned so far, then decodes escapes.
    private mutating func escapedString(from start: Int) throws(TraceError) -> UnsafeBufferPointer<UInt8> {
        var length = position - start
        reserveScratch(length + 16)
        scratch.initialize(from: base + start, count: length)
        while true {
            guard position < count else { throw fail("expected '\"' to close the string, found end of file") }
            let byte = base[position]
            reserveScratch(length + 4)
            if byte == UInt8(ascii: "\"") {
                position += 1
                return UnsafeBufferPointer(start: scratch, count: length)
            }
            if byte == UInt8(ascii: "\n") { throw fail("expected '\"' to close the string before the end of the line") }
            if byte < 0x20 {
                throw fail("expected control character 0x\(String(byte, radix: 16, uppercase: true)) to be escaped in string")
            }
            position += 1
            guard byte == UInt8(ascii: "\\") else {
                scratch[length] = byte
                length += 1
                continue
            }
            let escape = self.byte
            position += 1
            let decoded: UInt8
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = escape
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"):
                length += encodeUTF8(try unicodeEscape(), at: scratch + length)
                continue
            default:
                position -= 1
                throw fail("expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) after '\\' in string, \(found)")
            }
            scratch[length] = decoded
            length += 1
        }
    }

    /// The scalar of a `\uXXXX` escape (after the `u`), joining a surrogate pair; a lone
    /// surrogate becomes U+FFFD, as Swift strings cannot hold one.
    private mutating func unicodeEscape() throws(TraceError) -> UInt32 {
        let unit = try hex4()
        guard (0xD800..<0xE000).contains(unit) else { return unit }
        guard unit < 0xDC00, count - position >= 6, base[position] == UInt8(ascii: "\\"),
              base[position + 1] == UInt8(ascii: "u")
        else { return 0xFFFD }
        let saved = position
        position += 2
        let low = try hex4()
        guard (0xDC00..<0xE000).contains(low) else {
            position = saved
            return 0xFFFD
        }
        return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
    }

    private mutating func hex4() throws(TraceError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.byte
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("expected 4 hex digits after \\u in string, \(found)")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func encodeUTF8(_ scalar: UInt32, at out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18)
            out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    // MARK: Numbers

    /// Reads an integer that fits in `Int`.
    @inline(__always)
    mutating func int(_ what: @autoclosure () -> String) throws(TraceError) -> Int {
        skipSpaces()
        let negative = byte == UInt8(ascii: "-")
        if negative { position += 1 }
        let magnitude = try digits(what())
        guard magnitude <= (negative ? 1 << 63 : UInt64(Int.max)) else {
            throw fail("\(what()) is out of range for a 64-bit integer")
        }
        return negative ? Int(truncatingIfNeeded: 0 &- magnitude) : Int(magnitude)
    }

    /// Reads a non-negative integer that fits in `UInt64`.
    mutating func uint64(_ what: @autoclosure () -> String) throws(TraceError) -> UInt64 {
        skipSpaces()
        return try digits(what())
    }

    /// The unsigned integer at the position, rejecting fractions, exponents and overflow.
    @inline(__always)
    private mutating func digits(_ what: @autoclosure () -> String) throws(TraceError) -> UInt64 {
        let start = position
        var p = start
        var value: UInt64 = 0
        // Up to 19 digits cannot overflow. Whatever else ends them than a plain terminator (no
        // digit at all, a 20th digit, a fraction or an exponent) takes the checked path.
        let fastEnd = min(count, start &+ 19)
        while p < fastEnd, case let digit = base[p] &- UInt8(ascii: "0"), digit < 10 {
            value = value &* 10 &+ UInt64(digit)
            p &+= 1
        }
        let next = p < count ? base[p] : 0
        guard p > start, next &- UInt8(ascii: "0") >= 10, next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e") else {
            return try checkedDigits(what())
        }
        position = p
        return value
    }

    /// `digits` for what its fast loop does not take: more than 19 digits, checked for
    /// overflow, or no integer here. Out of line: rare, and it holds the error messages.
    @inline(never)
    private mutating func checkedDigits(_ what: @autoclosure () -> String) throws(TraceError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var overflow = false
        while position < count {
            let digit = base[position] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            value = sum
            overflow = overflow || o1 || o2
            position += 1
        }
        let next = byte
        if position == start || next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw fail("\(what()) must be \(FieldType.int.expectation), \(found)")
        }
        if overflow { throw fail("\(what()) is out of range for a 64-bit integer") }
        return value
    }

    /// Reads a number: a JSON number (`DecimalParser`), or `"nan"`, `"inf"`, `"-inf"` (also
    /// Python's bare `NaN`, `Infinity`, `-Infinity`).
    mutating func double(_ what: @autoclosure () -> String) throws(TraceError) -> Double {
        skipSpaces()
        // Numbers come first, as nearly every value is one: the parser turns the other
        // spellings away at their first byte (after a `-`), leaving the position unchanged.
        if let (value, end) = DecimalParser.parse(base, from: position, to: count) {
            position = end
            return value
        }
        return try nonNumericDouble(what())
    }

    /// The spellings of a double that are not JSON numbers, or the error for what is here; kept
    /// out of line so that `double` keeps only the number's path.
    @inline(never)
    private mutating func nonNumericDouble(_ what: @autoclosure () -> String) throws(TraceError) -> Double {
        switch byte {
        case UInt8(ascii: "\""):
            let text = try string(what())
            if text.elementsEqual("nan".utf8) { return .nan }
            if text.elementsEqual("inf".utf8) { return .infinity }
            if text.elementsEqual("-inf".utf8) { return -.infinity }
            throw fail("\(what()) must be a number or \"nan\", \"inf\", \"-inf\"")
        case UInt8(ascii: "N"):
            if keyword("NaN") { return .nan }
        case UInt8(ascii: "I"):
            if keyword("Infinity") { return .infinity }
        case UInt8(ascii: "-"):
            if keyword("-Infinity") { return -.infinity }
        default:
            break
        }
        throw fail("\(what()) must be a number, \(found)")
    }

    // MARK: Skipping

    /// Skips any JSON value (an unknown field's), nested at most `maxDepth` deep.
    mutating func skipValue(depth: Int = 0) throws(TraceError) {
        skipSpaces()
        switch byte {
        case UInt8(ascii: "\""):
            _ = try string("a value")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw fail("expected values nested at most \(Self.maxDepth) deep") }
            let isObject = byte == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            if consume(close) { return }
            repeat {
                if isObject {
                    _ = try string("a key")
                    try expect(UInt8(ascii: ":"), "':' after the key")
                }
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(close, isObject ? "',' or '}' in object" : "',' or ']' in array")
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            guard keyword("true") || keyword("false") || keyword("null") else {
                throw fail("expected a JSON value, \(found)")
            }
        default:
            _ = try double("a value")
        }
    }
}

extension TraceScanner {
    /// Whether a newline follows `start` anywhere before the end of the bytes.
    func hasNewline(from start: Int) -> Bool {
        UnsafeBufferPointer(start: base + start, count: max(count - start, 0)).contains(UInt8(ascii: "\n"))
    }
}
