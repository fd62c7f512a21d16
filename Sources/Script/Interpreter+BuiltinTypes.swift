import Foundation

/// Python's built-in types (`int`, `dict`, `range`, `staticmethod`...): what calling each one
/// constructs.
extension Interpreter {
    typealias BuiltinHandler = @Sendable (Interpreter) -> Builtin.Implementation

    /// The built-in types in installation order (a type's base comes first), each with its
    /// constructor below (the `dict` type is `constructDict`).
    static let builtinTypes: [(name: String, base: String, construct: BuiltinHandler)] = [
        ("staticmethod", "object", Interpreter.constructStaticmethod),
        ("classmethod", "object", Interpreter.constructClassmethod),
        ("property", "object", Interpreter.constructProperty),
        ("int", "object", Interpreter.constructInt),
        ("bool", "int", Interpreter.constructBool),
        ("float", "object", Interpreter.constructFloat),
        ("str", "object", Interpreter.constructStr),
        ("list", "object", Interpreter.constructList),
        ("tuple", "object", Interpreter.constructTuple),
        ("dict", "object", Interpreter.constructDict),
        ("range", "object", Interpreter.constructRange),
        ("type", "object", Interpreter.constructType),
    ]

    private func constructStaticmethod(_ a: inout Arguments) throws(PyException) -> Value {
        .object(MethodWrapper(kind: .staticMethod, function: try a.required(0, "function")))
    }

    private func constructClassmethod(_ a: inout Arguments) throws(PyException) -> Value {
        .object(MethodWrapper(kind: .classMethod, function: try a.required(0, "function")))
    }

    private func constructProperty(_ a: inout Arguments) throws(PyException) -> Value {
        .object(MethodWrapper(kind: .property, function: try a.required(0, "function")))
    }

    private func constructInt(_ a: inout Arguments) throws(PyException) -> Value {
        try self.makeInt(&a)
    }

    private func constructBool(_ a: inout Arguments) throws(PyException) -> Value {
        .bool(try a.take(0, "o").map { (v) throws(PyException) in try self.truth(v) } ?? false)
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
}
