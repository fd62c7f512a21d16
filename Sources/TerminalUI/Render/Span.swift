/// A run of text drawn with one role.
public struct Span: Hashable, Sendable {
    public var text: String
    public var role: Role

    public init(_ text: String, _ role: Role = .normal) {
        self.text = text
        self.role = role
    }
}

/// One line of styled text: the unit widgets lay out, wrap and clip.
public struct Line: Hashable, Sendable, ExpressibleByStringLiteral {
    public var spans: [Span]
    /// A role for the whole row, painted under the spans (a selected or highlighted line).
    public var background: Role?

    public init(_ spans: [Span] = [], background: Role? = nil) {
        self.spans = spans
        self.background = background
    }

    public init(_ text: String, _ role: Role = .normal) {
        self.init([Span(text, role)])
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The line's text without roles.
    public var text: String { spans.map(\.text).joined() }

    /// The number of columns the line occupies.
    public var width: Int { spans.reduce(0) { $0 + TextWidth.of($1.text) } }

    public mutating func append(_ text: String, _ role: Role = .normal) {
        spans.append(Span(text, role))
    }
}
