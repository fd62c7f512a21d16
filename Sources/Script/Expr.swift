import PythonLexer

/// An expression of the Python subset, with the source span it was parsed from.
struct Expr: Sendable {
    indirect enum Kind: Sendable {
        case name(String)
        case literal(Literal)
        case fstring([FStringPart])
        case list([Expr])
        case tuple([Expr])
        /// A dict display; a nil key marks a `**mapping` item.
        case dict([(key: Expr?, value: Expr)])
        case set([Expr])
        case starred(Expr)
        case attribute(Expr, String)
        case `subscript`(Expr, Expr)
        case slice(Expr?, Expr?, Expr?)
        case call(Expr, [Argument])
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case and(Expr, Expr)
        case or(Expr, Expr)
        case not(Expr)
        case compare(Expr, [(CompareOperator, Expr)])
        case conditional(test: Expr, then: Expr, otherwise: Expr)
        case lambda(Parameters, Expr)
        case comprehension(Comprehension)
    }

    var kind: Kind
    var span: SourceSpan
    /// How many expressions deep the tree is (a name or literal is 1), for the compiler's recursion
    /// limit: every walk over the tree (the parser's checks, the interpreter) recurses that deep.
    let depth: Int

    init(kind: Kind, span: SourceSpan) {
        self.kind = kind
        self.span = span
        depth = 1 + (kind.children.lazy.map(\.depth).max() ?? 0)
    }
}

extension Expr.Kind {
    /// The expressions directly inside this one (a lambda's body and a comprehension's parts included).
    var children: [Expr] {
        switch self {
        case .name, .literal: []
        case .fstring(let parts): parts.flatMap(\.expressions)
        case .list(let items), .tuple(let items), .set(let items): items
        case .dict(let pairs): pairs.flatMap { [$0.key, $0.value].compactMap { $0 } }
        case .starred(let e), .attribute(let e, _), .unary(_, let e), .not(let e): [e]
        case .subscript(let a, let b), .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): [a, b]
        case .slice(let a, let b, let c): [a, b, c].compactMap { $0 }
        case .call(let callee, let arguments): [callee] + arguments.map(\.value)
        case .compare(let first, let rest): [first] + rest.map(\.1)
        case .conditional(let test, let then, let otherwise): [test, then, otherwise]
        case .lambda(let parameters, let body): parameters.list.compactMap(\.defaultValue) + [body]
        case .comprehension(let c):
            [c.element] + c.clauses.flatMap { [$0.target, $0.iterable] + $0.conditions } + (c.resultValue.map { [$0] } ?? [])
        }
    }
}

extension FStringPart {
    /// The replacement fields' expressions, spec fields included.
    var expressions: [Expr] {
        switch self {
        case .text: []
        case .field(let expr, _, let spec, _): [expr] + (spec ?? []).flatMap(\.expressions)
        }
    }
}

extension Argument {
    /// The argument's expression, whatever its form.
    var value: Expr {
        switch self {
        case .positional(let e), .keyword(_, let e), .star(let e), .doubleStar(let e): e
        }
    }
}

/// A constant written in the source.
enum Literal: Sendable {
    case int(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case none
    case ellipsis
}

/// A piece of an f-string: literal text, or a replacement field with its conversion and format spec.
enum FStringPart: Sendable {
    case text(String)
    case field(Expr, conversion: Character?, spec: [FStringPart]?, debugText: String?)
}

/// One argument in a call: positional, `name=value`, `*args` or `**kwargs`.
enum Argument: Sendable {
    case positional(Expr)
    case keyword(String, Expr)
    case star(Expr)
    case doubleStar(Expr)
}

/// The parameter list of a `def` or `lambda`.
struct Parameters: Sendable {
    struct Parameter: Sendable {
        var name: String
        var defaultValue: Expr?
        var keywordOnly: Bool
    }

    var list: [Parameter] = []
    var varArgs: String?
    var varKeywords: String?
}

/// A list/set/dict comprehension or generator expression (generators are evaluated eagerly).
struct Comprehension: Sendable {
    enum Result: Sendable {
        case list, set, generator
        case dict(value: Expr)
    }

    /// A dict comprehension's value expression.
    var resultValue: Expr? {
        if case .dict(let value) = result { value } else { nil }
    }

    struct Clause: Sendable {
        var target: Expr
        var iterable: Expr
        var conditions: [Expr]
    }

    var result: Result
    var element: Expr
    var clauses: [Clause]
}

enum UnaryOperator: String, Sendable {
    case negate = "-", plus = "+", invert = "~"
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case matmul = "@", leftShift = "<<", rightShift = ">>", bitAnd = "&", bitOr = "|", bitXor = "^"
}

enum CompareOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case isSame = "is", isNot = "is not", contains = "in", notContains = "not in"
}
