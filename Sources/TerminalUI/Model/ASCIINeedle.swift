/// A lowercased needle of plain ASCII, matched byte by byte (Knuth–Morris–Pratt) as a step's
/// fields are fed to it one after another, so a needle with a space is matched across fields
/// without building the step's text.
///
/// Without a carriage return (`\r\n` is one character), each ASCII byte is one character, so in
/// plain ASCII text a byte match is the character match `String.contains` makes.
struct ASCIINeedle {
    let bytes: [UInt8]
    /// For each prefix length, the length of its longest proper prefix that is also its suffix.
    private let fallback: [Int]

    /// Nil unless `needle` is plain ASCII (see `isPlain`) and not empty.
    init?(_ needle: String) {
        let bytes = Array(needle.utf8)
        guard !bytes.isEmpty, Self.isPlain(bytes) else { return nil }
        var fallback = [Int](repeating: 0, count: bytes.count)
        var length = 0
        for index in bytes.indices.dropFirst() {
            while length > 0 && bytes[index] != bytes[length] { length = fallback[length - 1] }
            if bytes[index] == bytes[length] { length += 1 }
            fallback[index] = length
        }
        self.bytes = bytes
        self.fallback = fallback
    }

    /// Whether `bytes` are ASCII without a carriage return: one byte per character.
    static func isPlain(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") }
    }

    /// Feeds `byte` on from `matched` needle bytes matched (fewer than the needle's); whether the
    /// needle ends with it.
    func feed(_ byte: UInt8, _ matched: inout Int) -> Bool {
        while matched > 0 && bytes[matched] != byte { matched = fallback[matched - 1] }
        if bytes[matched] == byte { matched += 1 }
        return matched == bytes.count
    }

    /// Feeds `text` on from `matched` bytes matched; whether the needle ends inside it.
    func feed(_ text: [UInt8], _ matched: inout Int) -> Bool {
        for byte in text where feed(byte, &matched) { return true }
        return false
    }
}
