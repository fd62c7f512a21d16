/// A function written in the program (`def` or `lambda`).
final class PyFunction {
    let name: String
    let parameters: Parameters
    let defaults: [String: Value]
    let body: Body
    let closure: Scope
    /// The names the body assigns (Python's compile-time locals).
    let localNames: Set<String>
    /// The class whose body defined it, for zero-argument `super()`.
    var owner: PyClass?

    enum Body {
        case statements([Stmt])
        case expression(Expr)
    }

    init(name: String, parameters: Parameters, defaults: [String: Value], body: Body, closure: Scope) {
        self.name = name
        self.parameters = parameters
        self.defaults = defaults
        self.body = body
        self.closure = closure
        switch body {
        case .statements(let statements): localNames = LocalNames.of(statements, parameters: parameters)
        case .expression: localNames = Set(parameters.list.map(\.name))
        }
    }
}
