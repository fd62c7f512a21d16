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
    /// False for an error python3 reports on one line, without the file, line and caret above it
    /// (a file that is not UTF-8: its message names the file and line itself).
    public var located: Bool

    public init(_ message: String, at span: SourceSpan, kind: Kind = .syntax, located: Bool = true) {
        self.message = message
        self.span = span
        self.kind = kind
        self.located = located
    }
}
