/// A problem found before the program runs: bad syntax, or syntax outside the supported subset.
public struct SyntaxError: Error, Hashable, Sendable {
    public var message: String
    public var span: SourceSpan

    init(_ message: String, at span: SourceSpan) {
        self.message = message
        self.span = span
    }
}
