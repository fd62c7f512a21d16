import PythonLexer

extension Interpreter {
    func evaluate(_ expr: Expr, in scope: Scope) throws(PyException) -> Value {
        switch expr.kind {
        case .name(let name):
            return try lookupName(name, in: scope, span: expr.span)
        case .literal(let literal):
            switch literal {
            case .int(let v): return .int(v)
            case .float(let v): return .float(v)
            case .string(let v): return .str(v)
            case .bool(let v): return .bool(v)
            case .none: return .none
            case .ellipsis: return .ellipsis
            }
        case .fstring(let parts):
            return .str(try formatParts(parts, in: scope))
        case .list(let items):
            return .list(PyList(try evaluateItems(items, in: scope)))
        case .tuple(let items):
            return .tuple(try evaluateItems(items, in: scope))
        case .set:
            enter(expr.span)
            throw error(.notImplementedError, "tapedeck does not support sets")
        case .dict(let pairs):
            let dict = PyDict()
            for pair in pairs {
                guard let keyExpr = pair.key else {
                    let mapping = try evaluate(pair.value, in: scope)
                    guard case .dict(let source) = mapping else {
                        enter(pair.value.span)
                        throw error(.typeError, "'\(typeName(mapping))' object is not a mapping")
                    }
                    for (k, v) in zip(source.keys, source.values) { dict.set(k, v) }
                    continue
                }
                let key = try evaluate(keyExpr, in: scope)
                try checkHashable(key)
                dict.set(key, try evaluate(pair.value, in: scope))
            }
            return .dict(dict)
        case .starred:
            enter(expr.span)
            throw error(.typeError, "can't use starred expression here")
        case .attribute(let objectExpr, let name):
            let object = try evaluate(objectExpr, in: scope)
            enter(expr.span)
            return try getAttribute(object, name)
        case .subscript(let objectExpr, let indexExpr):
            let object = try evaluate(objectExpr, in: scope)
            let index = try evaluate(indexExpr, in: scope)
            enter(expr.span, call: "x[...]")
            frames[frames.count - 1].anchor = .subscript(valueEnd: objectExpr.span.endColumn, indexEnd: indexExpr.span.endColumn)
            return try getItem(object, index)
        case .slice(let lower, let upper, let step):
            return .slice(
                try lower.map { (e) throws(PyException) in try evaluate(e, in: scope) } ?? .none,
                try upper.map { (e) throws(PyException) in try evaluate(e, in: scope) } ?? .none,
                try step.map { (e) throws(PyException) in try evaluate(e, in: scope) } ?? .none)
        case .call(let calleeExpr, let argumentExprs):
            return try evaluateCall(expr, calleeExpr, argumentExprs, in: scope)
        case .unary(let op, let operandExpr):
            let operand = try evaluate(operandExpr, in: scope)
            enter(expr.span, call: op.rawValue)
            return try unaryOperation(op, operand)
        case .binary(let op, let leftExpr, let rightExpr):
            let left = try evaluate(leftExpr, in: scope)
            let right = try evaluate(rightExpr, in: scope)
            enter(expr.span, call: op.rawValue)
            frames[frames.count - 1].anchor = .binary(leftEnd: leftExpr.span.endColumn, rightStart: rightExpr.span.column)
            return try binaryOperation(op, left, right)
        case .and(let leftExpr, let rightExpr):
            let left = try evaluate(leftExpr, in: scope)
            return try truth(left) ? try evaluate(rightExpr, in: scope) : left
        case .or(let leftExpr, let rightExpr):
            let left = try evaluate(leftExpr, in: scope)
            return try truth(left) ? left : try evaluate(rightExpr, in: scope)
        case .not(let operandExpr):
            let operand = try evaluate(operandExpr, in: scope)
            enter(expr.span)
            return .bool(!(try truth(operand)))
        case .compare(let firstExpr, let rest):
            var left = try evaluate(firstExpr, in: scope)
            var result: Value = .bool(true)
            for (position, (op, rightExpr)) in rest.enumerated() {
                let right = try evaluate(rightExpr, in: scope)
                enter(expr.span, call: op.rawValue)
                result = try compare(op, left, right)
                if position < rest.count - 1, !(try truth(result)) { return result }
                left = right
            }
            return result
        case .conditional(let test, let then, let otherwise):
            return try truth(try evaluate(test, in: scope)) ? try evaluate(then, in: scope) : try evaluate(otherwise, in: scope)
        case .lambda(let parameters, let body):
            return .function(try makeFunction(name: "<lambda>", parameters: parameters, body: .expression(body), line: expr.span.line, in: scope))
        case .comprehension(let comprehension):
            return try evaluateComprehension(comprehension, in: scope)
        }
    }

    /// Reads a variable: locals, enclosing functions, globals, builtins — or Python's NameError/UnboundLocalError.
    func lookupName(_ name: String, in scope: Scope, span: SourceSpan) throws(PyException) -> Value {
        if let value = scope.lookup(name) { return value }
        enter(span)
        if scope.localNames.contains(name) && !scope.globalNames.contains(name) {
            throw error(.unboundLocalError, "cannot access local variable '\(name)' where it is not associated with a value")
        }
        if let value = builtins[name] { return value }
        if Interpreter.otherPythonBuiltins.contains(name) {
            throw error(.notImplementedError, "tapedeck does not support the builtin \(name)()")
        }
        throw error(.nameError, "name '\(name)' is not defined")
    }

    private func evaluateItems(_ items: [Expr], in scope: Scope) throws(PyException) -> [Value] {
        var values: [Value] = []
        for item in items {
            if case .starred(let inner) = item.kind {
                values += try iterate(try evaluate(inner, in: scope))
            } else {
                values.append(try evaluate(item, in: scope))
            }
        }
        return values
    }

    private func evaluateCall(_ expr: Expr, _ calleeExpr: Expr, _ argumentExprs: [Argument], in scope: Scope) throws(PyException) -> Value {
        let callee = try evaluate(calleeExpr, in: scope)
        var positional: [Value] = []
        var keywords: [(name: String, value: Value)] = []
        for argument in argumentExprs {
            switch argument {
            case .positional(let e): positional.append(try evaluate(e, in: scope))
            case .star(let e): positional += try iterate(try evaluate(e, in: scope))
            case .keyword(let name, let e):
                let value = try evaluate(e, in: scope)
                if keywords.contains(where: { $0.name == name }) {
                    enter(expr.span)
                    throw error(.typeError, "\(try callableName(callee))() got multiple values for keyword argument '\(name)'")
                }
                keywords.append((name, value))
            case .doubleStar(let e):
                guard case .dict(let dict) = try evaluate(e, in: scope) else {
                    enter(expr.span)
                    throw error(.typeError, "argument after ** must be a mapping")
                }
                for (k, v) in zip(dict.keys, dict.values) {
                    guard case .str(let name) = k else { throw error(.typeError, "keywords must be strings") }
                    keywords.append((name, v))
                }
            }
        }
        enter(expr.span, call: torch.callSpelling(callee))
        return try call(callee, positional, keywords: keywords)
    }

    private func evaluateComprehension(_ comprehension: Comprehension, in scope: Scope) throws(PyException) -> Value {
        let inner = Scope(parent: scope === globals ? nil : scope, globals: globals)
        let frameName: String
        switch comprehension.result {
        case .list: frameName = "<listcomp>"
        case .set: frameName = "<setcomp>"
        case .generator: frameName = "<genexpr>"
        case .dict: frameName = "<dictcomp>"
        }
        let outerFirst = try evaluate(comprehension.clauses[0].iterable, in: scope)
        try pushFrame(frameName)
        defer { popFrame() }
        var results: [Value] = []
        let dict = PyDict()
        func run(_ level: Int) throws(PyException) {
            if level == comprehension.clauses.count {
                if case .dict(let valueExpr) = comprehension.result {
                    let key = try evaluate(comprehension.element, in: inner)
                    try checkHashable(key)
                    dict.set(key, try evaluate(valueExpr, in: inner))
                } else {
                    results.append(try evaluate(comprehension.element, in: inner))
                }
                return
            }
            let clause = comprehension.clauses[level]
            let iterable = level == 0 ? outerFirst : try evaluate(clause.iterable, in: inner)
            try forEach(iterable) { (item) throws(PyException) in
                try assign(clause.target, item, in: inner, statement: clause.target.span, alias: true)
                for condition in clause.conditions where !(try truth(try evaluate(condition, in: inner))) {
                    return true
                }
                try run(level + 1)
                return true
            }
        }
        try run(0)
        switch comprehension.result {
        case .list, .generator: return .list(PyList(results))
        case .set: throw error(.notImplementedError, "tapedeck does not support sets")
        case .dict: return .dict(dict)
        }
    }

    func formatParts(_ parts: [FStringPart], in scope: Scope) throws(PyException) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let text):
                out += text
            case .field(let expr, let conversion, let specParts, let debugText):
                let value = try evaluate(expr, in: scope)
                enter(expr.span)
                if let debugText { out += debugText }
                let spec = try specParts.map { (p) throws(PyException) in try formatParts(p, in: scope) } ?? ""
                switch conversion {
                case "r": out += try format(.str(try repr(value)), spec: spec)
                case "s": out += try format(.str(try str(value)), spec: spec)
                case "a": out += try format(.str(try repr(value)), spec: spec)
                default: out += try format(value, spec: spec)
                }
            }
        }
        return out
    }
}
