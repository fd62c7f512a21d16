import PythonLexer

/// One line of a traceback: the scope, the line it was executing and the span of the expression
/// running there (for Python 3.11's `^^^` / `~~^~~` markers).
struct TracebackFrame: Equatable {
    /// Where an operator or subscript sits inside the span, for `~~~^~~` markers.
    enum Anchor: Equatable {
        /// A binary operation: the left operand ends at `leftEnd`, the right one starts at `rightStart`.
        case binary(leftEnd: Int, rightStart: Int)
        /// A subscript: the subscripted value ends at `valueEnd`, the index at `indexEnd` (columns).
        case `subscript`(valueEnd: Int, indexEnd: Int)
    }

    var scope: String
    var line: Int
    var span: SourceSpan?
    var anchor: Anchor?

    init(scope: String, line: Int, span: SourceSpan? = nil) {
        self.scope = scope
        self.line = line
        self.span = span
    }
}
