import Autograd

extension Interpreter {
    func getAttribute(_ object: Value, _ name: String) throws(PyException) -> Value {
        if let value = try findAttribute(object, name) { return value }
        switch object {
        case .type(let cls):
            throw error(.attributeError, "type object '\(cls.name)' has no attribute '\(name)'")
        case .object(let o as PyModuleObject):
            if o.knownNames.contains(name) { throw error(.notImplementedError, "tapedeck does not support \(o.name).\(name)") }
            throw error(.attributeError, "module '\(o.name)' has no attribute '\(name)'")
        case .object(let o) where o is Autograd.Tensor && PyTorchNames.tensor.contains(name):
            throw error(.notImplementedError, "tapedeck does not support Tensor.\(name)")
        case .instance(let instance) where instance.cls.isSubclass(of: torch.moduleClass) && PyTorchNames.module.contains(name):
            throw error(.notImplementedError, "tapedeck does not support nn.Module.\(name)")
        case .str where PythonNames.str.contains(name), .list where PythonNames.list.contains(name),
             .dict where PythonNames.dict.contains(name), .tuple where PythonNames.tuple.contains(name):
            throw error(.notImplementedError, "tapedeck does not support \(typeName(object)).\(name)")
        default:
            throw error(.attributeError, "'\(typeName(object))' object has no attribute '\(name)'")
        }
    }

    private func findAttribute(_ object: Value, _ name: String) throws(PyException) -> Value? {
        switch object {
        case .instance(let instance):
            if case .object(let wrapper as MethodWrapper)? = instance.cls.lookup(name), wrapper.kind == .property {
                return try call(wrapper.function, [object])
            }
            if let value = instance.attributes[name] { return value }
            if let value = instance.module?.lookup(name) { return value }
            if let value = instance.cls.lookup(name) { return bind(value, to: object) }
            if name == "__class__" { return .type(instance.cls) }
            return nil
        case .type(let cls):
            if name == "__name__" { return .str(cls.name) }
            guard let value = cls.lookup(name) else { return nil }
            if case .object(let wrapper as MethodWrapper) = value, wrapper.kind != .property { return bind(value, to: object) }
            return value
        case .exception(let e):
            if name == "args" { return .tuple(e.args) }
            if let value = e.cls.lookup(name) { return bind(value, to: object) }
            return nil
        case .object(let o):
            return try o.attribute(name, interpreter: self)
        case .function(let f), .boundMethod(_, let f):
            if name == "__name__" { return .str(f.name) }
            return nil
        case .list(let list): return listMethod(list, name)
        case .dict(let dict): return dictMethod(dict, name)
        case .str(let s): return stringMethod(s, name)
        case .tuple(let items):
            switch name {
            case "index": return method("tuple.index") { (a: inout Arguments) throws(PyException) in
                try self.findIndex(items, try a.required(0, "value"), kind: "tuple.index(x): x not in tuple")
            }
            case "count": return method("tuple.count") { (a: inout Arguments) throws(PyException) in
                let value = try a.required(0, "value")
                var n = 0
                for item in items where try self.equal(item, value) { n += 1 }
                return .int(n)
            }
            default: return nil
            }
        case .float(let f):
            switch name {
            case "is_integer": return method("float.is_integer") { _ in .bool(f.isFinite && f == f.rounded()) }
            case "real": return object
            case "imag": return .float(0)
            default: return nil
            }
        case .int, .bool:
            switch name {
            case "real": return object
            case "imag": return .int(0)
            default: return nil
            }
        case .range(let start, let stop, let step):
            switch name {
            case "start": return .int(start)
            case "stop": return .int(stop)
            case "step": return .int(step)
            default: return nil
            }
        default:
            return nil
        }
    }

    func setAttribute(_ object: Value, _ name: String, _ value: Value) throws(PyException) {
        switch object {
        case .instance(let instance):
            if try torch.setModuleAttribute(instance, name, value) { return }
            instance.attributes[name] = value
        case .type(let cls):
            cls.attributes[name] = value
        case .object(let o):
            if try o.setAttribute(name, value, interpreter: self) { return }
            throw error(.attributeError, "'\(o.typeName)' object has no attribute '\(name)'")
        default:
            throw error(.attributeError, "'\(typeName(object))' object has no attribute '\(name)'")
        }
    }

    func method(_ name: String, _ body: @escaping Builtin.Implementation) -> Value {
        .builtin(Builtin(name, body))
    }

    private func findIndex(_ items: [Value], _ value: Value, kind: String) throws(PyException) -> Value {
        for (i, item) in items.enumerated() where try equal(item, value) { return .int(i) }
        throw error(.valueError, kind)
    }

    /// A stable merge sort that can throw from Python comparisons.
    func sorted(_ items: [Value], key: Value?, reverse: Bool) throws(PyException) -> [Value] {
        var keyed: [(key: Value, value: Value)] = []
        for item in items {
            keyed.append((try key.map { (k) throws(PyException) in try call(k, [item]) } ?? item, item))
        }
        func merge(_ slice: ArraySlice<(key: Value, value: Value)>) throws(PyException) -> [(key: Value, value: Value)] {
            if slice.count <= 1 { return Array(slice) }
            let mid = slice.startIndex + slice.count / 2
            let left = try merge(slice[..<mid]), right = try merge(slice[mid...])
            var out: [(key: Value, value: Value)] = []
            var i = 0, j = 0
            while i < left.count && j < right.count {
                let rightFirst = reverse
                    ? try ordering(left[i].key, right[j].key, .less) < 0
                    : try ordering(right[j].key, left[i].key, .less) < 0
                if rightFirst { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
            }
            out += left[i...]
            out += right[j...]
            return out
        }
        return try merge(keyed[...]).map(\.value)
    }

    private func listMethod(_ list: PyList, _ name: String) -> Value? {
        switch name {
        case "append": return method("list.append") { (a: inout Arguments) throws(PyException) in
            list.items.append(try a.required(0, "object")); try a.finish(maxPositional: 1); return .none
        }
        case "extend": return method("list.extend") { (a: inout Arguments) throws(PyException) in
            list.items += try self.iterate(try a.required(0, "iterable")); return .none
        }
        case "insert": return method("list.insert") { (a: inout Arguments) throws(PyException) in
            guard let i = self.index(try a.required(0, "index")) else { throw self.error(.typeError, "'\(self.typeName(a.positional[0]))' object cannot be interpreted as an integer") }
            let n = list.items.count
            let at = i < 0 ? max(0, i + n) : min(i, n)
            list.items.insert(try a.required(1, "object"), at: at)
            return .none
        }
        case "pop": return method("list.pop") { (a: inout Arguments) throws(PyException) in
            if list.items.isEmpty { throw self.error(.indexError, "pop from empty list") }
            let i = a.take(0, "index").flatMap { self.index($0) } ?? -1
            let at = i < 0 ? i + list.items.count : i
            guard at >= 0 && at < list.items.count else { throw self.error(.indexError, "pop index out of range") }
            return list.items.remove(at: at)
        }
        case "remove": return method("list.remove") { (a: inout Arguments) throws(PyException) in
            let value = try a.required(0, "value")
            for (i, item) in list.items.enumerated() where try self.equal(item, value) {
                list.items.remove(at: i)
                return .none
            }
            throw self.error(.valueError, "list.remove(x): x not in list")
        }
        case "index": return method("list.index") { (a: inout Arguments) throws(PyException) in
            let value = try a.required(0, "value")
            guard case .int(let i) = try self.findIndex(list.items, value, kind: "\(try self.repr(value)) is not in list") else { return .none }
            return .int(i)
        }
        case "count": return method("list.count") { (a: inout Arguments) throws(PyException) in
            let value = try a.required(0, "value")
            var n = 0
            for item in list.items where try self.equal(item, value) { n += 1 }
            return .int(n)
        }
        case "reverse": return method("list.reverse") { _ in list.items.reverse(); return .none }
        case "clear": return method("list.clear") { _ in list.items.removeAll(); return .none }
        case "copy": return method("list.copy") { _ in .list(PyList(list.items)) }
        case "sort": return method("list.sort") { (a: inout Arguments) throws(PyException) in
            let key = a.keyword("key").flatMap { $0.isNone ? nil : $0 }
            let reverse = try self.truth(a.keyword("reverse") ?? .bool(false))
            try a.finish(maxPositional: 0)
            list.items = try self.sorted(list.items, key: key, reverse: reverse)
            return .none
        }
        default: return nil
        }
    }

    private func dictMethod(_ dict: PyDict, _ name: String) -> Value? {
        switch name {
        case "keys": return method("dict.keys") { _ in .list(PyList(dict.keys)) }
        case "values": return method("dict.values") { _ in .list(PyList(dict.values)) }
        case "items": return method("dict.items") { _ in .list(PyList(zip(dict.keys, dict.values).map { .tuple([$0, $1]) })) }
        case "get": return method("dict.get") { (a: inout Arguments) throws(PyException) in
            let key = try a.required(0, "key")
            try self.checkHashable(key)
            return dict.get(key) ?? a.take(1, "default") ?? .none
        }
        case "pop": return method("dict.pop") { (a: inout Arguments) throws(PyException) in
            let key = try a.required(0, "key")
            if let value = dict.remove(key) { return value }
            if let fallback = a.take(1, "default") { return fallback }
            throw self.raising(PyExceptionObject(cls: self.exceptionClass(.keyError), args: [key]))
        }
        case "setdefault": return method("dict.setdefault") { (a: inout Arguments) throws(PyException) in
            let key = try a.required(0, "key")
            if let value = dict.get(key) { return value }
            let value = a.take(1, "default") ?? .none
            dict.set(key, value)
            return value
        }
        case "update": return method("dict.update") { (a: inout Arguments) throws(PyException) in
            if let other = a.take(0, "other") {
                guard case .dict(let source) = other else { throw self.error(.typeError, "dict.update() argument must be a dict") }
                for (k, v) in zip(source.keys, source.values) { dict.set(k, v) }
            }
            for (k, v) in a.keywords { dict.set(.str(k), v) }
            return .none
        }
        case "copy": return method("dict.copy") { _ in .dict(PyDict(Array(zip(dict.keys, dict.values)))) }
        case "clear": return method("dict.clear") { _ in dict.keys.removeAll(); dict.values.removeAll(); return .none }
        default: return nil
        }
    }

    /// `str.format`: `{}`, `{0}`, `{name}`, attribute-free fields with `!r`/`!s` and a format spec.
    func strFormat(_ template: String, _ positional: [Value], _ keywords: [(name: String, value: Value)]) throws(PyException) -> String {
        var out = ""
        var chars = Array(template)[...]
        var automatic = 0
        while let c = chars.popFirst() {
            if c == "{" {
                if chars.first == "{" { chars.removeFirst(); out.append("{"); continue }
                var field = ""
                var depth = 1
                while let n = chars.popFirst() {
                    if n == "{" { depth += 1 }
                    if n == "}" { depth -= 1; if depth == 0 { break } }
                    field.append(n)
                }
                if depth != 0 { throw error(.valueError, "expected '}' before end of string") }
                var spec = ""
                if let colon = field.firstIndex(of: ":") {
                    spec = String(field[field.index(after: colon)...])
                    field = String(field[..<colon])
                }
                var conversion: Character?
                if let bang = field.firstIndex(of: "!") {
                    conversion = field[field.index(after: bang)...].first
                    field = String(field[..<bang])
                }
                spec = try strFormat(spec, positional, keywords)
                let value: Value
                if field.isEmpty {
                    guard automatic < positional.count else {
                        throw error(.indexError, "Replacement index \(automatic) out of range for positional args tuple")
                    }
                    value = positional[automatic]
                    automatic += 1
                } else if let i = Int(field) {
                    guard i < positional.count else {
                        throw error(.indexError, "Replacement index \(i) out of range for positional args tuple")
                    }
                    value = positional[i]
                } else if let found = keywords.first(where: { $0.name == field }) {
                    value = found.value
                } else {
                    throw raising(PyExceptionObject(cls: exceptionClass(.keyError), args: [.str(field)]))
                }
                switch conversion {
                case "r", "a": out += try format(.str(try repr(value)), spec: spec)
                case "s": out += try format(.str(try str(value)), spec: spec)
                default: out += try format(value, spec: spec)
                }
            } else if c == "}" {
                if chars.first == "}" { chars.removeFirst() }
                else { throw error(.valueError, "Single '}' encountered in format string") }
                out.append("}")
            } else {
                out.append(c)
            }
        }
        return out
    }
}
