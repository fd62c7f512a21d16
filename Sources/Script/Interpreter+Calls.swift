extension Interpreter {
    /// Calls any callable value with Python's argument rules.
    func call(_ callee: Value, _ positional: [Value], keywords: [(name: String, value: Value)] = []) throws(PyException) -> Value {
        switch callee {
        case .builtin(let builtin):
            var arguments = Arguments(positional, keywords: keywords, function: builtin.name, interpreter: self)
            return try builtin.implementation(&arguments)
        case .function(let function):
            return try callFunction(function, positional, keywords: keywords)
        case .boundMethod(let receiver, let function):
            return try callFunction(function, [receiver] + positional, keywords: keywords)
        case .type(let cls):
            return try instantiate(cls, positional, keywords: keywords)
        case .instance(let instance):
            if instance.module != nil || instance.cls.isSubclass(of: torch.moduleClass) {
                return try torch.callModule(instance, positional, keywords: keywords)
            }
            guard let method = instance.cls.lookup("__call__") else {
                throw error(.typeError, "'\(instance.cls.name)' object is not callable")
            }
            return try call(bind(method, to: callee), positional, keywords: keywords)
        case .object(let object):
            var arguments = Arguments(positional, keywords: keywords, function: object.typeName, interpreter: self)
            if let result = try object.call(&arguments) { return result }
            throw error(.typeError, "'\(object.typeName)' object is not callable")
        default:
            throw error(.typeError, "'\(typeName(callee))' object is not callable")
        }
    }

    /// Calls a method by name on a value (`__enter__`, `__exit__`).
    func callMethod(_ receiver: Value, _ name: String, _ positional: [Value]) throws(PyException) -> Value {
        try call(try getAttribute(receiver, name), positional)
    }

    /// A class attribute seen through an instance: functions become bound methods.
    func bind(_ attribute: Value, to receiver: Value) -> Value {
        switch attribute {
        case .object(let wrapper as MethodWrapper):
            switch wrapper.kind {
            case .staticMethod, .property: return wrapper.function
            case .classMethod:
                var cls = receiver
                if case .type = receiver {} else { cls = .type(classOf(receiver)) }
                return bind(wrapper.function, to: cls)
            }
        case .function(let function): return .boundMethod(receiver: receiver, function: function)
        case .builtin(let builtin):
            return .builtin(Builtin(builtin.name) { (arguments: inout Arguments) throws(PyException) in
                arguments.positional.insert(receiver, at: 0)
                return try builtin.implementation(&arguments)
            })
        default: return attribute
        }
    }

    func callableName(_ callee: Value) throws(PyException) -> String {
        switch callee {
        case .function(let f), .boundMethod(_, let f): return qualifiedName(f)
        case .builtin(let b): return b.name
        case .type(let cls): return cls.name
        default: return typeName(callee)
        }
    }

    private func qualifiedName(_ function: PyFunction) -> String {
        if let owner = function.owner { return "\(owner.name).\(function.name)" }
        return function.name
    }

    func callFunction(_ function: PyFunction, _ positional: [Value], keywords: [(name: String, value: Value)]) throws(PyException) -> Value {
        let scope = Scope(parent: function.closure === globals ? nil : function.closure, globals: globals)
        scope.localNames = function.localNames
        try bindParameters(function, positional, keywords, into: scope)
        for parameter in function.parameters.list {
            if let value = scope.variables[parameter.name] {
                torch.recordBinding(name: parameter.name, value: value, line: function.line, alias: true)
            }
        }
        try pushFrame(function.name)
        functionStack.append((function, scope))
        defer {
            popFrame()
            functionStack.removeLast()
        }
        switch function.body {
        case .expression(let expr):
            return try evaluate(expr, in: scope)
        case .statements(let body):
            if case .returned(let value) = try execute(body, in: scope) { return value }
            return .none
        }
    }

    /// Enters a new Python frame (a call, a comprehension, a class body), enforcing the recursion limit.
    func pushFrame(_ scope: String) throws(PyException) {
        if frames.count >= recursionLimit {
            throw error(.recursionError, "maximum recursion depth exceeded")
        }
        frames.append(TracebackFrame(scope: scope, line: currentSpan.line, span: currentSpan))
        savedSpans.append(currentSpan)
    }

    func popFrame() {
        frames.removeLast()
        currentSpan = savedSpans.removeLast()
    }

    private func bindParameters(_ function: PyFunction, _ positional: [Value], _ keywords: [(name: String, value: Value)], into scope: Scope) throws(PyException) {
        let name = qualifiedName(function)
        let parameters = function.parameters
        let positionalParameters = parameters.list.filter { !$0.keywordOnly }
        var bound: [String: Value] = [:]
        for (i, value) in positional.enumerated() {
            if i < positionalParameters.count {
                bound[positionalParameters[i].name] = value
            }
        }
        if positional.count > positionalParameters.count {
            if let varArgs = parameters.varArgs {
                bound[varArgs] = .tuple(Array(positional[positionalParameters.count...]))
            } else {
                let required = positionalParameters.filter { function.defaults[$0.name] == nil }.count
                let takes = required == positionalParameters.count
                    ? "\(required)" : "from \(required) to \(positionalParameters.count)"
                let plural = positionalParameters.count == 1 && required == positionalParameters.count ? "" : "s"
                throw error(.typeError, "\(name)() takes \(takes) positional argument\(plural) but \(positional.count) \(positional.count == 1 ? "was" : "were") given")
            }
        } else if let varArgs = parameters.varArgs {
            bound[varArgs] = .tuple([])
        }
        let extra = PyDict()
        for (key, value) in keywords {
            if parameters.list.contains(where: { $0.name == key }) {
                if bound[key] != nil {
                    throw error(.typeError, "\(name)() got multiple values for argument '\(key)'")
                }
                bound[key] = value
            } else if parameters.varKeywords != nil {
                extra.set(.str(key), value)
            } else {
                throw error(.typeError, "\(name)() got an unexpected keyword argument '\(key)'")
            }
        }
        if let varKeywords = parameters.varKeywords { bound[varKeywords] = .dict(extra) }
        var missing: [String] = []
        for parameter in parameters.list where bound[parameter.name] == nil {
            if let value = function.defaults[parameter.name] {
                bound[parameter.name] = value
            } else {
                missing.append(parameter.name)
            }
        }
        if !missing.isEmpty {
            let quoted = missing.map { "'\($0)'" }
            let list = quoted.count == 1 ? quoted[0]
                : quoted.dropLast().joined(separator: ", ") + (quoted.count > 2 ? "," : "") + " and " + quoted.last!
            let keywordOnly = parameters.list.first { $0.name == missing[0] }!.keywordOnly
            throw error(.typeError, "\(name)() missing \(missing.count) required \(keywordOnly ? "keyword-only" : "positional") argument\(missing.count == 1 ? "" : "s"): \(list)")
        }
        scope.variables = bound
    }

    /// Calls a class: built-in constructors, exception classes, or a program class with `__init__`.
    func instantiate(_ cls: PyClass, _ positional: [Value], keywords: [(name: String, value: Value)]) throws(PyException) -> Value {
        if let construct = cls.construct {
            var arguments = Arguments(positional, keywords: keywords, function: cls.name, interpreter: self)
            return try construct.implementation(&arguments)
        }
        if cls.isSubclass(of: exceptionClass(.baseException)) {
            let object = PyExceptionObject(cls: cls, args: positional)
            if let initializer = cls.lookup("__init__"), case .function = initializer {
                _ = try call(bind(initializer, to: .exception(object)), positional, keywords: keywords)
            }
            return .exception(object)
        }
        let instance = PyInstance(cls: cls)
        let value = Value.instance(instance)
        if let initializer = cls.lookup("__init__") {
            let result = try call(bind(initializer, to: value), positional, keywords: keywords)
            if case .none = result {} else {
                throw error(.typeError, "__init__() should return None, not '\(typeName(result))'")
            }
        } else if !positional.isEmpty || !keywords.isEmpty {
            throw error(.typeError, "\(cls.name)() takes no arguments")
        }
        return value
    }
}
