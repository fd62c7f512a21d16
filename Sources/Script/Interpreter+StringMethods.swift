import Foundation

/// The methods of `str` (`", ".join(parts)`, `name.upper()`, `line.split()`...).
extension Interpreter {
    typealias StringMethodHandler = @Sendable (Interpreter) -> (String, String, inout Arguments) throws(PyException) -> Value

    /// The `str` methods, each a named handler below (`s.join` is `strJoin`); a handler serving
    /// several names (`strip`, `lstrip`, `rstrip`) gets the name it was called by.
    static let stringMethodHandlers: [String: StringMethodHandler] = [
        "join": Interpreter.strJoin,
        "format": Interpreter.strFormatMethod,
        "upper": Interpreter.strUpper,
        "lower": Interpreter.strLower,
        "strip": Interpreter.strStrip,
        "lstrip": Interpreter.strStrip,
        "rstrip": Interpreter.strStrip,
        "split": Interpreter.strSplit,
        "replace": Interpreter.strReplace,
        "startswith": Interpreter.strStartsOrEndsWith,
        "endswith": Interpreter.strStartsOrEndsWith,
        "ljust": Interpreter.strJustify,
        "rjust": Interpreter.strJustify,
        "center": Interpreter.strJustify,
        "zfill": Interpreter.strZfill,
        "count": Interpreter.strCount,
        "find": Interpreter.strFind,
        "isdigit": Interpreter.strIsdigit,
        "isalpha": Interpreter.strIsalpha,
        "title": Interpreter.strTitle,
        "capitalize": Interpreter.strCapitalize,
    ]

    /// `s.name` bound to `s`, nil when `str` has no such method in the subset.
    func stringMethod(_ s: String, _ name: String) -> Value? {
        guard let handler = Self.stringMethodHandlers[name] else { return nil }
        let body = handler(self)
        return method("str.\(name)") { (a: inout Arguments) throws(PyException) in try body(s, name, &a) }
    }

    private func strings(_ values: [String]) -> Value { .list(PyList(values.map { .str($0) })) }

    private func strJoin(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        var parts: [String] = []
        for (i, item) in try iterate(try a.required(0, "iterable")).enumerated() {
            guard case .str(let text) = item else {
                throw error(.typeError, "sequence item \(i): expected str instance, \(typeName(item)) found")
            }
            parts.append(text)
        }
        return .str(parts.joined(separator: s))
    }

    private func strFormatMethod(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        .str(try strFormat(s, a.positional, a.keywords))
    }

    private func strUpper(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        .str(s.uppercased())
    }

    private func strLower(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        .str(s.lowercased())
    }

    /// `strip`, `lstrip`, `rstrip`: whitespace, or the characters of `chars`, off one end or both.
    private func strStrip(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        var characters: Set<Character> = [" ", "\n", "\t", "\r", "\u{0B}", "\u{0C}"]
        if case .str(let chars)? = a.take(0, "chars") { characters = Set(chars) }
        var text = Substring(s)
        if name != "rstrip" { text = text.drop(while: { characters.contains($0) }) }
        if name != "lstrip" { while let last = text.last, characters.contains(last) { text = text.dropLast() } }
        return .str(String(text))
    }

    private func strSplit(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        if case .str(let separator)? = a.take(0, "sep") {
            if separator.isEmpty { throw error(.valueError, "empty separator") }
            return strings(s.components(separatedBy: separator))
        }
        return strings(s.split(whereSeparator: { $0.isWhitespace }).map(String.init))
    }

    private func strReplace(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        guard case .str(let old) = try a.required(0, "old"), case .str(let new) = try a.required(1, "new") else {
            throw error(.typeError, "replace() arguments must be str")
        }
        return .str(s.replacingOccurrences(of: old, with: new))
    }

    /// `startswith`, `endswith`: one string or a tuple of them.
    private func strStartsOrEndsWith(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        let argument = try a.required(0, "prefix")
        let candidates: [Value]
        if case .tuple(let items) = argument { candidates = items } else { candidates = [argument] }
        for case .str(let p) in candidates where name == "startswith" ? s.hasPrefix(p) : s.hasSuffix(p) { return .bool(true) }
        return .bool(false)
    }

    /// `ljust`, `rjust`, `center`: padded to `width` with `fillchar`, as a format spec pads.
    private func strJustify(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        guard let width = index(try a.required(0, "width")) else { throw error(.typeError, "integer argument expected") }
        var fill: Character = " "
        if case .str(let f)? = a.take(1, "fillchar"), let c = f.first { fill = c }
        var spec = FormatSpec("")!
        spec.fill = fill
        spec.width = width
        spec.align = name == "ljust" ? "<" : name == "rjust" ? ">" : "^"
        return .str(spec.pad(s, defaultAlign: "<"))
    }

    private func strZfill(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        guard let width = index(try a.required(0, "width")) else { throw error(.typeError, "integer argument expected") }
        var spec = FormatSpec("")!
        spec.fill = "0"; spec.width = width; spec.align = "="
        return .str(spec.pad(s, defaultAlign: "="))
    }

    /// `s.count(sub[, start[, end]])`: non-overlapping occurrences inside `s[start:end]`.
    private func strCount(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        guard case .str(let sub) = try a.required(0, "sub") else { throw error(.typeError, "must be str") }
        guard let (window, _) = try searchWindow(s, &a) else { return .int(0) }
        return .int(sub.isEmpty ? window.count + 1 : String(window).components(separatedBy: sub).count - 1)
    }

    /// `s.find(sub[, start[, end]])`: the index in `s` of the first `sub` inside `s[start:end]`, -1
    /// when there is none.
    private func strFind(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        guard case .str(let sub) = try a.required(0, "sub") else { throw error(.typeError, "must be str") }
        guard let (window, offset) = try searchWindow(s, &a) else { return .int(-1) }
        if sub.isEmpty { return .int(offset) }
        guard let range = window.range(of: sub) else { return .int(-1) }
        return .int(offset + window.distance(from: window.startIndex, to: range.lowerBound))
    }

    /// The part of `s` that the optional `start` and `end` arguments select, as a slice
    /// `s[start:end]` does (negative counts from the end, None is the edge), with the index it
    /// starts at; nil when `start` is past the end or after `end` (CPython finds nothing there,
    /// not even the empty string).
    private func searchWindow(_ s: String, _ a: inout Arguments) throws(PyException) -> (Substring, Int)? {
        let length = s.count
        func bound(_ position: Int, _ name: String) throws(PyException) -> Int? {
            guard let value = a.take(position, name), !value.isNone else { return nil }
            guard let i = index(value) else {
                throw error(.typeError, "slice indices must be integers or None or have an __index__ method")
            }
            return i < 0 ? max(0, i + length) : i
        }
        let start = try bound(1, "start") ?? 0
        let end = min(try bound(2, "end") ?? length, length)
        guard start <= length, start <= end else { return nil }
        let from = s.index(s.startIndex, offsetBy: start)
        return (s[from..<s.index(from, offsetBy: end - start)], start)
    }

    private func strIsdigit(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        .bool(!s.isEmpty && s.allSatisfy { $0.isNumber })
    }

    private func strIsalpha(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        .bool(!s.isEmpty && s.allSatisfy { $0.isLetter })
    }

    /// `s.title()` as CPython does it, code point by code point: title case after a character
    /// that is not cased (so `they're` becomes `They'Re` and `a1b` becomes `A1B`), lower case
    /// after one that is.
    private func strTitle(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        var result = ""
        var previousIsCased = false
        for scalar in s.unicodeScalars {
            result += previousIsCased ? scalar.properties.lowercaseMapping : scalar.properties.titlecaseMapping
            previousIsCased = scalar.properties.isCased
        }
        return .str(result)
    }

    private func strCapitalize(_ s: String, _ name: String, _ a: inout Arguments) throws(PyException) -> Value {
        .str(s.prefix(1).uppercased() + s.dropFirst().lowercased())
    }
}
