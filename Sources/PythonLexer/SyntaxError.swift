/// A problem found before the program runs: bad syntax, or syntax outside the supported subset.
public struct SyntaxError: Error, Hashable, Sendable {
    /// Python's two compile-time error classes.
    public enum Kind: String, Hashable, Sendable {
        case syntax = "SyntaxError"
        case indentation = "IndentationError"
        /// Indentation whose meaning depends on the tab size.
        case tab = "TabError"
        /// The compiler's recursion limit: an expression nested too deeply to compile. python3
        /// reports it with no location.
        case recursion = "RecursionError"
        /// The parser's stack ran out (a chain of prefix operators). python3 reports it with no location.
        case memory = "MemoryError"
    }

    public var message: String
    public var span: SourceSpan
    public var kind: Kind

    public init(_ message: String, at span: SourceSpan, kind: Kind = .syntax) {
        self.message = message
        self.span = span
        self.kind = kind
    }
}
