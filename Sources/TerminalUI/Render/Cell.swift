/// One terminal cell: a grapheme and the role it is drawn with.
///
/// A wide grapheme (CJK, emoji) occupies its cell and the next; the next one is a continuation
/// cell with an empty symbol that the backend never writes.
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var role: Role

    public init(_ symbol: String = " ", role: Role = .normal) {
        self.symbol = symbol
        self.role = role
    }

    /// The blank cell a fresh buffer is filled with.
    public static let blank = Cell()

    /// Whether this cell is covered by the wide grapheme to its left.
    public var isContinuation: Bool { symbol.isEmpty }
}
