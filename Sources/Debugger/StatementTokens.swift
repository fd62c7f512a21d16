import PythonLexer

/// One line of program source read by the interpreter's own lexer, so that fix hints see strings,
/// comments and brackets exactly as Python does (a `#` or `)` inside quotes is text, not syntax).
/// The line is read without its indentation; one the lexer rejects (the inside of a triple-quoted
/// string, a lone closing bracket) has no tokens.
struct StatementTokens {
    /// The line without its indentation.
    let characters: [Character]
    /// The significant tokens, without NEWLINE, INDENT, DEDENT and the end marker.
    let tokens: [Token]

    init(_ line: String) {
        let code = line.drop { $0 == " " || $0 == "\t" }
        characters = Array(code)
        let lexed = (try? Lexer.tokenizeProgram(String(code)).tokens) ?? []
        tokens = lexed.filter { token in
            switch token.kind {
            case .newline, .indent, .dedent, .end: false
            default: true
            }
        }
    }

    /// The operator or punctuation text of token `i`, nil for names, numbers and strings.
    func op(_ i: Int) -> String? {
        guard case .op(let text) = tokens[i].kind else { return nil }
        return text
    }

    /// The name of token `i`, nil for anything else.
    func name(_ i: Int) -> String? {
        guard case .name(let text) = tokens[i].kind else { return nil }
        return text
    }

    /// The source text from the start of token `from` up to (not including) the start of token `to`,
    /// or to the end of the line when `to` is the token count.
    func text(from: Int, to: Int) -> String {
        let start = tokens[from].span.column - 1
        let end = to < tokens.count ? tokens[to].span.column - 1 : characters.count
        return String(characters[start..<max(start, end)])
    }

    /// The text after token `i` to the end of the line.
    func text(after i: Int) -> String {
        String(characters[min(characters.count, tokens[i].span.endColumn - 1)...])
    }

    /// The text before token `i`.
    func text(before i: Int) -> String {
        String(characters[..<(tokens[i].span.column - 1)])
    }

    /// The line without indentation and without a trailing comment: up to the end of its last token.
    var code: String {
        guard let last = tokens.last else { return "" }
        return String(characters[(tokens[0].span.column - 1)..<(last.span.endColumn - 1)])
    }

    /// Whether the line passes `keyword=value` to a call, as in `nn.ReLU(inplace=True)`.
    func passes(_ keyword: String, _ value: String) -> Bool {
        tokens.indices.dropLast(2).contains { name($0) == keyword && op($0 + 1) == "=" && name($0 + 2) == value }
    }

    /// Indexes of the tokens outside any brackets, in order.
    var topLevel: [Int] {
        var depth = 0
        var result: [Int] = []
        for i in tokens.indices {
            let text = op(i)
            if let text, ")]}".contains(text), text.count == 1 { depth -= 1; continue }
            if depth == 0 { result.append(i) }
            if let text, "([{".contains(text), text.count == 1 { depth += 1 }
        }
        return result
    }

    /// The index of the bracket that closes the one opened at token `open`, nil when the line ends first.
    func closing(_ open: Int) -> Int? {
        var depth = 0
        for i in open..<tokens.count {
            guard let text = op(i), text.count == 1 else { continue }
            if "([{".contains(text) { depth += 1 } else if ")]}".contains(text) {
                depth -= 1
                if depth == 0 { return i }
            }
        }
        return nil
    }

    /// The first token of the receiver that ends just before token `end`: names joined by dots, with
    /// calls and subscripts (`self.layers[0].w`, `torch.sigmoid(h)`), stopping at an operator, an open
    /// bracket or a gap (`return x`). Nil when nothing precedes `end` that way.
    func receiverStart(endingBefore end: Int) -> Int? {
        var start = end
        var depth = 0
        while start > 0 {
            let previous = start - 1
            let text = op(previous)
            if depth > 0 {
                if let text, text == ")" || text == "]" { depth += 1 } else if let text, text == "(" || text == "[" { depth -= 1 }
                start = previous
                continue
            }
            guard tokens[previous].span.endColumn == tokens[start].span.column || start == end else { break }
            if let text, text == ")" || text == "]" {
                depth += 1
            } else if text == "." || name(previous) != nil {
                // part of a dotted name
            } else {
                break
            }
            start = previous
        }
        return start < end ? start : nil
    }
}
