/// A region of the program's source: 1-based lines and columns, `endColumn` one past the last character.
public struct SourceSpan: Hashable, Sendable {
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int

    public init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }

    /// The span from the start of `self` to the end of `other`.
    public func through(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(line: line, column: column, endLine: other.endLine, endColumn: other.endColumn)
    }
}
