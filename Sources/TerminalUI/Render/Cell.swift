/// One terminal cell: a grapheme and the role it is drawn with.
///
/// A wide grapheme (CJK, emoji) occupies its cell and the next; the next one is a continuation
/// cell with an empty symbol that the backend never writes.
///
/// The grapheme's UTF-8 bytes are held in the cell itself (up to 16; a longer cluster, such as a
/// family emoji, by its number in `LongGraphemes.shared`), so a cell is plain data: a frame of 12,000
/// cells is filled, copied, compared and dropped without a retain, a release or a string
/// comparison per cell, which were about a fifth of a keypress's time at 200×60
/// (docs/benchmarks.md, `frame`).
public struct Cell: Hashable, Sendable {
    /// Bytes 0–7 and 8–15 of the grapheme, little-endian, zero past its end; a long one's number.
    private var low: UInt64
    private var high: UInt64
    /// How many bytes the grapheme has (0 for a continuation), or `Cell.long`.
    private var count: UInt8
    public var role: Role

    public init(_ symbol: String = " ", role: Role = .normal) {
        self.role = role
        (low, high, count) = (0, 0, 0)
        var symbol = symbol
        if symbol.withUTF8({ store($0) }) { return }
        if let number = LongGraphemes.shared.withLock({ $0.number(of: symbol) }) {
            low = number
            count = Cell.long
        } else {
            var first = String(symbol.unicodeScalars.first.map(Character.init) ?? " ")
            _ = first.withUTF8 { store($0) }
        }
    }

    /// Holds `bytes` inline if they fit; whether they did.
    private mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= 16 else { return false }
        for (i, byte) in bytes.enumerated() {
            if i < 8 { low |= UInt64(byte) << (8 * i) } else { high |= UInt64(byte) << (8 * (i - 8)) }
        }
        count = UInt8(bytes.count)
        return true
    }

    /// A one-byte (ASCII) grapheme, without going through a `String`.
    init(ascii byte: UInt8, role: Role) {
        low = UInt64(byte)
        high = 0
        count = 1
        self.role = role
    }

    /// The blank cell a fresh buffer is filled with.
    public static let blank = Cell()

    /// The grapheme.
    public var symbol: String {
        if count == Cell.long { return LongGraphemes.shared.withLock { $0.text(of: low) } }
        var words = (low.littleEndian, high.littleEndian)
        return withUnsafeBytes(of: &words) { String(decoding: $0.prefix(Int(count)), as: UTF8.self) }
    }

    /// Appends the grapheme's UTF-8 bytes to `bytes` (a run of cells the backend writes at once).
    func appendSymbol(to bytes: inout [UInt8]) {
        if count == Cell.long {
            bytes.append(contentsOf: symbol.utf8)
            return
        }
        for i in 0..<Int(count) {
            bytes.append(UInt8(truncatingIfNeeded: (i < 8 ? low : high) >> (8 * (i & 7))))
        }
    }

    /// Whether this cell is covered by the wide grapheme to its left.
    public var isContinuation: Bool { count == 0 }

    /// `count` of a grapheme held by its number in `LongGraphemes`.
    private static let long: UInt8 = .max
}
