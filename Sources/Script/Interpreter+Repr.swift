import Foundation

extension Interpreter {
    /// `repr(x)` exactly as Python prints it.
    func repr(_ value: Value) throws(PyException) -> String {
        switch value {
        case .none: return "None"
        case .ellipsis: return "Ellipsis"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let f): return FloatFormat.repr(f)
        case .str(let s): return Interpreter.stringRepr(s)
        case .list(let l):
            guard !reprInProgress.contains(ObjectIdentifier(l)) else { return "[...]" }
            reprInProgress.insert(ObjectIdentifier(l))
            defer { reprInProgress.remove(ObjectIdentifier(l)) }
            return "[" + (try l.items.map { (v) throws(PyException) in try repr(v) }).joined(separator: ", ") + "]"
        case .tuple(let t):
            let items = try t.map { (v) throws(PyException) in try repr(v) }
            return "(" + items.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case .dict(let d):
            guard !reprInProgress.contains(ObjectIdentifier(d)) else { return "{...}" }
            reprInProgress.insert(ObjectIdentifier(d))
            defer { reprInProgress.remove(ObjectIdentifier(d)) }
            var parts: [String] = []
            for (k, v) in zip(d.keys, d.values) { parts.append(try repr(k) + ": " + repr(v)) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .range(let start, let stop, let step):
            return step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))"
        case .slice(let a, let b, let c): return "slice(\(try repr(a)), \(try repr(b)), \(try repr(c)))"
        case .function(let f):
            return "<function \(f.owner.map { "\($0.name)." } ?? "")\(f.name) at \(address(of: f))>"
        case .builtin(let b): return "<built-in function \(b.name)>"
        case .boundMethod(let receiver, let f):
            return "<bound method \(f.owner.map { "\($0.name)." } ?? "")\(f.name) of \(try repr(receiver))>"
        case .type(let cls):
            return cls.module == "builtins" ? "<class '\(cls.name)'>" : "<class '\(cls.module).\(cls.name)'>"
        case .instance(let instance):
            if let method = instance.cls.lookup("__repr__") { return try str(try call(bind(method, to: value), [])) }
            if let text = try torch.moduleRepr(instance) { return text }
            return "<\(instance.cls.module).\(instance.cls.name) object at \(address(of: instance))>"
        case .exception(let object):
            let args = try object.args.map { (v) throws(PyException) in try repr(v) }
            return "\(object.cls.name)(\(args.joined(separator: ", ")))"
        case .object(let object): return try object.repr(interpreter: self)
        }
    }

    /// `str(x)`: like repr except for strings, exceptions and objects with their own `__str__`.
    func str(_ value: Value) throws(PyException) -> String {
        switch value {
        case .str(let s): return s
        case .exception(let object): return try exceptionMessage(object)
        case .object(let object):
            if let text = try object.str(interpreter: self) { return text }
            return try object.repr(interpreter: self)
        case .instance(let instance):
            if let method = instance.cls.lookup("__str__") { return try str(try call(bind(method, to: value), [])) }
            return try repr(value)
        default: return try repr(value)
        }
    }

    /// A stable fake address for reprs that show `at 0x...` (never compared by tests: it varies in Python too).
    func address(of object: AnyObject) -> String {
        "0x" + String(UInt(bitPattern: ObjectIdentifier(object).hashValue), radix: 16).leftPadded(to: 12)
    }

    static func stringRepr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// `format(value, spec)`, the heart of f-string fields and `str.format`.
    func format(_ value: Value, spec: String) throws(PyException) -> String {
        if case .object(let object) = value, let text = try object.format(spec, interpreter: self) { return text }
        if spec.isEmpty { return try str(value) }
        guard let parsed = FormatSpec(spec) else {
            throw error(.valueError, "Invalid format specifier '\(spec)' for object of type '\(typeName(value))'")
        }
        switch value {
        case .bool(let b) where parsed.type == nil || parsed.type == "s":
            return parsed.pad(b ? "True" : "False", defaultAlign: "<")
        case .int(let i) where parsed.type == nil || "dnbox".contains(parsed.type!) || parsed.type == "X" || parsed.type == "c":
            return try formatInteger(i, parsed)
        case .bool(let b):
            return try format(.int(b ? 1 : 0), spec: spec)
        case .int(let i):
            return try formatFloat(Double(i), parsed, original: value)
        case .float(let f):
            return try formatFloat(f, parsed, original: value)
        case .str(let s):
            guard parsed.type == nil || parsed.type == "s" else {
                throw error(.valueError, "Unknown format code '\(parsed.type!)' for object of type 'str'")
            }
            if parsed.sign != "-" { throw error(.valueError, "Sign not allowed in string format specifier") }
            var text = s
            if let p = parsed.precision { text = String(text.prefix(p)) }
            return parsed.pad(text, defaultAlign: "<")
        default:
            throw error(.typeError, "unsupported format string passed to \(typeName(value)).__format__")
        }
    }

    private func formatInteger(_ i: Int, _ spec: FormatSpec) throws(PyException) -> String {
        if spec.precision != nil { throw error(.valueError, "Precision not allowed in integer format specifier") }
        let magnitude = i.magnitude
        var body: String
        switch spec.type {
        case "b": body = (spec.alternate ? "0b" : "") + String(magnitude, radix: 2)
        case "o": body = (spec.alternate ? "0o" : "") + String(magnitude, radix: 8)
        case "x": body = (spec.alternate ? "0x" : "") + String(magnitude, radix: 16)
        case "X": body = (spec.alternate ? "0X" : "") + String(magnitude, radix: 16).uppercased()
        case "c":
            guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: i)) else { throw error(.overflowError, "%c arg not in range(0x110000)") }
            return spec.pad(String(Character(scalar)), defaultAlign: "<")
        default: body = spec.group(String(magnitude))
        }
        return spec.pad(spec.signed(body, negative: i < 0), defaultAlign: ">")
    }

    private func formatFloat(_ f: Double, _ spec: FormatSpec, original: Value) throws(PyException) -> String {
        let magnitude = abs(f)
        var body: String
        switch spec.type {
        case "f", "F":
            body = FloatFormat.fixed(magnitude, precision: spec.precision ?? 6)
            if spec.type == "F" { body = body.uppercased() }
        case "e", "E":
            body = FloatFormat.exponential(magnitude, precision: spec.precision ?? 6)
            if spec.type == "E" { body = body.uppercased() }
        case "g", "G":
            body = FloatFormat.general(magnitude, precision: spec.precision ?? 6, alternate: spec.alternate)
            if spec.type == "G" { body = body.uppercased() }
        case "%":
            body = FloatFormat.fixed(magnitude * 100, precision: spec.precision ?? 6) + "%"
        case nil:
            if let p = spec.precision {
                body = FloatFormat.noTypeWithPrecision(magnitude, precision: p)
            } else if case .int(let i) = original {
                body = String(i.magnitude)
            } else {
                body = FloatFormat.repr(magnitude)
            }
        default:
            throw error(.valueError, "Unknown format code '\(spec.type!)' for object of type '\(typeName(original))'")
        }
        if spec.grouping != nil && (spec.type == nil || "fF%".contains(spec.type!)) { body = spec.group(body) }
        let negative = f < 0 || (f == 0 && f.sign == .minus)
        return spec.pad(spec.signed(body, negative: negative && !f.isNaN), defaultAlign: ">")
    }

    /// `"%d items, %.2f" % values`: printf-style formatting for the common conversions.
    func percentFormat(_ template: String, _ argument: Value) throws(PyException) -> String {
        var values: [Value]
        if case .tuple(let items) = argument { values = items } else { values = [argument] }
        var out = ""
        var chars = Array(template)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var specText = ""
            while let n = chars.first, !"diouxXeEfFgGcrsa%".contains(n) { specText.append(chars.removeFirst()) }
            guard let conversion = chars.popFirst() else { throw error(.valueError, "incomplete format") }
            if conversion == "%" { out.append("%"); continue }
            guard !values.isEmpty else { throw error(.typeError, "not enough arguments for format string") }
            let value = values.removeFirst()
            var flags = Substring(specText)
            var align = "", sign = "", zero = "", alternate = ""
            while let flag = flags.first, "-+ 0#".contains(flag) {
                switch flag {
                case "-": align = "<"
                case "+": sign = "+"
                case " ": if sign.isEmpty { sign = " " }
                case "0": zero = "0"
                default: alternate = "#"
                }
                flags.removeFirst()
            }
            let isText = "sra".contains(conversion)
            let spec = align + sign + alternate + (align.isEmpty && !isText ? zero : "") + flags
            switch conversion {
            case "s": out += try format(.str(try str(value)), spec: align.isEmpty ? ">" + spec : spec)
            case "r", "a": out += try format(.str(try repr(value)), spec: align.isEmpty ? ">" + spec : spec)
            case "d", "i", "u", "x", "X", "o":
                guard let n = index(value) ?? (numericValue(value).map { Int($0) }) else {
                    throw error(.typeError, "%\(conversion) format: a real number is required, not \(typeName(value))")
                }
                out += try format(.int(n), spec: spec + ("diu".contains(conversion) ? "d" : String(conversion)))
            default:
                guard let x = numericValue(value) else {
                    throw error(.typeError, "must be real number, not \(typeName(value))")
                }
                out += try format(.float(x), spec: spec + String(conversion))
            }
        }
        if !values.isEmpty { throw error(.typeError, "not all arguments converted during string formatting") }
        return out
    }

    func numericValue(_ value: Value) -> Double? {
        switch value {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: return nil
        }
    }
}

extension String {
    func leftPadded(to width: Int, with fill: Character = "0") -> String {
        count >= width ? self : String(repeating: fill, count: width - count) + self
    }
}
