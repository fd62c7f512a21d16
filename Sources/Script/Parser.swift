import PythonLexer

/// Parses tokens into statements and expressions, Python's grammar restricted to the supported subset.
struct Parser {
    private var tokens: [Token]
    private var position = 0
    /// How many `def`s and loops enclose the statement being parsed, for `return`/`break` checks.
    private var functionDepth = 0
    private var loopDepth = 0
    /// How many prefix operators and nested expressions the parser is inside: its own recursion.
    private var nesting = 0
    /// CPython 3.11 runs out of parser stack (`MemoryError`) at a chain of 5968 prefix operators.
    static let parserStackLimit = 5968
    /// CPython 3.11's compiler stops at an expression 3000 deep (`RecursionError`).
    static let compilerDepthLimit = 3000

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// The parser's own stack. Its recursion is bounded by the limits above and the tokenizer's 200
    /// brackets, per parser: the program's and one for each of up to four f-strings nested in it. The
    /// deepest input those allow (`ParserStackTests`: a chain of 5700 conditional expressions in
    /// brackets in each of the five) needs under 96 MiB in a debug build and under 128 MiB with
    /// AddressSanitizer (measured 2026-12-05); this is four times that.
    static let stackSize = 1 << 29

    /// Parses a whole program, on a thread of its own whose stack holds the deepest recursion the
    /// nesting limits allow, so deep input ends in Python's error on any caller's thread (libFuzzer's
    /// 8 MiB main thread overflowed at 198 nested brackets under AddressSanitizer).
    static func parse(_ source: String) throws(SyntaxError) -> [Stmt] {
        try OwnStack.run(size: stackSize) {
            Result { () throws(SyntaxError) in try parseOnThisStack(source) }
        }.get()
    }

    private static func parseOnThisStack(_ source: String) throws(SyntaxError) -> [Stmt] {
        let (tokens, unclosed) = try Lexer.tokenizeProgram(source)
        var parser = Parser(tokens: tokens)
        var body: [Stmt] = []
        do {
            while parser.current.kind != .end {
                body += try parser.statement()
            }
        } catch {
            if error.kind == .recursion || error.kind == .memory { throw error }
            // CPython reports the unclosed bracket instead when the error lies on a later line, when the
            // parser ran into the end of the file, or for a missing comma inside that bracket.
            guard let unclosed else { throw error }
            let replace = error.span.line > unclosed.span.line || parser.current.kind == .end
                || error.message == Parser.missingComma
            throw replace ? unclosed : error
        }
        if let unclosed { throw unclosed }
        return body
    }

    /// Parses the single expression of an f-string field; the whole token list must be consumed.
    mutating func parseEmbedded() throws(SyntaxError) -> Expr {
        let value = try expressionList()
        guard case .end = current.kind else { throw SyntaxError("f-string: invalid syntax", at: current.span) }
        return value
    }

    // MARK: Token helpers

    private var current: Token { tokens[position] }
    private var previous: Token { tokens[max(position - 1, 0)] }

    private func isOp(_ op: String, ahead: Int = 0) -> Bool {
        guard position + ahead < tokens.count else { return false }
        return tokens[position + ahead].kind == .op(op)
    }

    private func isName(_ name: String) -> Bool { current.kind == .name(name) }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func accept(_ op: String) -> Bool {
        if isOp(op) { _ = advance(); return true }
        return false
    }

    private mutating func acceptName(_ name: String) -> Bool {
        if isName(name) { _ = advance(); return true }
        return false
    }

    private mutating func expect(_ op: String) throws(SyntaxError) {
        guard accept(op) else {
            if op == ":" && current.isNewlineOrEnd { throw SyntaxError("expected ':'", at: current.span) }
            if op == ":" && isOp("=") {
                throw SyntaxError("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: current.span)
            }
            if (op == ")" || op == "]" || op == "}") && startsExpression {
                throw SyntaxError(Parser.missingComma, at: previous.span)
            }
            throw invalid()
        }
    }

    private static let missingComma = "invalid syntax. Perhaps you forgot a comma?"

    /// Whether the current token can begin an expression (for "Perhaps you forgot a comma?").
    private var startsExpression: Bool {
        switch current.kind {
        case .name(let word): return !Parser.keywords.contains(word) || ["None", "True", "False", "not", "lambda"].contains(word)
        case .int, .float, .string, .fstring: return true
        case .op(let op): return ["(", "[", "{", "-", "+", "~"].contains(op)
        default: return false
        }
    }

    private func invalid() -> SyntaxError {
        if current.kind == .indent { return SyntaxError("unexpected indent", at: current.span, kind: .indentation) }
        if case .end = current.kind { return SyntaxError("unexpected EOF while parsing", at: current.span) }
        return SyntaxError("invalid syntax", at: current.span)
    }

    private mutating func identifier() throws(SyntaxError) -> String {
        guard case .name(let name) = current.kind, !Parser.keywords.contains(name) else { throw invalid() }
        _ = advance()
        return name
    }

    private static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    private static let unsupportedKeywords: Set<String> = ["async", "await", "yield", "match"]

    // MARK: Statements

    private mutating func statement() throws(SyntaxError) -> [Stmt] {
        let start = current.span
        if case .name(let word) = current.kind {
            switch word {
            case "if": return [try ifStatement()]
            case "while": return [try whileStatement()]
            case "for": return [try forStatement()]
            case "def": return [try functionDef()]
            case "class": return [try classDef()]
            case "with": return [try withStatement()]
            case "try": return [try tryStatement()]
            default: break
            }
        }
        if isOp("@") {
            var decorators: [Expr] = []
            while accept("@") {
                decorators.append(try namedExpression())
                guard current.kind == .newline else { throw invalid() }
                _ = advance()
            }
            guard case .name(let word) = current.kind, word == "def" || word == "class" else { throw invalid() }
            var definition = word == "def" ? try functionDef() : try classDef()
            switch definition.kind {
            case .functionDef(let def, _): definition.kind = .functionDef(def, decorators: decorators)
            case .classDef(let name, let bases, let body, _): definition.kind = .classDef(name: name, bases: bases, body: body, decorators: decorators)
            default: break
            }
            return [definition]
        }
        if current.kind == .indent { throw SyntaxError("unexpected indent", at: start, kind: .indentation) }
        var statements = [try simpleStatement()]
        while accept(";") {
            if current.isNewlineOrEnd { break }
            statements.append(try simpleStatement())
        }
        guard current.isNewlineOrEnd else {
            if case .expression(let expr) = statements.last?.kind, case .name(let name) = expr.kind,
               name == "print" || name == "exec", startsExpression {
                throw SyntaxError("Missing parentheses in call to '\(name)'. Did you mean \(name)(...)?", at: expr.span)
            }
            throw invalid()
        }
        if current.kind == .newline { _ = advance() }
        return statements
    }

    /// The body of a compound statement; `header` names it for Python's IndentationError
    /// ("expected an indented block after 'if' statement on line 3").
    private mutating func block(after header: String) throws(SyntaxError) -> [Stmt] {
        try expect(":")
        if current.kind != .newline {
            var statements = [try simpleStatement()]
            while accept(";") {
                if current.isNewlineOrEnd { break }
                statements.append(try simpleStatement())
            }
            guard current.isNewlineOrEnd else { throw invalid() }
            if current.kind == .newline { _ = advance() }
            return statements
        }
        _ = advance()
        guard current.kind == .indent else {
            throw SyntaxError("expected an indented block after \(header)", at: current.span, kind: .indentation)
        }
        _ = advance()
        var body: [Stmt] = []
        while current.kind != .dedent && current.kind != .end {
            body += try statement()
        }
        if current.kind == .dedent { _ = advance() }
        return body
    }

    /// How Python names a clause whose keyword was just accepted: `'else' statement on line 7`.
    private func clause(_ keyword: String) -> String {
        "'\(keyword)' statement on line \(previous.span.line)"
    }

    private mutating func simpleStatement() throws(SyntaxError) -> Stmt {
        let start = current.span
        if case .name(let word) = current.kind {
            if Parser.unsupportedKeywords.contains(word) && !isOp("=", ahead: 1) && !isOp("(", ahead: 1) && !isOp(".", ahead: 1) {
                throw SyntaxError("tapedeck does not support '\(word)'", at: start)
            }
            switch word {
            case "pass": _ = advance(); return Stmt(kind: .pass, span: start)
            case "break", "continue":
                guard loopDepth > 0 else {
                    throw SyntaxError(word == "break" ? "'break' outside loop" : "'continue' not properly in loop", at: start)
                }
                _ = advance()
                return Stmt(kind: word == "break" ? .breakLoop : .continueLoop, span: start)
            case "return":
                guard functionDepth > 0 else { throw SyntaxError("'return' outside function", at: start) }
                _ = advance()
                let value = current.isNewlineOrEnd || isOp(";") ? nil : try expressionList()
                return Stmt(kind: .returnValue(value), span: start.through(previous.span))
            case "raise":
                _ = advance()
                let value = current.isNewlineOrEnd || isOp(";") ? nil : try expression()
                let cause = value != nil && acceptName("from") ? try expression() : nil
                return Stmt(kind: .raise(value, cause: cause), span: start.through(previous.span))
            case "import": return try importStatement()
            case "from": return try fromImportStatement()
            case "global", "nonlocal":
                _ = advance()
                var names = [try identifier()]
                while accept(",") { names.append(try identifier()) }
                return Stmt(kind: word == "global" ? .global(names) : .nonlocal(names), span: start.through(previous.span))
            case "del":
                _ = advance()
                var targets = [try primary()]
                while accept(",") { targets.append(try primary()) }
                return Stmt(kind: .delete(targets), span: start.through(previous.span))
            case "assert":
                _ = advance()
                let test = try expression()
                let message = accept(",") ? try expression() : nil
                return Stmt(kind: .assert(test, message: message), span: start.through(previous.span))
            default: break
            }
        }
        let first = try expressionList(allowStarred: true)
        if case .op(let op) = current.kind, op.count >= 2, op.hasSuffix("="), !["==", "!=", "<=", ">="].contains(op),
           let binary = BinaryOperator(rawValue: String(op.dropLast())) {
            try checkTarget(first, augmented: true)
            _ = advance()
            let value = try expressionList()
            return Stmt(kind: .augmentedAssign(target: first, op: binary, value: value), span: start.through(previous.span))
        }
        if accept(":") {
            try checkTarget(first, augmented: true)
            _ = try expression()
            guard accept("=") else { return Stmt(kind: .pass, span: start.through(previous.span)) }
            let value = try expressionList()
            return Stmt(kind: .assign(targets: [first], value: value), span: start.through(previous.span))
        }
        guard isOp("=") else { return Stmt(kind: .expression(first), span: first.span) }
        var targets = [first]
        var value = first
        while accept("=") {
            value = try expressionList(allowStarred: true)
            targets.append(value)
        }
        targets.removeLast()
        for target in targets { try checkTarget(target, augmented: false) }
        return Stmt(kind: .assign(targets: targets, value: value), span: start.through(previous.span))
    }

    private func checkTarget(_ target: Expr, augmented: Bool) throws(SyntaxError) {
        switch target.kind {
        case .name, .attribute, .subscript: return
        case .tuple(let items), .list(let items):
            if augmented { throw SyntaxError("'tuple' is an illegal expression for augmented assignment", at: target.span) }
            for item in items { try checkTarget(item, augmented: false) }
        case .starred(let inner) where !augmented: try checkTarget(inner, augmented: false)
        case .call:
            throw SyntaxError("cannot assign to function call here. Maybe you meant '==' instead of '='?", at: target.span)
        case .literal(.bool(let flag)):
            throw SyntaxError("cannot assign to \(flag ? "True" : "False")", at: target.span)
        case .literal(.none):
            throw SyntaxError("cannot assign to None", at: target.span)
        case .literal:
            throw SyntaxError("cannot assign to literal here. Maybe you meant '==' instead of '='?", at: target.span)
        default:
            throw SyntaxError("cannot assign to expression here. Maybe you meant '==' instead of '='?", at: target.span)
        }
    }

    private mutating func dottedName() throws(SyntaxError) -> [String] {
        var path = [try identifier()]
        while accept(".") { path.append(try identifier()) }
        return path
    }

    private mutating func importStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        var modules: [(path: [String], alias: String?)] = []
        repeat {
            let path = try dottedName()
            let alias = acceptName("as") ? try identifier() : nil
            modules.append((path, alias))
        } while accept(",")
        return Stmt(kind: .importModule(modules), span: start.through(previous.span))
    }

    private mutating func fromImportStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        if isOp(".") { throw SyntaxError("tapedeck does not support relative imports", at: current.span) }
        let module = try dottedName()
        guard acceptName("import") else { throw invalid() }
        if isOp("*") { throw SyntaxError("tapedeck does not support 'import *'", at: current.span) }
        let parenthesized = accept("(")
        var names: [(name: String, alias: String?)] = []
        repeat {
            if parenthesized && isOp(")") { break }
            let name = try identifier()
            names.append((name, acceptName("as") ? try identifier() : nil))
        } while accept(",")
        if parenthesized { try expect(")") }
        return Stmt(kind: .importFrom(module: module, names: names), span: start.through(previous.span))
    }

    private mutating func ifStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        var branches: [(test: Expr, body: [Stmt])] = []
        let test = try namedExpression()
        branches.append((test, try block(after: "'if' statement on line \(start.line)")))
        var otherwise: [Stmt] = []
        while true {
            if acceptName("elif") {
                let header = clause("elif")
                let test = try namedExpression()
                branches.append((test, try block(after: header)))
            } else if acceptName("else") {
                otherwise = try block(after: clause("else"))
                break
            } else {
                break
            }
        }
        return Stmt(kind: .conditional(branches: branches, otherwise: otherwise), span: start.through(test.span))
    }

    private mutating func whileStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let test = try namedExpression()
        loopDepth += 1
        let body = try block(after: "'while' statement on line \(start.line)")
        loopDepth -= 1
        let otherwise = acceptName("else") ? try block(after: clause("else")) : []
        return Stmt(kind: .whileLoop(test: test, body: body, otherwise: otherwise), span: start.through(test.span))
    }

    private mutating func forStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let target = try targetList()
        guard acceptName("in") else { throw invalid() }
        let iterable = try expressionList()
        let header = start.through(iterable.span)
        loopDepth += 1
        let body = try block(after: "'for' statement on line \(start.line)")
        loopDepth -= 1
        let otherwise = acceptName("else") ? try block(after: clause("else")) : []
        return Stmt(kind: .forLoop(target: target, iterable: iterable, body: body, otherwise: otherwise), span: header)
    }

    /// The target of a `for` or comprehension: names, attributes, subscripts, possibly a bare tuple.
    private mutating func targetList() throws(SyntaxError) -> Expr {
        let first = try bitwiseOr(allowStarred: true)
        guard isOp(",") else { try checkTarget(first, augmented: false); return first }
        var items = [first]
        while accept(",") {
            if isName("in") { break }
            items.append(try bitwiseOr(allowStarred: true))
        }
        let tuple = Expr(kind: .tuple(items), span: first.span.through(items.last!.span))
        try checkTarget(tuple, augmented: false)
        return tuple
    }

    private mutating func parameters(closing: String) throws(SyntaxError) -> Parameters {
        var result = Parameters()
        var keywordOnly = false
        var sawDefault = false
        while !isOp(closing) {
            if accept("**") {
                result.varKeywords = try identifier()
            } else if accept("*") {
                if isOp(",") || isOp(closing) {
                    keywordOnly = true
                } else {
                    result.varArgs = try identifier()
                    keywordOnly = true
                }
            } else if accept("/") {
                // Positional-only marker: every parameter here can be passed by position anyway.
            } else {
                let nameToken = current
                let name = try identifier()
                if closing == ")" && accept(":") { _ = try expression() }
                if result.list.contains(where: { $0.name == name }) {
                    throw SyntaxError("duplicate argument '\(name)' in function definition", at: nameToken.span)
                }
                var defaultValue: Expr?
                if accept("=") {
                    defaultValue = try expression()
                    sawDefault = true
                } else if sawDefault && !keywordOnly {
                    throw SyntaxError("non-default argument follows default argument", at: nameToken.span)
                }
                result.list.append(.init(name: name, defaultValue: defaultValue, keywordOnly: keywordOnly))
            }
            if !accept(",") { break }
        }
        return result
    }

    private mutating func functionDef() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let name = try identifier()
        try expect("(")
        let params = try parameters(closing: ")")
        try expect(")")
        if accept("->") { _ = try expression() }
        let header = start.through(previous.span)
        let (savedFunctions, savedLoops) = (functionDepth, loopDepth)
        (functionDepth, loopDepth) = (functionDepth + 1, 0)
        let body = try block(after: "function definition on line \(start.line)")
        (functionDepth, loopDepth) = (savedFunctions, savedLoops)
        return Stmt(kind: .functionDef(FunctionDef(name: name, parameters: params, body: body), decorators: []), span: header)
    }

    private mutating func classDef() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let name = try identifier()
        var bases: [Expr] = []
        if accept("(") {
            while !isOp(")") {
                if case .name = current.kind, isOp("=", ahead: 1) {
                    throw SyntaxError("tapedeck does not support class keyword arguments", at: current.span)
                }
                bases.append(try expression())
                if !accept(",") { break }
            }
            try expect(")")
        }
        let header = start.through(previous.span)
        let (savedFunctions, savedLoops) = (functionDepth, loopDepth)
        (functionDepth, loopDepth) = (0, 0)
        let body = try block(after: "class definition on line \(start.line)")
        (functionDepth, loopDepth) = (savedFunctions, savedLoops)
        return Stmt(kind: .classDef(name: name, bases: bases, body: body, decorators: []), span: header)
    }

    private mutating func withStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        var items: [(context: Expr, name: Expr?)] = []
        repeat {
            let context = try expression()
            var name: Expr?
            if acceptName("as") {
                let target = try bitwiseOr(allowStarred: false)
                try checkTarget(target, augmented: false)
                name = target
            }
            items.append((context, name))
        } while accept(",")
        let header = start.through(previous.span)
        let body = try block(after: "'with' statement on line \(start.line)")
        return Stmt(kind: .with(items: items, body: body), span: header)
    }

    private mutating func tryStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let body = try block(after: "'try' statement on line \(start.line)")
        var handlers: [ExceptHandler] = []
        while isName("except") {
            let handlerStart = advance().span
            var type: Expr?
            var name: String?
            if !isOp(":") {
                if isOp("*") { throw SyntaxError("tapedeck does not support 'except*'", at: current.span) }
                type = try expression()
                if accept(",") {
                    var items = [type!]
                    repeat { items.append(try expression()) } while accept(",")
                    throw SyntaxError("multiple exception types must be parenthesized", at: items[0].span)
                }
                if acceptName("as") { name = try identifier() }
            }
            let span = handlerStart.through(previous.span)
            let header = "'except' statement on line \(handlerStart.line)"
            handlers.append(ExceptHandler(type: type, name: name, body: try block(after: header), span: span))
        }
        let otherwise = !handlers.isEmpty && acceptName("else") ? try block(after: clause("else")) : []
        let finally = acceptName("finally") ? try block(after: clause("finally")) : []
        if handlers.isEmpty && finally.isEmpty {
            throw SyntaxError("expected 'except' or 'finally' block", at: current.span)
        }
        return Stmt(kind: .tryExcept(body: body, handlers: handlers, otherwise: otherwise, finally: finally), span: start)
    }

    // MARK: Expressions

    /// An expression list: `a, b` becomes a tuple.
    private mutating func expressionList(allowStarred: Bool = false) throws(SyntaxError) -> Expr {
        let first = allowStarred && isOp("*") ? try starredExpression() : try expression()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if current.isNewlineOrEnd || isOp("=") || isOp(")") || isOp(";") || isOp(":") { break }
            if case .op(let op) = current.kind, op.hasSuffix("="), op.count >= 2, !["==", "!=", "<=", ">="].contains(op) { break }
            items.append(allowStarred && isOp("*") ? try starredExpression() : try expression())
        }
        return Expr(kind: .tuple(items), span: first.span.through(previous.span))
    }

    private mutating func starredExpression() throws(SyntaxError) -> Expr {
        let start = advance().span
        let inner = try bitwiseOr(allowStarred: false)
        return Expr(kind: .starred(inner), span: start.through(inner.span))
    }

    private mutating func namedExpression() throws(SyntaxError) -> Expr {
        let value = try expression()
        if isOp(":=") { throw SyntaxError("tapedeck does not support ':='", at: current.span) }
        return value
    }

    mutating func expression() throws(SyntaxError) -> Expr {
        try enterNesting()
        defer { nesting -= 1 }
        return try limited(try conditionalExpression())
    }

    /// `levels` deeper into the parser's recursion, refused where CPython's parser runs out of stack.
    /// CPython spends one of its levels on each prefix operator or conditional expression of a chain
    /// and two on each `lambda` or `**` (a chain of 2984 of either is its `MemoryError`).
    private mutating func enterNesting(levels: Int = 1) throws(SyntaxError) {
        nesting += levels
        if nesting > Parser.parserStackLimit { throw SyntaxError("", at: current.span, kind: .memory) }
    }

    /// `expr`, refused when it is nested deeper than CPython's compiler allows; checked as each
    /// chain grows so no tree deeper than the limit is ever built (or walked, or freed).
    private func limited(_ expr: Expr) throws(SyntaxError) -> Expr {
        guard expr.depth < Parser.compilerDepthLimit else {
            throw SyntaxError("maximum recursion depth exceeded during compilation", at: expr.span, kind: .recursion)
        }
        return expr
    }

    private mutating func conditionalExpression() throws(SyntaxError) -> Expr {
        if isName("lambda") { return try lambda() }
        let value = try orExpression()
        if acceptName("if") {
            let test = try orExpression()
            guard acceptName("else") else { throw SyntaxError("expected 'else' after 'if' expression", at: current.span) }
            let otherwise = try expression()
            return Expr(kind: .conditional(test: test, then: value, otherwise: otherwise), span: value.span.through(otherwise.span))
        }
        return value
    }

    private mutating func lambda() throws(SyntaxError) -> Expr {
        let start = advance().span
        try enterNesting()
        defer { nesting -= 1 }
        let params = try parameters(closing: ":")
        try expect(":")
        let body = try expression()
        return Expr(kind: .lambda(params, body), span: start.through(body.span))
    }

    private mutating func orExpression() throws(SyntaxError) -> Expr {
        var left = try andExpression()
        while acceptName("or") {
            let right = try andExpression()
            left = try limited(Expr(kind: .or(left, right), span: left.span.through(right.span)))
        }
        return left
    }

    private mutating func andExpression() throws(SyntaxError) -> Expr {
        var left = try notExpression()
        while acceptName("and") {
            let right = try notExpression()
            left = try limited(Expr(kind: .and(left, right), span: left.span.through(right.span)))
        }
        return left
    }

    private mutating func notExpression() throws(SyntaxError) -> Expr {
        if isName("not") {
            let start = advance().span
            try enterNesting()
            defer { nesting -= 1 }
            let operand = try notExpression()
            return try limited(Expr(kind: .not(operand), span: start.through(operand.span)))
        }
        return try comparison()
    }

    private mutating func comparison() throws(SyntaxError) -> Expr {
        let left = try bitwiseOr(allowStarred: false)
        var rest: [(CompareOperator, Expr)] = []
        while true {
            var op: CompareOperator?
            if case .op(let text) = current.kind, let c = CompareOperator(rawValue: text), !["is", "in"].contains(text) {
                op = c
                _ = advance()
            } else if isName("in") {
                _ = advance(); op = .contains
            } else if isName("is") {
                _ = advance()
                op = acceptName("not") ? .isNot : .isSame
            } else if isName("not") && tokens[position + 1].kind == .name("in") {
                _ = advance(); _ = advance(); op = .notContains
            }
            guard let found = op else { break }
            rest.append((found, try bitwiseOr(allowStarred: false)))
        }
        if rest.isEmpty { return left }
        return Expr(kind: .compare(left, rest), span: left.span.through(rest.last!.1.span))
    }

    private mutating func binaryLevel(_ ops: [String], next: (inout Parser) throws(SyntaxError) -> Expr) throws(SyntaxError) -> Expr {
        var left = try next(&self)
        while case .op(let text) = current.kind, ops.contains(text) {
            _ = advance()
            let right = try next(&self)
            left = try limited(Expr(kind: .binary(BinaryOperator(rawValue: text)!, left, right), span: left.span.through(right.span)))
        }
        return left
    }

    private mutating func bitwiseOr(allowStarred: Bool) throws(SyntaxError) -> Expr {
        if allowStarred && isOp("*") { return try starredExpression() }
        return try binaryLevel(["|"]) { (p: inout Parser) throws(SyntaxError) in
            try p.binaryLevel(["^"]) { (p: inout Parser) throws(SyntaxError) in
                try p.binaryLevel(["&"]) { (p: inout Parser) throws(SyntaxError) in
                    try p.binaryLevel(["<<", ">>"]) { (p: inout Parser) throws(SyntaxError) in
                        try p.binaryLevel(["+", "-"]) { (p: inout Parser) throws(SyntaxError) in
                            try p.binaryLevel(["*", "/", "//", "%", "@"]) { (p: inout Parser) throws(SyntaxError) in try p.unary() }
                        }
                    }
                }
            }
        }
    }

    private mutating func unary() throws(SyntaxError) -> Expr {
        if case .op(let text) = current.kind, let op = UnaryOperator(rawValue: text) {
            let start = advance().span
            try enterNesting()
            defer { nesting -= 1 }
            let operand = try unary()
            return try limited(Expr(kind: .unary(op, operand), span: start.through(operand.span)))
        }
        return try power()
    }

    private mutating func power() throws(SyntaxError) -> Expr {
        let base = try primary()
        if accept("**") {
            try enterNesting(levels: 2)
            defer { nesting -= 2 }
            let exponent = try unary()
            return try limited(Expr(kind: .binary(.power, base, exponent), span: base.span.through(exponent.span)))
        }
        return base
    }

    private mutating func primary() throws(SyntaxError) -> Expr {
        var value = try atom()
        while true {
            if accept(".") {
                let name = try identifier()
                value = try limited(Expr(kind: .attribute(value, name), span: value.span.through(previous.span)))
            } else if accept("(") {
                let arguments = try callArguments()
                try expect(")")
                value = try limited(Expr(kind: .call(value, arguments), span: value.span.through(previous.span)))
            } else if accept("[") {
                let index = try subscriptList()
                try expect("]")
                value = try limited(Expr(kind: .subscript(value, index), span: value.span.through(previous.span)))
            } else {
                return value
            }
        }
    }

    private mutating func callArguments() throws(SyntaxError) -> [Argument] {
        var arguments: [Argument] = []
        var sawKeyword = false
        while !isOp(")") {
            if accept("**") {
                arguments.append(.doubleStar(try expression()))
                sawKeyword = true
            } else if accept("*") {
                arguments.append(.star(try expression()))
            } else if case .name(let name) = current.kind, isOp("=", ahead: 1) {
                _ = advance(); _ = advance()
                arguments.append(.keyword(name, try expression()))
                sawKeyword = true
            } else {
                let value = try expression()
                if isName("for") {
                    let comprehension = try comprehensionTail(element: value, result: .generator)
                    let span = value.span.through(previous.span)
                    if !arguments.isEmpty || isOp(",") && !isOp(")", ahead: 1) {
                        throw SyntaxError("Generator expression must be parenthesized", at: span)
                    }
                    arguments.append(.positional(Expr(kind: .comprehension(comprehension), span: span)))
                } else {
                    if sawKeyword {
                        throw SyntaxError("positional argument follows keyword argument", at: value.span)
                    }
                    arguments.append(.positional(value))
                }
            }
            if !accept(",") { break }
        }
        return arguments
    }

    private mutating func subscriptList() throws(SyntaxError) -> Expr {
        let first = try subscriptItem()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if isOp("]") { break }
            items.append(try subscriptItem())
        }
        return Expr(kind: .tuple(items), span: first.span.through(previous.span))
    }

    private mutating func subscriptItem() throws(SyntaxError) -> Expr {
        let start = current.span
        var lower: Expr?
        if !isOp(":") {
            lower = try expression()
            if !isOp(":") { return lower! }
        }
        try expect(":")
        let upper = isOp(":") || isOp("]") || isOp(",") ? nil : try expression()
        var step: Expr?
        if accept(":") {
            step = isOp("]") || isOp(",") ? nil : try expression()
        }
        return Expr(kind: .slice(lower, upper, step), span: start.through(previous.span))
    }

    private mutating func comprehensionTail(element: Expr, result: Comprehension.Result) throws(SyntaxError) -> Comprehension {
        var clauses: [Comprehension.Clause] = []
        while acceptName("for") {
            let target = try targetList()
            guard acceptName("in") else { throw invalid() }
            let iterable = try orExpression()
            var conditions: [Expr] = []
            while acceptName("if") {
                conditions.append(try orExpression())
            }
            clauses.append(.init(target: target, iterable: iterable, conditions: conditions))
        }
        return Comprehension(result: result, element: element, clauses: clauses)
    }

    private mutating func atom() throws(SyntaxError) -> Expr {
        let token = current
        switch token.kind {
        case .int(let v): _ = advance(); return Expr(kind: .literal(.int(v)), span: token.span)
        case .float(let v): _ = advance(); return Expr(kind: .literal(.float(v)), span: token.span)
        case .string, .fstring: return try strings()
        case .name(let name):
            switch name {
            case "None": _ = advance(); return Expr(kind: .literal(.none), span: token.span)
            case "True": _ = advance(); return Expr(kind: .literal(.bool(true)), span: token.span)
            case "False": _ = advance(); return Expr(kind: .literal(.bool(false)), span: token.span)
            case "yield", "await":
                throw SyntaxError("tapedeck does not support '\(name)'", at: token.span)
            default:
                if Parser.keywords.contains(name) { throw invalid() }
                _ = advance()
                return Expr(kind: .name(name), span: token.span)
            }
        case .op("..."): _ = advance(); return Expr(kind: .literal(.ellipsis), span: token.span)
        case .op("("):
            _ = advance()
            if accept(")") { return Expr(kind: .tuple([]), span: token.span.through(previous.span)) }
            let first = isOp("*") ? try starredExpression() : try namedExpression()
            if isName("for") {
                let comprehension = try comprehensionTail(element: first, result: .generator)
                try expect(")")
                return Expr(kind: .comprehension(comprehension), span: token.span.through(previous.span))
            }
            if accept(")") {
                return Expr(kind: first.kind, span: token.span.through(previous.span))
            }
            var items = [first]
            while accept(",") {
                if isOp(")") { break }
                items.append(isOp("*") ? try starredExpression() : try expression())
            }
            try expect(")")
            return Expr(kind: .tuple(items), span: token.span.through(previous.span))
        case .op("["):
            _ = advance()
            if accept("]") { return Expr(kind: .list([]), span: token.span.through(previous.span)) }
            let first = isOp("*") ? try starredExpression() : try namedExpression()
            if isName("for") {
                let comprehension = try comprehensionTail(element: first, result: .list)
                try expect("]")
                return Expr(kind: .comprehension(comprehension), span: token.span.through(previous.span))
            }
            var items = [first]
            while accept(",") {
                if isOp("]") { break }
                items.append(isOp("*") ? try starredExpression() : try expression())
            }
            try expect("]")
            return Expr(kind: .list(items), span: token.span.through(previous.span))
        case .op("{"):
            return try braces()
        default:
            throw invalid()
        }
    }

    private mutating func braces() throws(SyntaxError) -> Expr {
        let start = advance().span
        if accept("}") { return Expr(kind: .dict([]), span: start.through(previous.span)) }
        var pairs: [(key: Expr?, value: Expr)] = []
        if accept("**") {
            pairs.append((nil, try bitwiseOr(allowStarred: false)))
            while accept(",") {
                if isOp("}") { break }
                try dictItem(into: &pairs)
            }
            try expect("}")
            return Expr(kind: .dict(pairs), span: start.through(previous.span))
        }
        let first = try expression()
        if accept(":") {
            let value = try expression()
            if isName("for") {
                let comprehension = try comprehensionTail(element: first, result: .dict(value: value))
                try expect("}")
                return Expr(kind: .comprehension(comprehension), span: start.through(previous.span))
            }
            pairs.append((first, value))
            while accept(",") {
                if isOp("}") { break }
                try dictItem(into: &pairs)
            }
            try expect("}")
            return Expr(kind: .dict(pairs), span: start.through(previous.span))
        }
        if isName("for") {
            let comprehension = try comprehensionTail(element: first, result: .set)
            try expect("}")
            return Expr(kind: .comprehension(comprehension), span: start.through(previous.span))
        }
        var items = [first]
        while accept(",") {
            if isOp("}") { break }
            items.append(try expression())
        }
        try expect("}")
        return Expr(kind: .set(items), span: start.through(previous.span))
    }

    private mutating func dictItem(into pairs: inout [(key: Expr?, value: Expr)]) throws(SyntaxError) {
        if accept("**") {
            pairs.append((nil, try bitwiseOr(allowStarred: false)))
            return
        }
        let key = try expression()
        guard accept(":") else { throw SyntaxError("':' expected after dictionary key", at: key.span) }
        pairs.append((key, try expression()))
    }

    /// Adjacent string literals concatenate; any f-string among them makes the whole an f-string.
    private mutating func strings() throws(SyntaxError) -> Expr {
        let start = current.span
        var parts: [FStringPart] = []
        var isFormatted = false
        while true {
            switch current.kind {
            case .string(let text):
                parts.append(.text(text))
            case .fstring(let body, let raw, let line, let column):
                isFormatted = true
                var fstring = FStringParser(body: body, raw: raw, line: line, column: column)
                parts += try fstring.parse()
            default:
                let span = start.through(previous.span)
                if !isFormatted {
                    let text = parts.map { if case .text(let t) = $0 { return t } else { return "" } }.joined()
                    return Expr(kind: .literal(.string(text)), span: span)
                }
                return Expr(kind: .fstring(parts), span: span)
            }
            _ = advance()
        }
    }
}
