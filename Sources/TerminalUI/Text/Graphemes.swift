/// The graphemes of a text as the screen draws them, found from its UTF-8 bytes: an ASCII byte
/// that the end or another ASCII byte follows is a grapheme of its own (no ASCII scalar extends
/// a cluster but the LF of a CR LF, then handed over on its own: two controls that take no
/// column either way), so most of a frame's text is walked a byte at a time, through a buffer
/// pointer; only the other bytes go through `String`'s grapheme breaking.
enum Graphemes {
    /// One grapheme: a lone ASCII byte, or a `Character` and how many bytes it has.
    enum Element {
        case ascii(UInt8)
        case other(Character, bytes: Int)

        /// The columns it takes (`TextWidth`).
        var columns: Int {
            switch self {
            case .ascii(let byte): TextWidth.of(ascii: byte)
            case .other(let character, _): TextWidth.of(character)
            }
        }

        /// How many UTF-8 bytes it has.
        var bytes: Int {
            switch self {
            case .ascii: 1
            case .other(_, let bytes): bytes
            }
        }

        /// Whether it is a lone space, where a wrapped line may break.
        var isSpace: Bool {
            switch self {
            case .ascii(let byte): byte == UInt8(ascii: " ")
            case .other(let character, _): character == " "
            }
        }
    }

    /// Calls `body` with each grapheme of `text` in order and the offset of its first byte, until
    /// `body` returns false.
    @inline(__always)
    static func forEach(in text: String, _ body: (Element, _ offset: Int) -> Bool) {
        let original = text
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80, i + 1 == bytes.count || bytes[i + 1] < 0x80 {
                    guard body(.ascii(byte), i) else { return }
                    i += 1
                    continue
                }
                let utf8 = original.utf8
                let character = original[utf8.index(utf8.startIndex, offsetBy: i)]
                let count = character.utf8.count
                guard body(.other(character, bytes: count), i) else { return }
                i += count
            }
        }
    }
}
