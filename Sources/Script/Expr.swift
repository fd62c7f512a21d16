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
