/// A namespace of variables: the module's globals, a function call's locals, or a class body.
final class Scope {
    var variables: [String: Value] = [:]
    /// The enclosing function scope, for closures; nil for module scope.
    let parent: Scope?
    let globals: Scope?
    var globalNames: Set<String> = []
    var nonlocalNames: Set<String> = []
    /// Whether this is a class body, whose names functions defined in it do not see.
    var classBody = false
    /// For a function call, the names its body assigns: they never fall through to enclosing scopes.
    var localNames: Set<String> = []

    init(parent: Scope?, globals: Scope?) {
        self.parent = parent
        self.globals = globals
    }

    /// Finds a name in this scope, its enclosing function scopes, then the module.
    func lookup(_ name: String) -> Value? {
        if !globalNames.contains(name), let value = variables[name] { return value }
        if localNames.contains(name) { return nil }
        var scope = parent
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return globals?.variables[name]
    }

    func assign(_ name: String, _ value: Value) {
        if globalNames.contains(name), let globals { globals.variables[name] = value; return }
        if nonlocalNames.contains(name) {
            var scope = parent
            while let current = scope {
                if current.variables[name] != nil { current.variables[name] = value; return }
                scope = current.parent
            }
        }
        variables[name] = value
    }

    func delete(_ name: String) -> Bool {
        if globalNames.contains(name), let globals { return globals.variables.removeValue(forKey: name) != nil }
        return variables.removeValue(forKey: name) != nil
    }
}
