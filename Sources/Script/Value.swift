/// A Python value as the interpreter sees it.
///
/// Immutable Python values are Swift values; mutable ones (lists, dicts, instances) are classes so that
/// aliasing behaves as in Python.
indirect enum Value {
    case none
    case ellipsis
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case list(PyList)
    case tuple([Value])
    case dict(PyDict)
    case range(start: Int, stop: Int, step: Int)
    case slice(Value, Value, Value)
    case function(PyFunction)
    case builtin(Builtin)
    case boundMethod(receiver: Value, function: PyFunction)
    case type(PyClass)
    case instance(PyInstance)
    case exception(PyExceptionObject)
    case object(any PyObject)
}

/// A Python list: a shared, mutable array.
final class PyList {
    var items: [Value]
    init(_ items: [Value]) { self.items = items }
}

/// A Python dict: insertion-ordered keys compared with Python equality.
final class PyDict {
    var keys: [Value] = []
    var values: [Value] = []

    init(_ pairs: [(Value, Value)] = []) {
        for (k, v) in pairs { set(k, v) }
    }

    func index(of key: Value) -> Int? {
        keys.firstIndex { Value.keyEqual($0, key) }
    }

    func get(_ key: Value) -> Value? {
        index(of: key).map { values[$0] }
    }

    func set(_ key: Value, _ value: Value) {
        if let i = index(of: key) { values[i] = value } else { keys.append(key); values.append(value) }
    }

    func remove(_ key: Value) -> Value? {
        guard let i = index(of: key) else { return nil }
        keys.remove(at: i)
        return values.remove(at: i)
    }
}

/// A function written in the program (`def` or `lambda`).
final class PyFunction {
    let name: String
    let parameters: Parameters
    let defaults: [String: Value]
    let body: Body
    let closure: Scope
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
    }
}

/// A function implemented in Swift: a builtin, a torch function or a bound method of a torch object.
final class Builtin {
    typealias Implementation = (inout Arguments) throws(PyException) -> Value
    let name: String
    let implementation: Implementation

    init(_ name: String, _ implementation: @escaping Implementation) {
        self.name = name
        self.implementation = implementation
    }
}

/// A class: defined by the program, or built in (`int`, `RuntimeError`, `nn.Module`).
final class PyClass {
    let name: String
    let bases: [PyClass]
    var attributes: [String: Value]
    /// How calling the class makes an instance, for built-in classes; nil for `class` statements.
    var construct: Builtin?
    /// The dotted module path PyTorch prints in a class repr (`torch.nn.modules.linear`), or `__main__`.
    let module: String

    init(name: String, bases: [PyClass], attributes: [String: Value] = [:], module: String = "builtins", construct: Builtin? = nil) {
        self.name = name
        self.bases = bases
        self.attributes = attributes
        self.module = module
        self.construct = construct
    }

    /// Method resolution order, depth-first (enough for single inheritance and simple mixins).
    var mro: [PyClass] {
        var result = [self]
        for base in bases {
            for cls in base.mro where !result.contains(where: { $0 === cls }) { result.append(cls) }
        }
        return result
    }

    func lookup(_ name: String) -> Value? {
        for cls in mro {
            if let value = cls.attributes[name] { return value }
        }
        return nil
    }

    func isSubclass(of other: PyClass) -> Bool {
        mro.contains { $0 === other }
    }
}

/// An instance of a program-defined class (including `nn.Module` subclasses).
final class PyInstance {
    let cls: PyClass
    var attributes: [String: Value] = [:]
    /// The insertion order of `attributes`, which `nn.Module` registration relies on.
    var module: ModuleState?

    init(cls: PyClass) {
        self.cls = cls
    }
}

/// A raised or raisable exception: its class, arguments and the traceback captured where it was raised.
final class PyExceptionObject {
    let cls: PyClass
    let args: [Value]
    var traceback: [TracebackFrame] = []
    /// The backward call the engine was running when it raised, if any.
    var backward: Int?

    init(cls: PyClass, args: [Value]) {
        self.cls = cls
        self.args = args
    }
}

/// One line of a traceback: the scope and the line it was executing.
struct TracebackFrame: Equatable {
    var scope: String
    var line: Int
}

/// The error every Python-level failure travels as, caught by `try/except` in the program.
struct PyException: Error {
    let object: PyExceptionObject
}

extension Value {
    /// Equality for dict keys (hashable values): numbers by value, strings, tuples item by item, else identity.
    static func keyEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.str(let x), .str(let y)): return x == y
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.tuple(let x), .tuple(let y)): return x.count == y.count && zip(x, y).allSatisfy { keyEqual($0, $1) }
        case (.type(let x), .type(let y)): return x === y
        case (.instance(let x), .instance(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        default:
            guard let x = a.numberValue, let y = b.numberValue else { return false }
            return x == y
        }
    }

    private var numberValue: Double? {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: return nil
        }
    }
}
