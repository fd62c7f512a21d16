import Foundation

extension Interpreter {
    /// Python builtins outside the subset: using one is `NotImplementedError`, not a `NameError`.
    static let otherPythonBuiltins: Set<String> = [
        "aiter", "anext", "ascii", "breakpoint", "bytearray", "bytes", "compile", "complex", "copyright", "credits",
        "delattr", "dir", "eval", "exec", "globals", "hash", "help", "input", "license", "locals", "memoryview", "next",
        "open", "vars", "NotImplemented", "BaseExceptionGroup", "ExceptionGroup",
    ]

    /// Installs Python's built-in exception classes, then the types of `builtinTypes` (in order: a
    /// type's base comes before it) and the functions of `builtinFunctions`.
    func installBuiltins() {
        let object = PyClass(name: "object", bases: [])
        types["object"] = object
        builtins["object"] = .type(object)
        for kind in ExceptionKind.allCases {
            let base = kind.base.map { exceptionClasses[$0]! } ?? object
            let cls = PyClass(name: kind.rawValue, bases: [base])
            exceptionClasses[kind] = cls
            builtins[kind.rawValue] = .type(cls)
        }
        for type in Interpreter.builtinTypes {
            let cls = PyClass(name: type.name, bases: [types[type.base]!], construct: Builtin(type.name, type.construct(self)))
            types[type.name] = cls
            builtins[type.name] = .type(cls)
        }
        for (name, handler) in Interpreter.builtinFunctions {
            builtins[name] = .builtin(Builtin(name, handler(self)))
        }
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
}
