import Foundation

extension Interpreter {
    // MARK: Truth and types

    func truth(_ value: Value) throws(PyException) -> Bool {
        switch value {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let f): return f != 0
        case .str(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return !d.keys.isEmpty
        case .range(let start, let stop, let step): return rangeCount(start, stop, step) > 0
        case .object(let object): return try object.truth(interpreter: self)
        case .instance(let instance):
            if let method = instance.cls.lookup("__bool__") { return try truth(try call(bind(method, to: value), [])) }
            if let method = instance.cls.lookup("__len__") { return try truth(try call(bind(method, to: value), [])) }
            return true
        default: return true
        }
    }

    func typeName(_ value: Value) -> String {
        switch value {
        case .none: return "NoneType"
        case .ellipsis: return "ellipsis"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .str: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .range: return "range"
        case .slice: return "slice"
        case .function: return "function"
        case .builtin: return "builtin_function_or_method"
        case .boundMethod: return "method"
        case .type: return "type"
        case .instance(let instance): return instance.cls.name
        case .exception(let object): return object.cls.name
        case .object(let object): return object.typeName
        }
    }

    func checkHashable(_ value: Value) throws(PyException) {
        switch value {
        case .list, .dict: throw error(.typeError, "unhashable type: '\(typeName(value))'")
        case .tuple(let items): for item in items { try checkHashable(item) }
        default: return
        }
    }

    /// `len(range(start, stop, step))`, computed without overflow (and capped at `Int.max`).
    func rangeCount(_ start: Int, _ stop: Int, _ step: Int) -> Int {
        let (a, b, s) = (Int128(start), Int128(stop), Int128(step))
        let count: Int128
        if s > 0 { count = b > a ? (b - a + s - 1) / s : 0 } else { count = a > b ? (a - b - s - 1) / (-s) : 0 }
        return Int(clamping: count)
    }

    // MARK: Arithmetic

    /// A number as a Double for mixed int/float arithmetic; nil for non-numbers.
    private func numeric(_ value: Value) -> Double? {
        switch value {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: return nil
        }
    }

    private func integer(_ value: Value) -> Int? {
        switch value {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return i
        default: return nil
        }
    }

    private func overflow() -> PyException {
        error(.overflowError, "tapedeck does not support integers beyond 64 bits")
    }

    func binaryOperation(_ op: BinaryOperator, _ left: Value, _ right: Value) throws(PyException) -> Value {
        if case .object(let object) = left, let result = try object.binary(op, right, reflected: false, interpreter: self) {
            return result
        }
        if case .object(let object) = right, let result = try object.binary(op, left, reflected: true, interpreter: self) {
            return result
        }
        if let a = integer(left), let b = integer(right) {
            return try integerOperation(op, a, b)
        }
        if let a = numeric(left), let b = numeric(right) {
            return try floatOperation(op, a, b)
        }
        switch (op, left, right) {
        case (.add, .str(let a), .str(let b)): return .str(a + b)
        case (.add, .list(let a), .list(let b)): return .list(PyList(a.items + b.items))
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.multiply, .str(let s), _) where integer(right) != nil: return .str(try repeated(s, integer(right)!))
        case (.multiply, _, .str(let s)) where integer(left) != nil: return .str(try repeated(s, integer(left)!))
        case (.multiply, .list(let l), _) where integer(right) != nil: return .list(PyList(try repeated(l.items, integer(right)!)))
        case (.multiply, _, .list(let l)) where integer(left) != nil: return .list(PyList(try repeated(l.items, integer(left)!)))
        case (.multiply, .tuple(let t), _) where integer(right) != nil: return .tuple(try repeated(t, integer(right)!))
        case (.multiply, _, .tuple(let t)) where integer(left) != nil: return .tuple(try repeated(t, integer(left)!))
        case (.modulo, .str(let format), _): return .str(try percentFormat(format, right))
        case (.add, .str, _):
            throw error(.typeError, "can only concatenate str (not \"\(typeName(right))\") to str")
        case (.add, .list, _):
            throw error(.typeError, "can only concatenate list (not \"\(typeName(right))\") to list")
        case (.add, .tuple, _):
            throw error(.typeError, "can only concatenate tuple (not \"\(typeName(right))\") to tuple")
        default:
            if case .instance(let instance) = left, let method = instance.cls.lookup(dunder(op)) {
                return try call(bind(method, to: left), [right])
            }
            if case .instance(let instance) = right, let method = instance.cls.lookup(reflectedDunder(op)) {
                return try call(bind(method, to: right), [left])
            }
            let symbol = op == .power ? "** or pow()" : op.rawValue
            throw error(.typeError, "unsupported operand type(s) for \(symbol): '\(typeName(left))' and '\(typeName(right))'")
        }
    }

    private func dunder(_ op: BinaryOperator) -> String {
        switch op {
        case .add: return "__add__"
        case .subtract: return "__sub__"
        case .multiply: return "__mul__"
        case .divide: return "__truediv__"
        case .floorDivide: return "__floordiv__"
        case .modulo: return "__mod__"
        case .power: return "__pow__"
        case .matmul: return "__matmul__"
        case .leftShift: return "__lshift__"
        case .rightShift: return "__rshift__"
        case .bitAnd: return "__and__"
        case .bitOr: return "__or__"
        case .bitXor: return "__xor__"
        }
    }

    private func reflectedDunder(_ op: BinaryOperator) -> String {
        "__r" + dunder(op).dropFirst(2)
    }

    /// `items * count`, refused by the memory budget before it is built when it would not fit.
    private func repeated(_ items: [Value], _ count: Int) throws(PyException) -> [Value] {
        guard count > 0 else { return [] }
        try reserve(bytes: Interpreter.product(items.count, count, MemoryLayout<Value>.stride))
        return Array([[Value]](repeating: items, count: count).joined())
    }

    /// `text * count`, refused by the memory budget before it is built when it would not fit.
    private func repeated(_ text: String, _ count: Int) throws(PyException) -> String {
        guard count > 0 else { return "" }
        try reserve(bytes: Interpreter.product(text.utf8.count, count))
        return String(repeating: text, count: count)
    }

    private func integerOperation(_ op: BinaryOperator, _ a: Int, _ b: Int) throws(PyException) -> Value {
        switch op {
        case .add:
            let (r, o) = a.addingReportingOverflow(b); if o { throw overflow() }; return .int(r)
        case .subtract:
            let (r, o) = a.subtractingReportingOverflow(b); if o { throw overflow() }; return .int(r)
        case .multiply:
            let (r, o) = a.multipliedReportingOverflow(by: b); if o { throw overflow() }; return .int(r)
        case .divide:
            if b == 0 { throw error(.zeroDivisionError, "division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDivide:
            if b == 0 { throw error(.zeroDivisionError, "integer division or modulo by zero") }
            if a == .min && b == -1 { throw overflow() }
            var q = a / b
            if (a % b != 0) && ((a < 0) != (b < 0)) { q -= 1 }
            return .int(q)
        case .modulo:
            if b == 0 { throw error(.zeroDivisionError, "integer modulo by zero") }
            if b == -1 { return .int(0) }
            var r = a % b
            if r != 0 && ((r < 0) != (b < 0)) { r += b }
            return .int(r)
        case .power:
            if b < 0 {
                if a == 0 { throw error(.zeroDivisionError, "0.0 cannot be raised to a negative power") }
                return .float(pow(Double(a), Double(b)))
            }
            var result = 1, base = a, exponent = b
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base); if o { throw overflow() }; result = r
                }
                exponent >>= 1
                if exponent > 0 {
                    let (r, o) = base.multipliedReportingOverflow(by: base); if o { throw overflow() }; base = r
                }
            }
            return .int(result)
        case .leftShift:
            if b < 0 { throw error(.valueError, "negative shift count") }
            if b >= 63 || (a != 0 && (a << b) >> b != a) { throw overflow() }
            return .int(a << b)
        case .rightShift:
            if b < 0 { throw error(.valueError, "negative shift count") }
            return .int(a >> min(b, 63))
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .matmul:
            throw error(.typeError, "unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    private func floatOperation(_ op: BinaryOperator, _ a: Double, _ b: Double) throws(PyException) -> Value {
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide:
            if b == 0 { throw error(.zeroDivisionError, "float division by zero") }
            return .float(a / b)
        case .floorDivide:
            if b == 0 { throw error(.zeroDivisionError, "float floor division by zero") }
            return .float(floatDivMod(a, b).quotient)
        case .modulo:
            if b == 0 { throw error(.zeroDivisionError, "float modulo") }
            return .float(floatDivMod(a, b).remainder)
        case .power:
            if a == 0 && b < 0 { throw error(.zeroDivisionError, "0.0 cannot be raised to a negative power") }
            if a < 0 && b != b.rounded() && b.isFinite {
                throw error(.notImplementedError, "tapedeck does not support complex numbers")
            }
            let result = pow(a, b)
            if result.isInfinite && a.isFinite && b.isFinite { throw error(.overflowError, "(34, 'Numerical result out of range')") }
            return .float(result)
        default:
            throw error(.typeError, "unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    /// CPython's float `divmod`: the remainder takes the divisor's sign.
    private func floatDivMod(_ a: Double, _ b: Double) -> (quotient: Double, remainder: Double) {
        var mod = fmod(a, b)
        var div = (a - mod) / b
        if mod != 0 {
            if (b < 0) != (mod < 0) {
                mod += b
                div -= 1
            }
        } else {
            mod = copysign(0, b)
        }
        var floorDiv: Double
        if div != 0 {
            floorDiv = div.rounded(.down)
            if div - floorDiv > 0.5 { floorDiv += 1 }
        } else {
            floorDiv = copysign(0, a / b)
        }
        return (floorDiv, mod)
    }

    /// `x op= y`: tensors (and lists) mutate in place; immutable values rebind to `x op y`.
    func inPlaceOperation(_ op: BinaryOperator, _ left: Value, _ right: Value) throws(PyException) -> Value {
        if case .object(let object) = left, let result = try object.inPlace(op, right, interpreter: self) {
            return result
        }
        if case .list(let list) = left {
            if op == .add {
                list.items += try iterate(right)
                return left
            }
            if op == .multiply, let n = integer(right) {
                list.items = try repeated(list.items, n)
                return left
            }
        }
        return try binaryOperation(op, left, right)
    }

    func unaryOperation(_ op: UnaryOperator, _ operand: Value) throws(PyException) -> Value {
        if case .object(let object) = operand, let result = try object.unary(op, interpreter: self) {
            return result
        }
        switch (op, operand) {
        case (.negate, .int(let i)):
            if i == .min { throw overflow() }
            return .int(-i)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .float(let f)): return .float(-f)
        case (.plus, .int), (.plus, .float): return operand
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(~(b ? 1 : 0))
        default:
            throw error(.typeError, "bad operand type for unary \(op.rawValue): '\(typeName(operand))'")
        }
    }

    // MARK: Comparison

    func compare(_ op: CompareOperator, _ left: Value, _ right: Value) throws(PyException) -> Value {
        switch op {
        case .isSame: return .bool(identical(left, right))
        case .isNot: return .bool(!identical(left, right))
        case .contains: return .bool(try contains(right, left))
        case .notContains: return .bool(!(try contains(right, left)))
        default: break
        }
        if case .object(let object) = left, let result = try object.compare(op, right, reflected: false, interpreter: self) {
            return result
        }
        if case .object(let object) = right, let result = try object.compare(op, left, reflected: true, interpreter: self) {
            return result
        }
        switch op {
        case .equal: return .bool(try equal(left, right))
        case .notEqual: return .bool(!(try equal(left, right)))
        default:
            let order = try ordering(left, right, op)
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x.bitPattern == y.bitPattern
        case (.str(let x), .str(let y)): return x == y
        case (.list(let x), .list(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.tuple(let x), .tuple(let y)): return x.isEmpty && y.isEmpty
        case (.function(let x), .function(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x === y
        case (.type(let x), .type(let y)): return x === y
        case (.instance(let x), .instance(let y)): return x === y
        case (.exception(let x), .exception(let y)): return x === y
        case (.object(let x), .object(let y)): return torch.sameObject(x, y)
        default: return false
        }
    }

    /// Python `==` for values without a torch-side `__eq__`.
    func equal(_ a: Value, _ b: Value) throws(PyException) -> Bool {
        if case .object(let object) = a, let result = try object.compare(.equal, b, reflected: false, interpreter: self) {
            return try truth(result)
        }
        if case .object(let object) = b, let result = try object.compare(.equal, a, reflected: true, interpreter: self) {
            return try truth(result)
        }
        if let x = integer(a), let y = integer(b) { return x == y }
        if let x = numeric(a), let y = numeric(b) { return x == y }
        switch (a, b) {
        case (.str(let x), .str(let y)): return x == y
        case (.list(let x), .list(let y)):
            if x === y { return true }
            return try sequenceEqual(x.items, y.items)
        case (.tuple(let x), .tuple(let y)): return try sequenceEqual(x, y)
        case (.dict(let x), .dict(let y)):
            guard x.keys.count == y.keys.count else { return false }
            for (k, v) in zip(x.keys, x.values) {
                guard let other = y.get(k), try equal(v, other) else { return false }
            }
            return true
        case (.range(let a1, let a2, let a3), .range(let b1, let b2, let b3)):
            return a1 == b1 && a2 == b2 && a3 == b3
        case (.instance(let instance), _):
            if let method = instance.cls.lookup("__eq__") { return try truth(try call(bind(method, to: a), [b])) }
            return identical(a, b)
        default: return identical(a, b)
        }
    }

    private func sequenceEqual(_ x: [Value], _ y: [Value]) throws(PyException) -> Bool {
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where !identical(p, q) {
            if !(try equal(p, q)) { return false }
        }
        return true
    }

    /// -1, 0 or 1 for `<`-style comparisons between values of compatible types.
    func ordering(_ a: Value, _ b: Value, _ op: CompareOperator) throws(PyException) -> Int {
        if let x = integer(a), let y = integer(b) { return x < y ? -1 : x > y ? 1 : 0 }
        if let x = numeric(a), let y = numeric(b) {
            if x.isNaN || y.isNaN { return op == .less || op == .lessEqual ? 1 : -1 }
            return x < y ? -1 : x > y ? 1 : 0
        }
        switch (a, b) {
        case (.str(let x), .str(let y)):
            let xs = Array(x.unicodeScalars), ys = Array(y.unicodeScalars)
            for (p, q) in zip(xs, ys) where p != q { return p.value < q.value ? -1 : 1 }
            return xs.count < ys.count ? -1 : xs.count > ys.count ? 1 : 0
        case (.list(let x), .list(let y)): return try sequenceOrdering(x.items, y.items, op)
        case (.tuple(let x), .tuple(let y)): return try sequenceOrdering(x, y, op)
        default:
            throw error(.typeError, "'\(op.rawValue)' not supported between instances of '\(typeName(a))' and '\(typeName(b))'")
        }
    }

    private func sequenceOrdering(_ x: [Value], _ y: [Value], _ op: CompareOperator) throws(PyException) -> Int {
        for (p, q) in zip(x, y) where !(try equal(p, q)) {
            return try ordering(p, q, op)
        }
        return x.count < y.count ? -1 : x.count > y.count ? 1 : 0
    }

    func contains(_ container: Value, _ item: Value) throws(PyException) -> Bool {
        switch container {
        case .str(let s):
            guard case .str(let sub) = item else {
                throw error(.typeError, "'in <string>' requires string as left operand, not \(typeName(item))")
            }
            return sub.isEmpty || s.contains(sub)
        case .dict(let d): return d.index(of: item) != nil
        case .range(let start, let stop, let step):
            guard let i = integer(item) else { return false }
            let n = rangeCount(start, stop, step)
            return n > 0 && (i - start) % step == 0 && (i - start) / step >= 0 && (i - start) / step < n
        default:
            for element in try iterate(container) {
                if identical(element, item) { return true }
                if try equal(element, item) { return true }
            }
            return false
        }
    }

    // MARK: Iteration and indexing

    /// The most items a range may expand to outside a `for` loop (which walks ranges lazily).
    static let materializeLimit = 50_000_000

    /// Runs `body` for each item, walking ranges lazily so `for i in range(10**12): ... break` works.
    func forEach(_ value: Value, _ body: (Value) throws(PyException) -> Bool) throws(PyException) {
        if case .range(let start, let stop, let step) = value {
            var i = start
            for _ in 0..<rangeCount(start, stop, step) {
                try tick()
                guard try body(.int(i)) else { return }
                i = i &+ step
            }
            return
        }
        for item in try iterate(value) {
            try tick()
            guard try body(item) else { return }
        }
    }

    func iterate(_ value: Value) throws(PyException) -> [Value] {
        switch value {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .str(let s): return s.map { .str(String($0)) }
        case .dict(let d): return d.keys
        case .range(let start, let stop, let step):
            let n = rangeCount(start, stop, step)
            if n > Interpreter.materializeLimit {
                throw error(.notImplementedError, "tapedeck does not support materializing a range of \(n) items")
            }
            return (0..<n).map { .int(start + $0 * step) }
        case .object(let object):
            if let items = try object.iterate(interpreter: self) { return items }
        case .instance(let instance):
            if let items = torch.moduleItems(instance) { return items }
            if let method = instance.cls.lookup("__iter__") { return try iterate(try call(bind(method, to: value), [])) }
        default: break
        }
        throw error(.typeError, "'\(typeName(value))' object is not iterable")
    }

    func length(_ value: Value) throws(PyException) -> Int {
        switch value {
        case .list(let l): return l.items.count
        case .tuple(let t): return t.count
        case .str(let s): return s.count
        case .dict(let d): return d.keys.count
        case .range(let start, let stop, let step): return rangeCount(start, stop, step)
        case .object(let object):
            if let n = try object.length(interpreter: self) { return n }
        case .instance(let instance):
            if let n = torch.moduleLength(instance) { return n }
            if let method = instance.cls.lookup("__len__"), case .int(let n) = try call(bind(method, to: value), []) { return n }
        default: break
        }
        throw error(.typeError, "object of type '\(typeName(value))' has no len()")
    }

    /// Converts an index value to an Int (ints and bools; `__index__` of 0-d integer tensors).
    func index(_ value: Value) -> Int? {
        integer(value)
    }

    /// Python's `slice.indices(length)`.
    func sliceIndices(_ lower: Value, _ upper: Value, _ step: Value, length: Int) throws(PyException) -> (start: Int, stop: Int, step: Int) {
        func bound(_ v: Value) throws(PyException) -> Int? {
            if case .none = v { return nil }
            guard let i = integer(v) else {
                throw error(.typeError, "slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        let stepValue = try bound(step) ?? 1
        if stepValue == 0 { throw error(.valueError, "slice step cannot be zero") }
        func clamp(_ v: Int?, _ defaultValue: Int) -> Int {
            guard var i = v else { return defaultValue }
            if i < 0 {
                i += length
                if i < 0 { i = stepValue < 0 ? -1 : 0 }
            } else if i >= length {
                i = stepValue < 0 ? length - 1 : length
            }
            return i
        }
        let start = clamp(try bound(lower), stepValue < 0 ? length - 1 : 0)
        let stop = clamp(try bound(upper), stepValue < 0 ? -1 : length)
        return (start, stop, stepValue)
    }

    private func sliceItems<T>(_ items: [T], _ lower: Value, _ upper: Value, _ step: Value) throws(PyException) -> [T] {
        let (start, stop, s) = try sliceIndices(lower, upper, step, length: items.count)
        let n = rangeCount(start, stop, s)
        return (0..<n).map { items[start + $0 * s] }
    }

    private func sequenceIndex(_ index: Value, count: Int, kind: String) throws(PyException) -> Int {
        guard let i = integer(index) else {
            throw error(.typeError, "\(kind) indices must be integers or slices, not \(typeName(index))")
        }
        let resolved = i < 0 ? i + count : i
        guard resolved >= 0 && resolved < count else {
            throw error(.indexError, "\(kind) index out of range")
        }
        return resolved
    }

    func getItem(_ object: Value, _ index: Value) throws(PyException) -> Value {
        switch object {
        case .list(let list):
            if case .slice(let a, let b, let c) = index { return .list(PyList(try sliceItems(list.items, a, b, c))) }
            return list.items[try sequenceIndex(index, count: list.items.count, kind: "list")]
        case .tuple(let items):
            if case .slice(let a, let b, let c) = index { return .tuple(try sliceItems(items, a, b, c)) }
            return items[try sequenceIndex(index, count: items.count, kind: "tuple")]
        case .str(let s):
            let chars = Array(s)
            if case .slice(let a, let b, let c) = index { return .str(String(try sliceItems(chars, a, b, c))) }
            guard integer(index) != nil else { throw error(.typeError, "string indices must be integers, not '\(typeName(index))'") }
            return .str(String(chars[try sequenceIndex(index, count: chars.count, kind: "string")]))
        case .dict(let dict):
            try checkHashable(index)
            guard let value = dict.get(index) else {
                throw raising(PyExceptionObject(cls: exceptionClass(.keyError), args: [index]))
            }
            return value
        case .range(let start, let stop, let step):
            let n = rangeCount(start, stop, step)
            if case .slice(let a, let b, let c) = index {
                let (s0, _, s) = try sliceIndices(a, b, c, length: n)
                let picked = try sliceItems(Array(0..<n), a, b, c)
                let first = start + s0 * step
                return .range(start: first, stop: first + picked.count * step * s, step: step * s)
            }
            return .int(start + step * (try sequenceIndex(index, count: n, kind: "range object")))
        case .object(let o):
            if let value = try o.getItem(index, interpreter: self) { return value }
        case .instance(let instance):
            if let value = try torch.moduleItem(instance, index) { return value }
            if let method = instance.cls.lookup("__getitem__") { return try call(bind(method, to: object), [index]) }
        case .type(let cls):
            throw error(.typeError, "type '\(cls.name)' is not subscriptable")
        default: break
        }
        throw error(.typeError, "'\(typeName(object))' object is not subscriptable")
    }

    func setItem(_ object: Value, _ index: Value, _ value: Value) throws(PyException) {
        switch object {
        case .list(let list):
            if case .slice(let a, let b, let c) = index {
                let (start, stop, step) = try sliceIndices(a, b, c, length: list.items.count)
                let replacement = try iterate(value)
                if step == 1 {
                    list.items.replaceSubrange(start..<max(start, stop), with: replacement)
                } else {
                    let n = rangeCount(start, stop, step)
                    guard n == replacement.count else {
                        throw error(.valueError, "attempt to assign sequence of size \(replacement.count) to extended slice of size \(n)")
                    }
                    for k in 0..<n { list.items[start + k * step] = replacement[k] }
                }
                return
            }
            list.items[try sequenceIndex(index, count: list.items.count, kind: "list assignment")] = value
        case .dict(let dict):
            try checkHashable(index)
            dict.set(index, value)
        case .object(let o):
            if try o.setItem(index, value, interpreter: self) { return }
            throw error(.typeError, "'\(o.typeName)' object does not support item assignment")
        case .instance(let instance):
            if let method = instance.cls.lookup("__setitem__") {
                _ = try call(bind(method, to: object), [index, value])
                return
            }
            throw error(.typeError, "'\(typeName(object))' object does not support item assignment")
        default:
            throw error(.typeError, "'\(typeName(object))' object does not support item assignment")
        }
    }

    func deleteItem(_ object: Value, _ index: Value) throws(PyException) {
        switch object {
        case .list(let list):
            if case .slice(let a, let b, let c) = index {
                let (start, stop, step) = try sliceIndices(a, b, c, length: list.items.count)
                let doomed = Set((0..<rangeCount(start, stop, step)).map { start + $0 * step })
                list.items = list.items.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
                return
            }
            list.items.remove(at: try sequenceIndex(index, count: list.items.count, kind: "list assignment"))
        case .dict(let dict):
            if dict.remove(index) == nil {
                throw raising(PyExceptionObject(cls: exceptionClass(.keyError), args: [index]))
            }
        default:
            throw error(.typeError, "'\(typeName(object))' object does not support item deletion")
        }
    }
}
