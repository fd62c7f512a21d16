/// One lexical token of the Python subset, with where it sits in the source.
public struct Token: Sendable {
    public enum Kind: Equatable, Sendable {
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

    public var kind: Kind
    public var span: SourceSpan

    public var isNewlineOrEnd: Bool { kind == .newline || kind == .end }
}
