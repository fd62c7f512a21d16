import Foundation
import PythonLexer

/// Splits an f-string body into literal text and replacement fields (`{expr!r:spec}`, `{expr=}`).
struct FStringParser {
    private let chars: [Character]
    private let raw: Bool
    private let startLine: Int
    private let startColumn: Int
    private var index = 0

    init(body: String, raw: Bool, line: Int, column: Int) {
        chars = Array(body)
        self.raw = raw
        startLine = line
        startColumn = column
    }

    /// The source position of character `offset` of the body.
    private func position(_ offset: Int) -> (line: Int, column: Int) {
        var line = startLine, column = startColumn
        for c in chars[0..<min(offset, chars.count)] {
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    private func error(_ message: String) -> SyntaxError {
        let (line, column) = position(index)
        return SyntaxError("f-string: \(message)", at: SourceSpan(line: line, column: column, endLine: line, endColumn: column + 1))
    }

    mutating func parse() throws(SyntaxError) -> [FStringPart] {
        try parseParts(inSpec: false)
    }

    private mutating func parseParts(inSpec: Bool) throws(SyntaxError) -> [FStringPart] {
        var parts: [FStringPart] = []
        var text = ""
        func flush(_ parts: inout [FStringPart], _ text: inout String, raw: Bool, span: SourceSpan) throws(SyntaxError) {
            if text.isEmpty { return }
            parts.append(.text(raw ? text : try Lexer.unescape(text, at: span)))
            text = ""
        }
        let here = SourceSpan(line: startLine, column: startColumn, endLine: startLine, endColumn: startColumn + 1)
        while index < chars.count {
            let c = chars[index]
            if inSpec && c == "}" { break }
            if c == "{" {
                if !inSpec && index + 1 < chars.count && chars[index + 1] == "{" {
                    text.append("{"); index += 2; continue
                }
                try flush(&parts, &text, raw: raw, span: here)
                index += 1
                parts.append(try field())
            } else if c == "}" {
                if index + 1 < chars.count && chars[index + 1] == "}" {
                    text.append("}"); index += 2; continue
                }
                throw error("single '}' is not allowed")
            } else if c == "\\" && index + 1 < chars.count {
                text.append(c); text.append(chars[index + 1]); index += 2
            } else {
                text.append(c); index += 1
            }
        }
        try flush(&parts, &text, raw: raw, span: here)
        return parts
    }

    /// Parses a replacement field after its `{`, through its closing `}`.
    private mutating func field() throws(SyntaxError) -> FStringPart {
        let start = index
        var depth = 0
        var quote: Character?
        var end = -1
        while index < chars.count {
            let c = chars[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if "([{".contains(c) {
                depth += 1
            } else if ")]}".contains(c) && depth > 0 {
                depth -= 1
            } else if depth == 0 {
                let next: Character? = index + 1 < chars.count ? chars[index + 1] : nil
                if c == "}" || c == ":" || (c == "!" && next != "=") { end = index; break }
                if c == "=" && next != "=" && index > start && !"=!<>".contains(chars[index - 1]) { end = index; break }
            }
            index += 1
        }
        guard end >= 0 else { throw error("expecting '}'") }
        let exprText = String(chars[start..<end])
        if exprText.contains("\\") {
            let (line, column) = position(start)
            throw SyntaxError("f-string expression part cannot include a backslash", at: SourceSpan(line: line, column: column, endLine: line, endColumn: column + 1))
        }
        if exprText.trimmingCharacters(in: .whitespaces).isEmpty {
            throw error("valid expression required before '}'")
        }
        let (line, column) = position(start)
        let tokens = try Lexer.tokenizeExpression(exprText, line: line, column: column)
        var parser = Parser(tokens: tokens)
        let expr = try parser.parseEmbedded()
        var debugText: String?
        if chars[index] == "=" {
            index += 1
            while index < chars.count && chars[index] == " " { index += 1 }
            debugText = String(chars[start..<index])
        }
        var conversion: Character?
        if index < chars.count && chars[index] == "!" {
            index += 1
            guard index < chars.count, "rsa".contains(chars[index]) else {
                throw error("invalid conversion character: expected 's', 'r', or 'a'")
            }
            conversion = chars[index]
            index += 1
        }
        var spec: [FStringPart]?
        if index < chars.count && chars[index] == ":" {
            index += 1
            spec = try parseParts(inSpec: true)
        }
        guard index < chars.count && chars[index] == "}" else { throw error("expecting '}'") }
        index += 1
        if debugText != nil && conversion == nil && spec == nil { conversion = "r" }
        return .field(expr, conversion: conversion, spec: spec, debugText: debugText)
    }
}
