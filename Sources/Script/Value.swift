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

extension Value {
    var isNone: Bool { if case .none = self { return true } else { return false } }

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
