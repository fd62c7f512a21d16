import Foundation

/// Python's built-in functions (`print`, `len`, `sorted`...).
extension Interpreter {
    /// The built-in functions, each a named handler below (`print` is `builtinPrint`).
    static let builtinFunctions: [String: BuiltinHandler] = [
        "print": Interpreter.builtinPrint,
        "len": Interpreter.builtinLen,
        "repr": Interpreter.builtinRepr,
        "abs": Interpreter.builtinAbs,
        "round": Interpreter.builtinRound,
        "min": Interpreter.builtinMin,
        "max": Interpreter.builtinMax,
        "sum": Interpreter.builtinSum,
        "any": Interpreter.builtinAny,
        "all": Interpreter.builtinAll,
        "isinstance": Interpreter.builtinIsinstance,
        "enumerate": Interpreter.builtinEnumerate,
        "zip": Interpreter.builtinZip,
        "sorted": Interpreter.builtinSorted,
        "reversed": Interpreter.builtinReversed,
        "map": Interpreter.builtinMap,
        "filter": Interpreter.builtinFilter,
        "divmod": Interpreter.builtinDivmod,
        "pow": Interpreter.builtinPow,
        "chr": Interpreter.builtinChr,
        "ord": Interpreter.builtinOrd,
        "bin": Interpreter.builtinBin,
        "oct": Interpreter.builtinOct,
        "hex": Interpreter.builtinHex,
        "hasattr": Interpreter.builtinHasattr,
        "getattr": Interpreter.builtinGetattr,
        "setattr": Interpreter.builtinSetattr,
        "id": Interpreter.builtinId,
        "super": Interpreter.builtinSuper,
        "format": Interpreter.builtinFormat,
        "callable": Interpreter.builtinCallable,
        "issubclass": Interpreter.builtinIssubclass,
        "iter": Interpreter.builtinIter,
        "exit": Interpreter.builtinExit,
        "quit": Interpreter.builtinExit,
        "set": Interpreter.builtinSet,
        "frozenset": Interpreter.builtinSet,
    ]

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

    private func builtinBin(_ a: inout Arguments) throws(PyException) -> Value {
        try integerText(&a, radix: 2, prefix: "0b")
    }

    private func builtinOct(_ a: inout Arguments) throws(PyException) -> Value {
        try integerText(&a, radix: 8, prefix: "0o")
    }

    private func builtinHex(_ a: inout Arguments) throws(PyException) -> Value {
        try integerText(&a, radix: 16, prefix: "0x")
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

    /// `exit()` and `quit()`: raise `SystemExit` with the code, as the site module's helpers do.
    private func builtinExit(_ a: inout Arguments) throws(PyException) -> Value {
        throw self.raising(PyExceptionObject(cls: self.exceptionClass(.systemExit), args: a.take(0, "code").map { [$0] } ?? []))
    }

    /// `set()` and `frozenset()`, which the subset leaves out.
    private func builtinSet(_ a: inout Arguments) throws(PyException) -> Value {
        throw self.error(.notImplementedError, "tapedeck does not support sets")
    }

    /// `bin`, `oct`, `hex`: the integer in `radix` after `prefix`, the sign in front.
    private func integerText(_ a: inout Arguments, radix: Int, prefix: String) throws(PyException) -> Value {
        let value = try a.required(0, "number")
        guard let i = self.index(value) else {
            throw self.error(.typeError, "'\(self.typeName(value))' object cannot be interpreted as an integer")
        }
        return .str((i < 0 ? "-" : "") + prefix + String(i.magnitude, radix: radix))
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
