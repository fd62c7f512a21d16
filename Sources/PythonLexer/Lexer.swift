/// Turns program text into tokens, with Python's indentation, implicit line joining and string rules.
public struct Lexer {
    private let chars: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    private var indents = [0]
    /// The same indentation measured with tabs one column wide: where the two stacks disagree on
    /// order, the indentation depends on the tab size, which CPython refuses as `TabError`.
    private var altIndents = [0]
    private var depth = 0
    private var tokens: [Token] = []
    /// Brackets opened and not yet closed, innermost last.
    private var openBrackets: [Token] = []
    private var atLineStart = true

    private static let operators: [String] = [
        "**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=",
        "%=", "@=", "&=", "|=", "^=", ">>", "<<", ":=", "+", "-", "*", "/", "%", "@", "<", ">", "=", ".", ",",
        ":", ";", "(", ")", "[", "]", "{", "}", "&", "|", "^", "~",
    ]

    /// CPython's tokenizer limit on open brackets (`MAXLEVEL`).
    static let maximumNesting = 200
    /// CPython's tokenizer limit on indentation levels (`MAXINDENT`).
    static let maximumIndentation = 100

    init(source: String, line: Int = 1, column: Int = 1) {
        chars = Array(source)
        self.line = line
        self.column = column
    }

    /// Tokenizes a whole program: statements separated by NEWLINE, blocks by INDENT/DEDENT.
    public static func tokenize(_ source: String) throws(SyntaxError) -> [Token] {
        let (tokens, unclosed) = try tokenizeProgram(source)
        if let unclosed { throw unclosed }
        return tokens
    }

    /// Tokenizes a whole program, reporting a bracket left open at the end separately: like CPython,
    /// the parser decides whether that or its own error is the one to show.
    public static func tokenizeProgram(_ source: String) throws(SyntaxError) -> (tokens: [Token], unclosed: SyntaxError?) {
        var lexer = Lexer(source: source)
        let tokens = try lexer.run(expressionOnly: false)
        guard let bracket = lexer.openBrackets.last, case .op(let text) = bracket.kind else { return (tokens, nil) }
        return (tokens, SyntaxError("'\(text)' was never closed", at: bracket.span))
    }

    /// Tokenizes one expression embedded in an f-string, starting at the given position.
    public static func tokenizeExpression(_ source: String, line: Int, column: Int) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source: source, line: line, column: column)
        lexer.depth = 1
        return try lexer.run(expressionOnly: true)
    }

    private var here: SourceSpan { SourceSpan(line: line, column: column, endLine: line, endColumn: column + 1) }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    private mutating func advance() -> Character {
        let c = chars[index]
        index += 1
        if c == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return c
    }

    private mutating func add(_ kind: Token.Kind, line startLine: Int, column startColumn: Int) {
        tokens.append(Token(kind: kind, span: SourceSpan(line: startLine, column: startColumn, endLine: line, endColumn: column)))
    }

    private mutating func run(expressionOnly: Bool) throws(SyntaxError) -> [Token] {
        while index < chars.count {
            if atLineStart && depth == 0 && !expressionOnly {
                atLineStart = false
                if try handleIndentation() { continue }
            }
            let c = chars[index]
            let startLine = line, startColumn = column
            if c == " " || c == "\t" || c == "\u{0C}" || c == "\r" {
                _ = advance()
            } else if c == "#" {
                while let n = peek(), n != "\n" { _ = advance() }
            } else if c == "\\" && (peek(1) == "\n" || (peek(1) == "\r" && peek(2) == "\n")) {
                _ = advance()
                if peek() == "\r" { _ = advance() }
                _ = advance()
            } else if c == "\n" {
                _ = advance()
                if depth == 0 && !expressionOnly {
                    if let last = tokens.last, last.kind != .newline {
                        tokens.append(Token(kind: .newline, span: SourceSpan(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn + 1)))
                    }
                    atLineStart = true
                }
            } else if c.isNumber || (c == "." && (peek(1)?.isNumber ?? false)) {
                try lexNumber()
            } else if c.isLetter || c == "_" {
                var word = ""
                while let n = peek(), n.isLetter || n.isNumber || n == "_" { word.append(advance()) }
                if let q = peek(), q == "\"" || q == "'", let prefix = StringPrefix(word) {
                    try lexString(prefix: prefix, line: startLine, column: startColumn)
                } else {
                    add(.name(word), line: startLine, column: startColumn)
                }
            } else if c == "\"" || c == "'" {
                try lexString(prefix: StringPrefix("")!, line: startLine, column: startColumn)
            } else {
                guard let op = Lexer.operators.first(where: { matches($0) }) else {
                    throw SyntaxError("invalid character '\(c)'", at: here)
                }
                for _ in op { _ = advance() }
                if "([{".contains(op) {
                    depth += 1
                    openBrackets.append(Token(kind: .op(op), span: SourceSpan(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn + 1)))
                    if depth > Lexer.maximumNesting {
                        throw SyntaxError("too many nested parentheses", at: SourceSpan(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn + 1))
                    }
                }
                if ")]}".contains(op) {
                    if depth == 0 || (expressionOnly && depth == 1) { throw SyntaxError("unmatched '\(op)'", at: SourceSpan(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn + 1)) }
                    depth -= 1
                    openBrackets.removeLast()
                }
                add(.op(op), line: startLine, column: startColumn)
            }
        }
        if expressionOnly && depth > 1 {
            throw SyntaxError("f-string: expecting '}'", at: here)
        }
        if !expressionOnly {
            if let last = tokens.last, last.kind != .newline {
                tokens.append(Token(kind: .newline, span: here))
            }
            while indents.count > 1 {
                indents.removeLast()
                tokens.append(Token(kind: .dedent, span: here))
            }
        }
        tokens.append(Token(kind: .end, span: here))
        return tokens
    }

    private func matches(_ op: String) -> Bool {
        var i = index
        for ch in op {
            guard i < chars.count, chars[i] == ch else { return false }
            i += 1
        }
        return true
    }

    /// Measures a line's indentation and emits INDENT/DEDENT; returns true for blank or comment-only lines.
    private mutating func handleIndentation() throws(SyntaxError) -> Bool {
        var width = 0, altWidth = 0
        while let c = peek(), c == " " || c == "\t" {
            width = c == "\t" ? (width / 8 + 1) * 8 : width + 1
            altWidth += 1
            _ = advance()
        }
        guard let c = peek() else { return true }
        if c == "\n" || c == "#" || c == "\r" {
            while let n = peek(), n != "\n" { _ = advance() }
            if peek() == "\n" { _ = advance() }
            atLineStart = true
            return true
        }
        // Column 0: CPython reports these tokenizer errors with the line but no caret.
        let wholeLine = SourceSpan(line: here.line, column: 0, endLine: here.line, endColumn: 0)
        let inconsistent = SyntaxError("inconsistent use of tabs and spaces in indentation", at: wholeLine, kind: .tab)
        if width > indents.last! {
            if tokens.isEmpty { throw SyntaxError("unexpected indent", at: here, kind: .indentation) }
            if altWidth <= altIndents.last! { throw inconsistent }
            indents.append(width)
            altIndents.append(altWidth)
            if indents.count > Lexer.maximumIndentation {
                throw SyntaxError("too many levels of indentation", at: wholeLine, kind: .indentation)
            }
            tokens.append(Token(kind: .indent, span: here))
        } else {
            while width < indents.last! {
                indents.removeLast()
                altIndents.removeLast()
                tokens.append(Token(kind: .dedent, span: here))
            }
            if width != indents.last! {
                throw SyntaxError("unindent does not match any outer indentation level", at: here, kind: .indentation)
            }
            if altWidth != altIndents.last! { throw inconsistent }
        }
        return false
    }

    private mutating func lexNumber() throws(SyntaxError) {
        let startLine = line, startColumn = column
        var text = ""
        if peek() == "0", let x = peek(1), "xXoObB".contains(x) {
            _ = advance(); _ = advance()
            while let n = peek(), n.isHexDigit || n == "_" { let d = advance(); if d != "_" { text.append(d) } }
            let radix = "xX".contains(x) ? 16 : "oO".contains(x) ? 8 : 2
            guard let value = Int(text, radix: radix) else { throw SyntaxError("invalid number literal", at: here) }
            add(.int(value), line: startLine, column: startColumn)
            return
        }
        var isFloat = false
        func digits(_ lexer: inout Lexer, _ text: inout String) {
            while let n = lexer.peek(), n.isASCII && n.isNumber || n == "_" { let d = lexer.advance(); if d != "_" { text.append(d) } }
        }
        digits(&self, &text)
        if peek() == "." {
            isFloat = true
            text.append(advance())
            digits(&self, &text)
        }
        if let e = peek(), e == "e" || e == "E" {
            let next = peek(1)
            if next?.isNumber == true || ((next == "+" || next == "-") && peek(2)?.isNumber == true) {
                isFloat = true
                text.append(advance())
                if peek() == "+" || peek() == "-" { text.append(advance()) }
                digits(&self, &text)
            }
        }
        if let j = peek(), j == "j" || j == "J" {
            throw SyntaxError("tapedeck does not support complex numbers", at: SourceSpan(line: startLine, column: startColumn, endLine: line, endColumn: column + 1))
        }
        if let n = peek(), n.isLetter || n == "_" {
            throw SyntaxError("invalid decimal literal", at: SourceSpan(line: startLine, column: startColumn, endLine: line, endColumn: column + 1))
        }
        if isFloat {
            add(.float(Double(text) ?? .infinity), line: startLine, column: startColumn)
        } else {
            if text.count > 1 && text.first == "0" && text.contains(where: { $0 != "0" }) {
                throw SyntaxError("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", at: SourceSpan(line: startLine, column: startColumn, endLine: line, endColumn: column))
            }
            guard let value = Int(text) else {
                throw SyntaxError("tapedeck does not support integers beyond 64 bits", at: SourceSpan(line: startLine, column: startColumn, endLine: line, endColumn: column))
            }
            add(.int(value), line: startLine, column: startColumn)
        }
    }

    private struct StringPrefix {
        var raw = false
        var format = false

        init?(_ text: String) {
            let lower = text.lowercased()
            guard lower.count <= 2, lower.allSatisfy({ "rfu".contains($0) }) else { return nil }
            raw = lower.contains("r")
            format = lower.contains("f")
        }
    }

    private mutating func lexString(prefix: StringPrefix, line startLine: Int, column startColumn: Int) throws(SyntaxError) {
        let quote = advance()
        var triple = false
        if peek() == quote && peek(1) == quote {
            _ = advance(); _ = advance()
            triple = true
        }
        let bodyLine = line, bodyColumn = column
        var body = ""
        while true {
            guard let c = peek() else {
                // CPython names the last line of the file, not the empty one after its final newline.
                let lastLine = column == 1 && line > startLine ? line - 1 : line
                let what = triple ? "unterminated triple-quoted string literal (detected at line \(lastLine))" : "unterminated string literal (detected at line \(startLine))"
                throw SyntaxError(what, at: SourceSpan(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn + 1))
            }
            if c == "\n" && !triple {
                throw SyntaxError("unterminated string literal (detected at line \(startLine))", at: SourceSpan(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn + 1))
            }
            if c == quote {
                if !triple { _ = advance(); break }
                if peek(1) == quote && peek(2) == quote { _ = advance(); _ = advance(); _ = advance(); break }
            }
            if c == "\\" && index + 1 < chars.count {
                body.append(advance())
                body.append(advance())
                continue
            }
            body.append(advance())
        }
        if prefix.format {
            add(.fstring(body, raw: prefix.raw, bodyLine: bodyLine, bodyColumn: bodyColumn), line: startLine, column: startColumn)
        } else {
            let value = prefix.raw ? body : try Lexer.unescape(body, at: SourceSpan(line: startLine, column: startColumn, endLine: line, endColumn: column))
            add(.string(value), line: startLine, column: startColumn)
        }
    }

    /// Decodes backslash escapes the way Python does for a non-raw string literal.
    public static func unescape(_ body: String, at span: SourceSpan) throws(SyntaxError) -> String {
        guard body.contains("\\") else { return body }
        var out = ""
        var it = Array(body)[...]
        while let c = it.popFirst() {
            guard c == "\\", let e = it.popFirst() else { out.append(c); continue }
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "0": out.append("\0")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\n": break
            case "x", "u", "U":
                let count = e == "x" ? 2 : e == "u" ? 4 : 8
                let hex = String(it.prefix(count))
                guard hex.count == count, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw SyntaxError("(unicode error) truncated \\\(e) escape", at: span)
                }
                it = it.dropFirst(count)
                out.append(Character(scalar))
            default:
                out.append("\\")
                out.append(e)
            }
        }
        return out
    }
}
