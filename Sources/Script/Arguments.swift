/// The arguments of a call into a Swift-implemented function, consumed by name or position.
struct Arguments {
    var positional: [Value]
    var keywords: [(name: String, value: Value)]
    /// The function's name as Python spells it in error messages (`round`, `Tensor.sum`).
    let function: String
    let interpreter: Interpreter

    init(_ positional: [Value], keywords: [(name: String, value: Value)] = [], function: String, interpreter: Interpreter) {
        self.positional = positional
        self.keywords = keywords
        self.function = function
        self.interpreter = interpreter
    }

    /// The argument at `index` if passed by position, otherwise the keyword `name`; nil when absent.
    mutating func take(_ index: Int, _ name: String) -> Value? {
        if let i = keywords.firstIndex(where: { $0.name == name }) {
            return keywords.remove(at: i).value
        }
        if index >= 0 && index < positional.count { return positional[index] }
        return nil
    }

    /// A keyword-only argument.
    mutating func keyword(_ name: String) -> Value? {
        take(-1, name)
    }

    mutating func required(_ index: Int, _ name: String) throws(PyException) -> Value {
        guard let value = take(index, name) else {
            throw interpreter.error(.typeError, "\(function)() missing required argument '\(name)' (pos \(index + 1))")
        }
        return value
    }

    /// Checks that no unexpected arguments remain after the function took what it accepts.
    func finish(maxPositional: Int) throws(PyException) {
        if positional.count > maxPositional {
            let takes = maxPositional == 0 ? "no arguments" : maxPositional == 1 ? "exactly one argument" : "at most \(maxPositional) arguments"
            throw interpreter.error(.typeError, "\(function)() takes \(takes) (\(positional.count) given)")
        }
        if let extra = keywords.first {
            throw interpreter.error(.typeError, "\(function)() got an unexpected keyword argument '\(extra.name)'")
        }
    }
}
