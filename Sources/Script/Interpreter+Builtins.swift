import Foundation

extension Interpreter {
    /// Python builtins outside the subset: using one is `NotImplementedError`, not a `NameError`.
    static let otherPythonBuiltins: Set<String> = [
        "aiter", "anext", "ascii", "breakpoint", "bytearray", "bytes", "compile", "complex", "copyright", "credits",
        "delattr", "dir", "eval", "exec", "globals", "hash", "help", "input", "license", "locals", "memoryview", "next",
        "open", "vars", "NotImplemented", "BaseExceptionGroup", "ExceptionGroup",
    ]

    /// Installs Python's built-in functions, types and exception classes.
    func installBuiltins() {
        let object = PyClass(name: "object", bases: [])
        types["object"] = object
        for kind in ExceptionKind.allCases {
            let base = kind.base.map { exceptionClasses[$0]! } ?? object
            let cls = PyClass(name: kind.rawValue, bases: [base])
            exceptionClasses[kind] = cls
            builtins[kind.rawValue] = .type(cls)
        }
        func type(_ name: String, base: PyClass = object, _ construct: @escaping Builtin.Implementation) {
            let cls = PyClass(name: name, bases: [base], construct: Builtin(name, construct))
            types[name] = cls
            builtins[name] = .type(cls)
        }
        func function(_ name: String, _ body: @escaping Builtin.Implementation) {
            builtins[name] = .builtin(Builtin(name, body))
        }
        builtins["object"] = .type(object)
        for kind in [MethodWrapper.Kind.staticMethod, .classMethod, .property] {
            type(kind.rawValue) { (a: inout Arguments) throws(PyException) in
                .object(MethodWrapper(kind: kind, function: try a.required(0, "function")))
            }
        }
        type("int", constructInt)
        type("bool", base: types["int"]!) { (a: inout Arguments) throws(PyException) in
            .bool(try a.take(0, "o").map { (v) throws(PyException) in try self.truth(v) } ?? false)
        }
        type("float", constructFloat)
        type("str", constructStr)
        type("list", constructList)
        type("tuple", constructTuple)
        type("dict", constructDict)
        type("range", constructRange)
        type("type", constructType)

        function("print", builtinPrint)
        function("len", builtinLen)
        function("repr", builtinRepr)
        function("abs", builtinAbs)
        function("round", builtinRound)
        function("min", builtinMin)
        function("max", builtinMax)
        function("sum", builtinSum)
        function("any", builtinAny)
        function("all", builtinAll)
        function("isinstance", builtinIsinstance)
        function("enumerate", builtinEnumerate)
        function("zip", builtinZip)
        function("sorted", builtinSorted)
        function("reversed", builtinReversed)
        function("map", builtinMap)
        function("filter", builtinFilter)
        function("divmod", builtinDivmod)
        function("pow", builtinPow)
        function("chr", builtinChr)
        function("ord", builtinOrd)
        function("hasattr", builtinHasattr)
        function("getattr", builtinGetattr)
        function("setattr", builtinSetattr)
        function("id", builtinId)
        function("super", builtinSuper)
        for name in ["set", "frozenset"] {
            function(name) { _ throws(PyException) in throw self.error(.notImplementedError, "tapedeck does not support sets") }
        }
        for name in ["exit", "quit"] {
            function(name) { (a: inout Arguments) throws(PyException) in
                throw self.raising(PyExceptionObject(cls: self.exceptionClass(.systemExit), args: a.take(0, "code").map { [$0] } ?? []))
            }
        }
        for (name, radix, prefix) in [("bin", 2, "0b"), ("oct", 8, "0o"), ("hex", 16, "0x")] {
            function(name) { (a: inout Arguments) throws(PyException) in
                let value = try a.required(0, "number")
                guard let i = self.index(value) else {
                    throw self.error(.typeError, "'\(self.typeName(value))' object cannot be interpreted as an integer")
                }
                return .str((i < 0 ? "-" : "") + prefix + String(i.magnitude, radix: radix))
            }
        }
        function("format", builtinFormat)
        function("callable", builtinCallable)
        function("issubclass", builtinIssubclass)
        function("iter", builtinIter)
    }

    // MARK: Handlers, one per builtin (`print` is `builtinPrint`, the `dict` type `constructDict`)

    private func constructInt(_ a: inout Arguments) throws(PyException) -> Value {
        try self.makeInt(&a)
    }

    private func constructFloat(_ a: inout Arguments) throws(PyException) -> Value {
        try self.makeFloat(&a)
    }

    private func constructStr(_ a: inout Arguments) throws(PyException) -> Value {
        .str(try a.take(0, "object").map { (v) throws(PyException) in try self.str(v) } ?? "")
    }

    private func constructList(_ a: inout Arguments) throws(PyException) -> Value {
        .list(PyList(try a.take(0, "iterable").map { (v) throws(PyException) in try self.iterate(v) } ?? []))
    }

    private func constructTuple(_ a: inout Arguments) throws(PyException) -> Value {
        .tuple(try a.take(0, "iterable").map { (v) throws(PyException) in try self.iterate(v) } ?? [])
    }

    private func constructDict(_ a: inout Arguments) throws(PyException) -> Value {
        let dict = PyDict()
        if let source = a.take(0, "iterable") {
            if case .dict(let d) = source {
                for (k, v) in zip(d.keys, d.values) { dict.set(k, v) }
            } else {
                for pair in try self.iterate(source) {
                    let items = try self.iterate(pair)
                    guard items.count == 2 else {
                        throw self.error(.valueError, "dictionary update sequence element has length \(items.count); 2 is required")
                    }
                    dict.set(items[0], items[1])
                }
            }
        }
        for (k, v) in a.keywords { dict.set(.str(k), v) }
        return .dict(dict)
    }

    private func constructRange(_ a: inout Arguments) throws(PyException) -> Value {
        var bounds: [Int] = []
        for v in a.positional {
            guard let i = self.index(v) else {
                throw self.error(.typeError, "'\(self.typeName(v))' object cannot be interpreted as an integer")
            }
            bounds.append(i)
        }
        switch bounds.count {
        case 1: return .range(start: 0, stop: bounds[0], step: 1)
        case 2: return .range(start: bounds[0], stop: bounds[1], step: 1)
        case 3:
            if bounds[2] == 0 { throw self.error(.valueError, "range() arg 3 must not be zero") }
            return .range(start: bounds[0], stop: bounds[1], step: bounds[2])
        case 0: throw self.error(.typeError, "range expected at least 1 argument, got 0")
        default: throw self.error(.typeError, "range expected at most 3 arguments, got \(bounds.count)")
        }
    }

    private func constructType(_ a: inout Arguments) throws(PyException) -> Value {
        guard a.positional.count == 1 else { throw self.error(.notImplementedError, "tapedeck does not support type() with 3 arguments") }
        return .type(self.classOf(a.positional[0]))
    }

    private func builtinPrint(_ a: inout Arguments) throws(PyException) -> Value {
        var separator = " ", terminator = "\n"
        if let sep = a.keyword("sep") {
            if case .str(let s) = sep { separator = s } else if case .none = sep {} else {
                throw self.error(.typeError, "sep must be None or a string, not \(self.typeName(sep))")
            }
        }
        if let end = a.keyword("end") {
            if case .str(let s) = end { terminator = s } else if case .none = end {} else {
                throw self.error(.typeError, "end must be None or a string, not \(self.typeName(end))")
            }
        }
        _ = a.keyword("flush")
        if let file = a.keyword("file"), !(file.isNone) {
            throw self.error(.notImplementedError, "tapedeck does not support print(file=...)")
        }
        try a.finish(maxPositional: Int.max)
        let text = try a.positional.map { (v) throws(PyException) in try self.str(v) }.joined(separator: separator) + terminator
        self.recorder.record(.output(text))
        self.write(text)
        return .none
    }

    private func builtinLen(_ a: inout Arguments) throws(PyException) -> Value {
        try a.finish(maxPositional: 1)
        return .int(try self.length(try a.required(0, "obj")))
    }

    private func builtinRepr(_ a: inout Arguments) throws(PyException) -> Value {
        .str(try self.repr(try a.required(0, "obj")))
    }

    private func builtinAbs(_ a: inout Arguments) throws(PyException) -> Value {
        let x = try a.required(0, "x")
        switch x {
        case .int(let i):
            if i == .min { throw self.error(.overflowError, "tapedeck does not support integers beyond 64 bits") }
            return .int(abs(i))
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let f): return .float(abs(f))
        case .object(let o):
            if let result = try self.torch.absolute(o) { return result }
        default: break
        }
        throw self.error(.typeError, "bad operand type for abs(): '\(self.typeName(x))'")
    }

    private func builtinRound(_ a: inout Arguments) throws(PyException) -> Value {
        try self.round(&a)
    }

    private func builtinMin(_ a: inout Arguments) throws(PyException) -> Value {
        try self.extremum(&a, name: "min", op: .less)
    }

    private func builtinMax(_ a: inout Arguments) throws(PyException) -> Value {
        try self.extremum(&a, name: "max", op: .greater)
    }

    private func builtinSum(_ a: inout Arguments) throws(PyException) -> Value {
        var total = a.take(1, "start") ?? .int(0)
        for item in try self.iterate(try a.required(0, "iterable")) {
            total = try self.binaryOperation(.add, total, item)
        }
        return total
    }

    private func builtinAny(_ a: inout Arguments) throws(PyException) -> Value {
        for item in try self.iterate(try a.required(0, "iterable")) where try self.truth(item) { return .bool(true) }
        return .bool(false)
    }

    private func builtinAll(_ a: inout Arguments) throws(PyException) -> Value {
        for item in try self.iterate(try a.required(0, "iterable")) where !(try self.truth(item)) { return .bool(false) }
        return .bool(true)
    }

    private func builtinIsinstance(_ a: inout Arguments) throws(PyException) -> Value {
        let value = try a.required(0, "obj")
        return .bool(try self.isInstance(value, try a.required(1, "class_or_tuple")))
    }

    private func builtinEnumerate(_ a: inout Arguments) throws(PyException) -> Value {
        let start = a.take(1, "start").flatMap { self.index($0) } ?? 0
        let items = try self.iterate(try a.required(0, "iterable"))
        return .list(PyList(items.enumerated().map { .tuple([.int($0.offset + start), $0.element]) }))
    }

    private func builtinZip(_ a: inout Arguments) throws(PyException) -> Value {
        var sequences: [[Value]] = []
        for v in a.positional { sequences.append(try self.iterate(v)) }
        let n = sequences.map(\.count).min() ?? 0
        return .list(PyList((0..<n).map { i in .tuple(sequences.map { $0[i] }) }))
    }

    private func builtinSorted(_ a: inout Arguments) throws(PyException) -> Value {
        let items = try self.iterate(try a.required(0, "iterable"))
        let key = a.keyword("key").flatMap { $0.isNone ? nil : $0 }
        let reverse = try self.truth(a.keyword("reverse") ?? .bool(false))
        return .list(PyList(try self.sorted(items, key: key, reverse: reverse)))
    }

    private func builtinReversed(_ a: inout Arguments) throws(PyException) -> Value {
        .list(PyList(try self.iterate(try a.required(0, "sequence")).reversed()))
    }

    private func builtinMap(_ a: inout Arguments) throws(PyException) -> Value {
        let f = try a.required(0, "func")
        var sequences: [[Value]] = []
        for v in a.positional.dropFirst() { sequences.append(try self.iterate(v)) }
        let n = sequences.map(\.count).min() ?? 0
        var out: [Value] = []
        for i in 0..<n { out.append(try self.call(f, sequences.map { $0[i] })) }
        return .list(PyList(out))
    }

    private func builtinFilter(_ a: inout Arguments) throws(PyException) -> Value {
        let f = try a.required(0, "function")
        var out: [Value] = []
        for item in try self.iterate(try a.required(1, "iterable")) {
            let keep = f.isNone ? try self.truth(item) : try self.truth(try self.call(f, [item]))
            if keep { out.append(item) }
        }
        return .list(PyList(out))
    }

    private func builtinDivmod(_ a: inout Arguments) throws(PyException) -> Value {
        let x = try a.required(0, "x"), y = try a.required(1, "y")
        return .tuple([try self.binaryOperation(.floorDivide, x, y), try self.binaryOperation(.modulo, x, y)])
    }

    private func builtinPow(_ a: inout Arguments) throws(PyException) -> Value {
        try self.binaryOperation(.power, try a.required(0, "base"), try a.required(1, "exp"))
    }

    private func builtinChr(_ a: inout Arguments) throws(PyException) -> Value {
        guard let i = self.index(try a.required(0, "i")), let scalar = Unicode.Scalar(UInt32(clamping: max(i, 0))) else {
            throw self.error(.valueError, "chr() arg not in range(0x110000)")
        }
        return .str(String(Character(scalar)))
    }

    private func builtinOrd(_ a: inout Arguments) throws(PyException) -> Value {
        guard case .str(let s) = try a.required(0, "c"), s.unicodeScalars.count == 1 else {
            throw self.error(.typeError, "ord() expected a character")
        }
        return .int(Int(s.unicodeScalars.first!.value))
    }

    private func builtinHasattr(_ a: inout Arguments) throws(PyException) -> Value {
        guard case .str(let name) = try a.required(1, "name") else { throw self.error(.typeError, "hasattr(): attribute name must be string") }
        do throws(PyException) {
            _ = try self.getAttribute(try a.required(0, "obj"), name)
            return .bool(true)
        } catch {
            if error.object.cls.isSubclass(of: self.exceptionClass(.attributeError)) { return .bool(false) }
            throw error
        }
    }

    private func builtinGetattr(_ a: inout Arguments) throws(PyException) -> Value {
        guard case .str(let name) = try a.required(1, "name") else { throw self.error(.typeError, "getattr(): attribute name must be string") }
        let fallback = a.take(2, "default")
        do throws(PyException) {
            return try self.getAttribute(try a.required(0, "obj"), name)
        } catch {
            if let fallback, error.object.cls.isSubclass(of: self.exceptionClass(.attributeError)) { return fallback }
            throw error
        }
    }

    private func builtinSetattr(_ a: inout Arguments) throws(PyException) -> Value {
        guard case .str(let name) = try a.required(1, "name") else { throw self.error(.typeError, "setattr(): attribute name must be string") }
        try self.setAttribute(try a.required(0, "obj"), name, try a.required(2, "value"))
        return .none
    }

    private func builtinId(_ a: inout Arguments) throws(PyException) -> Value {
        .int(self.identity(try a.required(0, "obj")))
    }

    private func builtinSuper(_ a: inout Arguments) throws(PyException) -> Value {
        try self.makeSuper(&a)
    }

    private func builtinFormat(_ a: inout Arguments) throws(PyException) -> Value {
        let spec = a.take(1, "format_spec") ?? .str("")
        guard case .str(let text) = spec else { throw self.error(.typeError, "format() argument 2 must be str, not \(self.typeName(spec))") }
        return .str(try self.format(try a.required(0, "value"), spec: text))
    }

    private func builtinCallable(_ a: inout Arguments) throws(PyException) -> Value {
        switch try a.required(0, "obj") {
        case .function, .builtin, .boundMethod, .type: return .bool(true)
        case .instance(let instance): return .bool(instance.cls.isSubclass(of: self.torch.moduleClass) || instance.cls.lookup("__call__") != nil)
        default: return .bool(false)
        }
    }

    private func builtinIssubclass(_ a: inout Arguments) throws(PyException) -> Value {
        guard case .type(let cls) = try a.required(0, "cls") else { throw self.error(.typeError, "issubclass() arg 1 must be a class") }
        return .bool(try self.isInstanceOfClass(cls, try a.required(1, "class_or_tuple")))
    }

    private func builtinIter(_ a: inout Arguments) throws(PyException) -> Value {
        .list(PyList(try self.iterate(try a.required(0, "object"))))
    }

    private func makeInt(_ a: inout Arguments) throws(PyException) -> Value {
        guard let x = a.take(0, "x") else { return .int(0) }
        switch x {
        case .int: return x
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let f):
            if f.isNaN { throw error(.valueError, "cannot convert float NaN to integer") }
            if f.isInfinite { throw error(.overflowError, "cannot convert float infinity to integer") }
            guard let i = Int(exactly: f.rounded(.towardZero)) else {
                throw error(.overflowError, "tapedeck does not support integers beyond 64 bits")
            }
            return .int(i)
        case .str(let s):
            let text = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            guard let i = Int(text) else {
                throw error(.valueError, "invalid literal for int() with base 10: \(Interpreter.stringRepr(s))")
            }
            return .int(i)
        case .object(let o):
            if let v = try torch.scalarValue(o, as: "int") { return v }
        default: break
        }
        throw error(.typeError, "int() argument must be a string, a bytes-like object or a real number, not '\(typeName(x))'")
    }

    private func makeFloat(_ a: inout Arguments) throws(PyException) -> Value {
        guard let x = a.take(0, "x") else { return .float(0) }
        switch x {
        case .float: return x
        case .int(let i): return .float(Double(i))
        case .bool(let b): return .float(b ? 1 : 0)
        case .str(let s):
            let text = s.trimmingCharacters(in: .whitespaces).lowercased()
            switch text {
            case "inf", "+inf", "infinity", "+infinity": return .float(.infinity)
            case "-inf", "-infinity": return .float(-.infinity)
            case "nan", "+nan", "-nan": return .float(.nan)
            default:
                if let f = Double(text.replacingOccurrences(of: "_", with: "")), !text.hasPrefix("0x") { return .float(f) }
                throw error(.valueError, "could not convert string to float: \(Interpreter.stringRepr(s))")
            }
        case .object(let o):
            if let v = try torch.scalarValue(o, as: "float") { return v }
        default: break
        }
        throw error(.typeError, "float() argument must be a string or a real number, not '\(typeName(x))'")
    }

    private func round(_ a: inout Arguments) throws(PyException) -> Value {
        let x = try a.required(0, "number")
        let digits = a.take(1, "ndigits")
        try a.finish(maxPositional: 2)
        var ndigits: Int?
        if let digits, !digits.isNone {
            guard let n = index(digits) else {
                throw error(.typeError, "'\(typeName(digits))' object cannot be interpreted as an integer")
            }
            ndigits = n
        }
        switch x {
        case .int, .bool:
            let value = index(x)!
            guard let n = ndigits, n < 0 else { return .int(value) }
            let p = Int(pow(10.0, Double(min(-n, 18))))
            let q = Int((Double(value) / Double(p)).rounded(.toNearestOrEven))
            return .int(-n > 18 ? 0 : q * p)
        case .float(let f):
            guard let n = ndigits else {
                if f.isNaN { throw error(.valueError, "cannot convert float NaN to integer") }
                if f.isInfinite { throw error(.overflowError, "cannot convert float infinity to integer") }
                guard let i = Int(exactly: f.rounded(.toNearestOrEven)) else { throw error(.overflowError, "tapedeck does not support integers beyond 64 bits") }
                return .int(i)
            }
            return .float(FloatFormat.round(f, digits: n))
        case .object(let o):
            if let result = try torch.round(o, digits: ndigits) { return result }
        default: break
        }
        throw error(.typeError, "type \(typeName(x)) doesn't define __round__ method")
    }

    private func extremum(_ a: inout Arguments, name: String, op: CompareOperator) throws(PyException) -> Value {
        let key = a.keyword("key").flatMap { $0.isNone ? nil : $0 }
        let fallback = a.keyword("default")
        try a.finish(maxPositional: Int.max)
        let items: [Value]
        if a.positional.count == 1 {
            items = try iterate(a.positional[0])
        } else if a.positional.isEmpty {
            throw error(.typeError, "\(name) expected at least 1 argument, got 0")
        } else {
            items = a.positional
        }
        guard var best = items.first else {
            if let fallback { return fallback }
            throw error(.valueError, "\(name)() arg is an empty sequence")
        }
        var bestKey = try key.map { (k) throws(PyException) in try call(k, [best]) } ?? best
        for item in items.dropFirst() {
            let itemKey = try key.map { (k) throws(PyException) in try call(k, [item]) } ?? item
            if try truth(try compare(op, itemKey, bestKey)) {
                best = item
                bestKey = itemKey
            }
        }
        return best
    }

    /// `type(value)`: the built-in class for Python values, the program's class for instances, and a
    /// named class (made once) for everything else, so `type(a) is type(b)` holds.
    func classOf(_ value: Value) -> PyClass {
        let known: PyClass?
        switch value {
        case .bool: return types["bool"]!
        case .int: return types["int"]!
        case .float: return types["float"]!
        case .str: return types["str"]!
        case .list: return types["list"]!
        case .tuple: return types["tuple"]!
        case .dict: return types["dict"]!
        case .range: return types["range"]!
        case .type: return types["type"]!
        case .instance(let instance): return instance.cls
        case .exception(let object): return object.cls
        case .object(let object): known = torch.classOf(object)
        default: known = nil
        }
        if let known { return known }
        let name = typeName(value)
        if let existing = types[name] { return existing }
        let synthesized = PyClass(name: name, bases: [types["object"]!])
        types[name] = synthesized
        return synthesized
    }

    func isInstance(_ value: Value, _ classInfo: Value) throws(PyException) -> Bool {
        try isInstanceOfClass(classOf(value), classInfo)
    }

    /// Whether `cls` is `classInfo` (a class or a tuple of classes) or a subclass of it.
    func isInstanceOfClass(_ cls: PyClass, _ classInfo: Value) throws(PyException) -> Bool {
        switch classInfo {
        case .type(let target):
            return target === types["object"] || cls.isSubclass(of: target)
        case .tuple(let items):
            for item in items where try isInstanceOfClass(cls, item) { return true }
            return false
        default:
            throw error(.typeError, "isinstance() arg 2 must be a type, a tuple of types, or a union")
        }
    }

    private func identity(_ value: Value) -> Int {
        switch value {
        case .list(let o): return ObjectIdentifier(o).hashValue
        case .dict(let o): return ObjectIdentifier(o).hashValue
        case .instance(let o): return ObjectIdentifier(o).hashValue
        case .object(let o): return ObjectIdentifier(o).hashValue
        case .int(let i): return i
        default: return 0
        }
    }

    /// Zero-argument `super()` inside a method: the class after the method's owner in the instance's MRO.
    private func makeSuper(_ a: inout Arguments) throws(PyException) -> Value {
        var owner: PyClass?
        var receiver: Value?
        if a.positional.count == 2, case .type(let cls) = a.positional[0] {
            owner = cls
            receiver = a.positional[1]
        } else if let context = functionStack.last, let first = context.function.parameters.list.first {
            owner = context.function.owner
            receiver = context.scope.variables[first.name]
        }
        guard let owner, let receiver else {
            throw error(.runtimeError, "super(): no arguments")
        }
        return .object(SuperProxy(owner: owner, receiver: receiver))
    }
}
