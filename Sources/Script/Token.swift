/// One lexical token of the Python subset, with where it sits in the source.
struct Token: Sendable {
    enum Kind: Equatable, Sendable {
        case name(String)
        case int(Int)
        case float(Double)
        /// A string literal's decoded value.
        case string(String)
        /// An f-string's undecoded body (between the quotes) and where the body starts.
        case fstring(String, raw: Bool, bodyLine: Int, bodyColumn: Int)
        case op(String)
        case newline
        case indent
        case dedent
        case end
    }

    var kind: Kind
    var span: SourceSpan

    var isNewlineOrEnd: Bool { kind == .newline || kind == .end }
}
