import PythonLexer

/// How a block of statements finished.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
}

extension Interpreter {
    func execute(_ body: [Stmt], in scope: Scope) throws(PyException) -> Flow {
        for statement in body {
            let flow = try execute(statement, in: scope)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func execute(_ statement: Stmt, in scope: Scope) throws(PyException) -> Flow {
        enter(statement.span)
        try tick()
        switch statement.kind {
        case .expression(let expr):
            _ = try evaluate(expr, in: scope)
        case .assign(let targets, let valueExpr):
            let value = try evaluate(valueExpr, in: scope)
            for target in targets {
                try assign(target, value, in: scope, statement: statement.span)
            }
        case .augmentedAssign(let target, let op, let valueExpr):
            try augmentedAssign(target, op, valueExpr, in: scope, span: statement.span)
        case .pass:
            break
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .returnValue(let expr):
            return .returned(try expr.map { (e) throws(PyException) in try evaluate(e, in: scope) } ?? .none)
        case .conditional(let branches, let otherwise):
            for branch in branches {
                enter(branch.test.span)
                if try truth(try evaluate(branch.test, in: scope)) {
                    return try execute(branch.body, in: scope)
                }
            }
            return try execute(otherwise, in: scope)
        case .whileLoop(let test, let body, let otherwise):
            while true {
                enter(test.span)
                guard try truth(try evaluate(test, in: scope)) else { return try execute(otherwise, in: scope) }
                switch try execute(body, in: scope) {
                case .breakLoop: return .normal
                case .returned(let value): return .returned(value)
                case .normal, .continueLoop: continue
                }
            }
        case .forLoop(let target, let iterableExpr, let body, let otherwise):
            let iterable = try evaluate(iterableExpr, in: scope)
            var exit: Flow?
            try forEach(iterable) { (item) throws(PyException) in
                enter(statement.span)
                try assign(target, item, in: scope, statement: statement.span, alias: true)
                switch try execute(body, in: scope) {
                case .breakLoop: exit = .normal
                case .returned(let value): exit = .returned(value)
                case .normal, .continueLoop: return true
                }
                return false
            }
            if let exit { return exit }
            return try execute(otherwise, in: scope)
        case .functionDef(let def, let decoratorExprs):
            let decorators = try evaluateDecorators(decoratorExprs, in: scope)
            let function = try makeFunction(name: def.name, parameters: def.parameters, body: .statements(def.body), line: statement.span.line, in: scope)
            scope.assign(def.name, try decorate(.function(function), with: decorators, span: statement.span))
        case .classDef(let name, let baseExprs, let body, let decoratorExprs):
            let decorators = try evaluateDecorators(decoratorExprs, in: scope)
            let cls = try defineClass(name: name, baseExprs: baseExprs, body: body, in: scope)
            scope.assign(name, try decorate(cls, with: decorators, span: statement.span))
        case .with(let items, let body):
            return try executeWith(items[...], body: body, in: scope)
        case .tryExcept(let body, let handlers, let otherwise, let finally):
            return try executeTry(body: body, handlers: handlers, otherwise: otherwise, finally: finally, in: scope)
        case .raise(let expr, let cause):
            try executeRaise(expr, cause: cause, in: scope)
        case .importModule(let imports):
            for item in imports {
                let dotted = item.path.joined(separator: ".")
                let module = try importModule(dotted, span: statement.span)
                if let alias = item.alias {
                    scope.assign(alias, module)
                } else {
                    scope.assign(item.path[0], try importModule(item.path[0], span: statement.span))
                }
            }
        case .importFrom(let modulePath, let names):
            let dotted = modulePath.joined(separator: ".")
            let module = try importModule(dotted, span: statement.span)
            for item in names {
                let value: Value
                if let submodule = modules[dotted + "." + item.name] {
                    value = submodule
                } else if case .object(let namespace as PyModuleObject) = module, let member = namespace.members[item.name] {
                    value = member
                } else if case .object(let namespace as PyModuleObject) = module, !namespace.knownNames.contains(item.name) {
                    throw error(.importError, "cannot import name '\(item.name)' from '\(dotted)'")
                } else {
                    throw error(.notImplementedError, "tapedeck does not support \(dotted).\(item.name)")
                }
                scope.assign(item.alias ?? item.name, value)
            }
        case .global(let names):
            scope.globalNames.formUnion(names)
        case .nonlocal(let names):
            scope.nonlocalNames.formUnion(names)
        case .delete(let targets):
            for target in targets { try delete(target, in: scope) }
        case .assert(let test, let message):
            if !(try truth(try evaluate(test, in: scope))) {
                let args = try message.map { (m) throws(PyException) in [try evaluate(m, in: scope)] } ?? []
                enter(statement.span)
                throw raising(PyExceptionObject(cls: exceptionClass(.assertionError), args: args))
            }
        }
        return .normal
    }

    func importModule(_ name: String, span: SourceSpan) throws(PyException) -> Value {
        if let module = modules[name] { return module }
        if name.hasPrefix("torch") {
            throw error(.notImplementedError, "tapedeck does not support \(name)")
        }
        throw error(.notImplementedError, "tapedeck does not support importing \(name) (only torch, torch.nn, torch.nn.functional, torch.optim and math)")
    }

    func makeFunction(name: String, parameters: Parameters, body: PyFunction.Body, line: Int, in scope: Scope) throws(PyException) -> PyFunction {
        var defaults: [String: Value] = [:]
        for parameter in parameters.list {
            if let expr = parameter.defaultValue { defaults[parameter.name] = try evaluate(expr, in: scope) }
        }
        let closure = scope.classBody ? (scope.parent ?? globals) : scope
        return PyFunction(name: name, parameters: parameters, defaults: defaults, body: body, closure: closure, line: line)
    }

    private func evaluateDecorators(_ exprs: [Expr], in scope: Scope) throws(PyException) -> [(Value, SourceSpan)] {
        try exprs.map { (e) throws(PyException) in (try evaluate(e, in: scope), e.span) }
    }

    /// Applies decorators innermost (last written) first, as Python does.
    private func decorate(_ value: Value, with decorators: [(Value, SourceSpan)], span: SourceSpan) throws(PyException) -> Value {
        var result = value
        for (decorator, decoratorSpan) in decorators.reversed() {
            enter(decoratorSpan)
            result = try call(decorator, [result])
        }
        enter(span)
        return result
    }

    private func defineClass(name: String, baseExprs: [Expr], body: [Stmt], in scope: Scope) throws(PyException) -> Value {
        var bases: [PyClass] = []
        for expr in baseExprs {
            let base = try evaluate(expr, in: scope)
            guard case .type(let cls) = base else {
                throw error(.typeError, "bases must be types")
            }
            bases.append(cls)
        }
        if bases.isEmpty { bases = [types["object"]!] }
        let classScope = Scope(parent: scope === globals ? nil : scope, globals: globals)
        classScope.classBody = true
        try pushFrame(name)
        defer { popFrame() }
        _ = try execute(body, in: classScope)
        let cls = PyClass(name: name, bases: bases, attributes: classScope.variables, module: "__main__")
        for value in classScope.variables.values {
            if case .function(let f) = value { f.owner = cls }
            if case .object(let wrapper as MethodWrapper) = value, case .function(let f) = wrapper.function { f.owner = cls }
        }
        return .type(cls)
    }

    private func executeWith(_ items: ArraySlice<(context: Expr, name: Expr?)>, body: [Stmt], in scope: Scope) throws(PyException) -> Flow {
        guard let item = items.first else { return try execute(body, in: scope) }
        let manager = try evaluate(item.context, in: scope)
        let entered = try callMethod(manager, "__enter__", [])
        if let target = item.name { try assign(target, entered, in: scope, statement: item.context.span) }
        let flow: Flow
        do throws(PyException) {
            flow = try executeWith(items.dropFirst(), body: body, in: scope)
        } catch {
            if error.stop != nil { throw error }
            let suppress = try callMethod(manager, "__exit__", [.type(error.object.cls), .exception(error.object), .none])
            if try truth(suppress) { return .normal }
            throw error
        }
        _ = try callMethod(manager, "__exit__", [.none, .none, .none])
        return flow
    }

    private func executeTry(body: [Stmt], handlers: [ExceptHandler], otherwise: [Stmt], finally: [Stmt], in scope: Scope) throws(PyException) -> Flow {
        var flow: Flow = .normal
        var pending: PyException?
        do throws(PyException) {
            flow = try execute(body, in: scope)
            if case .normal = flow { flow = try execute(otherwise, in: scope) }
        } catch {
            if error.stop != nil { throw error }
            pending = error
            let savedFrames = frames
            for handler in handlers {
                enter(handler.span)
                if let typeExpr = handler.type {
                    let typeValue = try evaluate(typeExpr, in: scope)
                    guard try exceptionMatches(error.object, typeValue) else { continue }
                }
                pending = nil
                if let name = handler.name { scope.assign(name, .exception(error.object)) }
                handling.append(error.object)
                do throws(PyException) {
                    flow = try execute(handler.body, in: scope)
                } catch {
                    pending = error
                }
                handling.removeLast()
                if let name = handler.name { _ = scope.delete(name) }
                break
            }
            frames = savedFrames
        }
        if !finally.isEmpty {
            let finalFlow = try execute(finally, in: scope)
            if case .normal = finalFlow {} else { return finalFlow }
        }
        if let pending { throw pending }
        return flow
    }

    func exceptionMatches(_ object: PyExceptionObject, _ typeValue: Value) throws(PyException) -> Bool {
        switch typeValue {
        case .type(let cls):
            guard cls.isSubclass(of: exceptionClass(.baseException)) else {
                throw error(.typeError, "catching classes that do not inherit from BaseException is not allowed")
            }
            return object.cls.isSubclass(of: cls)
        case .tuple(let items):
            for item in items where try exceptionMatches(object, item) { return true }
            return false
        default:
            throw error(.typeError, "catching classes that do not inherit from BaseException is not allowed")
        }
    }

    private func executeRaise(_ expr: Expr?, cause causeExpr: Expr?, in scope: Scope) throws(PyException) {
        guard let expr else {
            guard let active = handling.last else { throw error(.runtimeError, "No active exception to reraise") }
            throw PyException(object: active)
        }
        var value = try evaluate(expr, in: scope)
        if case .type(let cls) = value, cls.isSubclass(of: exceptionClass(.baseException)) {
            value = try call(value, [])
        }
        var cause: PyExceptionObject?
        if let causeExpr {
            var causeValue = try evaluate(causeExpr, in: scope)
            if case .type(let cls) = causeValue, cls.isSubclass(of: exceptionClass(.baseException)) {
                causeValue = try call(causeValue, [])
            }
            switch causeValue {
            case .exception(let c): cause = c
            case .none: break
            default: throw error(.typeError, "exception causes must derive from BaseException")
            }
        }
        enter(expr.span)
        guard case .exception(let object) = value else {
            throw error(.typeError, "exceptions must derive from BaseException")
        }
        if causeExpr != nil {
            object.cause = cause
            object.suppressContext = true
        }
        throw raising(object)
    }

    // MARK: Assignment

    /// Binds `target` to `value`; an `alias` (a loop target) does not rename module parameters on the tape.
    func assign(_ target: Expr, _ value: Value, in scope: Scope, statement: SourceSpan, alias: Bool = false) throws(PyException) {
        switch target.kind {
        case .name(let name):
            scope.assign(name, value)
            torch.recordBinding(name: name, value: value, line: target.span.line, alias: alias)
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, in: scope)
            enter(statement)
            try setAttribute(object, name, value)
            if let base = bindingPath(objectExpr) {
                torch.recordBinding(name: "\(base).\(name)", value: value, line: target.span.line, alias: alias)
            }
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr, in: scope)
            let index = try evaluate(indexExpr, in: scope)
            enter(statement, call: "x[...] =")
            try setItem(object, index, value)
        case .tuple(let targets), .list(let targets):
            let items = try iterate(value)
            if let star = targets.firstIndex(where: { if case .starred = $0.kind { return true } else { return false } }) {
                let after = targets.count - star - 1
                guard items.count >= targets.count - 1 else {
                    throw error(.valueError, "not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))")
                }
                for i in 0..<star { try assign(targets[i], items[i], in: scope, statement: statement, alias: alias) }
                if case .starred(let inner) = targets[star].kind {
                    try assign(inner, .list(PyList(Array(items[star..<(items.count - after)]))), in: scope, statement: statement, alias: alias)
                }
                for i in 0..<after { try assign(targets[star + 1 + i], items[items.count - after + i], in: scope, statement: statement, alias: alias) }
                return
            }
            if items.count > targets.count {
                throw error(.valueError, "too many values to unpack (expected \(targets.count))")
            }
            if items.count < targets.count {
                throw error(.valueError, "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (t, v) in zip(targets, items) { try assign(t, v, in: scope, statement: statement, alias: alias) }
        default:
            throw error(.typeError, "cannot assign to this expression")
        }
    }

    /// The dotted spelling of a name or attribute chain (`self.block`), for naming what is stored on it.
    private func bindingPath(_ expr: Expr) -> String? {
        switch expr.kind {
        case .name(let name): return name
        case .attribute(let base, let name): return bindingPath(base).map { "\($0).\(name)" }
        default: return nil
        }
    }

    /// `target op= value` with Python's semantics: `__iadd__` on the loaded value, then a store.
    private func augmentedAssign(_ target: Expr, _ op: BinaryOperator, _ valueExpr: Expr, in scope: Scope, span: SourceSpan) throws(PyException) {
        let symbol = op.rawValue + "="
        switch target.kind {
        case .name(let name):
            let current = try lookupName(name, in: scope, span: target.span)
            let value = try evaluate(valueExpr, in: scope)
            enter(span, call: symbol)
            let result = try inPlaceOperation(op, current, value)
            scope.assign(name, result)
            torch.recordBinding(name: name, value: result, line: span.line)
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, in: scope)
            enter(target.span)
            let current = try getAttribute(object, name)
            let value = try evaluate(valueExpr, in: scope)
            enter(span, call: symbol)
            let result = try inPlaceOperation(op, current, value)
            try setAttribute(object, name, result)
            if let base = bindingPath(objectExpr) {
                torch.recordBinding(name: "\(base).\(name)", value: result, line: span.line)
            }
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr, in: scope)
            let index = try evaluate(indexExpr, in: scope)
            enter(target.span, call: "x[...]")
            let current = try getItem(object, index)
            let value = try evaluate(valueExpr, in: scope)
            enter(span, call: symbol)
            let result = try inPlaceOperation(op, current, value)
            enter(span, call: "x[...] =")
            try setItem(object, index, result)
        default:
            throw error(.typeError, "illegal expression for augmented assignment")
        }
    }

    private func delete(_ target: Expr, in scope: Scope) throws(PyException) {
        switch target.kind {
        case .name(let name):
            if !scope.delete(name) { throw error(.nameError, "name '\(name)' is not defined") }
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr, in: scope)
            let index = try evaluate(indexExpr, in: scope)
            try deleteItem(object, index)
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, in: scope)
            guard case .instance(let instance) = object, instance.attributes.removeValue(forKey: name) != nil else {
                throw error(.attributeError, "'\(typeName(object))' object has no attribute '\(name)'")
            }
        case .tuple(let items), .list(let items):
            for item in items { try delete(item, in: scope) }
        default:
            throw error(.typeError, "cannot delete this expression")
        }
    }
}
