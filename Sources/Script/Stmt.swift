import PythonLexer

/// A statement of the Python subset, with the source span it was parsed from.
struct Stmt: Sendable {
    indirect enum Kind: Sendable {
        case expression(Expr)
        case assign(targets: [Expr], value: Expr)
        case augmentedAssign(target: Expr, op: BinaryOperator, value: Expr)
        case pass
        case breakLoop
        case continueLoop
        case returnValue(Expr?)
        case conditional(branches: [(test: Expr, body: [Stmt])], otherwise: [Stmt])
        case whileLoop(test: Expr, body: [Stmt], otherwise: [Stmt])
        case forLoop(target: Expr, iterable: Expr, body: [Stmt], otherwise: [Stmt])
        case functionDef(FunctionDef, decorators: [Expr])
        case classDef(name: String, bases: [Expr], body: [Stmt], decorators: [Expr])
        case with(items: [(context: Expr, name: Expr?)], body: [Stmt])
        case tryExcept(body: [Stmt], handlers: [ExceptHandler], otherwise: [Stmt], finally: [Stmt])
        case raise(Expr?, cause: Expr?)
        case importModule([(path: [String], alias: String?)])
        case importFrom(module: [String], names: [(name: String, alias: String?)])
        case global([String])
        case nonlocal([String])
        case delete([Expr])
        case assert(Expr, message: Expr?)
    }

    var kind: Kind
    var span: SourceSpan
}

/// A `def`: its name, parameters and body.
struct FunctionDef: Sendable {
    var name: String
    var parameters: Parameters
    var body: [Stmt]
}

/// One `except [Type [as name]]:` clause.
struct ExceptHandler: Sendable {
    var type: Expr?
    var name: String?
    var body: [Stmt]
    var span: SourceSpan
}
