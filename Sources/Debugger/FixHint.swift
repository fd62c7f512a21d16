import Tape

/// Suggests a fix that fits the pattern of the culprit statement, read from the op record and the
/// program's source line: augmented assignment, in-place method, `inplace=True` activation,
/// `optimizer.step()` before a pending backward, a write through `.detach()` or under `no_grad`.
struct FixHint: Sendable {
    let source: SourceText

    /// The culprit's write happened in a step the recording's window dropped.
    static func droppedWrite(savedName: String, steps: Int) -> String {
        "the in-place write that moved `\(savedName)` past its saved version ran in one of the \(steps) earlier steps this trace dropped (recorded with --keep-steps); record again with a larger --keep-steps, or without it, to name it"
    }

    static let lastResort = "or, as a last resort, run the forward and backward inside `with torch.autograd.graph.allow_mutation_on_saved_tensors():`, which clones saved tensors before they are modified"

    /// A fix for an in-place op that invalidated a saved tensor.
    ///
    /// - Parameters:
    ///   - detachSite: where the written tensor was made by `.detach()`, if it was.
    ///   - backwardSite: the backward call that failed.
    func staleSave(op: OpRecord, savedName: String, detachSite: CallSite?, backwardSite: CallSite?) -> String {
        let statement = self.statement(at: op.site)
        if let detachSite, let made = source.line(detachSite.line).map(trimmed), made.contains(".detach()") {
            let fixed = made.replacingFirst(".detach()", with: ".detach().clone()")
            return "`.detach()` shares memory and the version counter with `\(savedName)`: write to a copy instead, `\(fixed)` (line \(detachSite.line))"
        }
        if isOptimizerStep(op, statement: statement) {
            let call = statement.isEmpty ? "optimizer.step()" : statement
            let after = backwardSite.map { " (line \($0.line))" } ?? ""
            return "`\(call)` updates the parameters in place while a backward through the old graph is still pending: call it after every backward that uses this graph\(after), and recompute the forward pass for the next one"
        }
        if !op.gradMode {
            let target = assignmentTarget(statement).flatMap(baseName) ?? savedName
            return "the write under `torch.no_grad()` still bumps the version of `\(target)`, which backward needs as it was: clone it first (`\(target) = \(target).clone()` before line \(op.site.line)), or move the update after the backward call"
        }
        if op.name.contains("relu") || op.call.lowercased().contains("relu"), let line = inplaceTrueLine(near: op.site.line) {
            let fixed = trimmed(source.line(line) ?? "").replacingFirst("inplace=True", with: "inplace=False")
            return "the activation overwrites its input, which an earlier op saved: build it with `inplace=False` (line \(line): `\(fixed)`)"
        }
        if let target = assignmentTarget(statement), target.contains("["), let base = baseName(target) {
            return "this assignment writes into `\(base)`, which backward needs unchanged: modify a copy (`\(base) = \(base).clone()` before line \(op.site.line)) or build the new values out of place"
        }
        if let rewrite = outOfPlace(statement) {
            return "use the out-of-place form so the saved tensor keeps its values: `\(rewrite)`"
        }
        return "modify a copy instead of the saved tensor (`\(savedName).clone()`), " + Self.lastResort
    }

    /// A fix for autograd refusing an in-place op on a leaf or a view of one.
    func leafInPlace(site: CallSite, view: Bool) -> String {
        let statement = self.statement(at: site)
        let subject = view ? "a view of a leaf that requires grad" : "a leaf that requires grad"
        var hint = "this writes into \(subject): if it is a parameter update, wrap it in `with torch.no_grad():`"
        if view, let target = assignmentTarget(statement), let base = baseName(target) {
            hint += "; if it is part of the computation, work on a copy (`\(base) = \(base).clone()` first)"
        } else if let rewrite = outOfPlace(statement) {
            hint += "; if it is part of the computation, write it out of place: `\(rewrite)`"
        }
        return hint
    }

    /// A fix for a second backward through freed buffers.
    func backwardTwice(firstBackward: CallSite?) -> String {
        let first = firstBackward.map { " at line \($0.line)" } ?? ""
        return "the first backward\(first) freed the graph's saved tensors: pass `retain_graph=True` to it if you need to go through the same graph again, or recompute the forward pass before calling backward again"
    }

    func nonScalarBackward(site: CallSite) -> String {
        let receiver = backwardReceiver(statement(at: site)) ?? "y"
        return "backward() needs a scalar to start from: reduce first (`\(receiver).sum().backward()`) or pass the gradient explicitly (`\(receiver).backward(torch.ones_like(\(receiver)))`)"
    }

    static let noGradFn = "the tensor has no grad_fn: give an input `requires_grad=True`, and make sure the forward pass did not run under `torch.no_grad()` or on detached tensors"
    static let viewInPlace = "replace the in-place operation by an out-of-place one, or `.clone()` the view before modifying it"
    static let autogradError = "PyTorch's message above names what autograd expected; the line shown is where it was raised"

    func silentMutation(savedName: String) -> String {
        "`.data` shares memory with `\(savedName)` but not its version counter, so autograd cannot notice the write: modify a copy (`\(savedName).detach().clone()`), or make the change before the forward op that saves `\(savedName)`"
    }

    func unbumpedWrite(savedName: String, op: OpRecord) -> String {
        let kernel = op.name.split(separator: ".").first.map(String.init) ?? op.name
        return "\(kernel) (what `fused=True` optimizers run) does not bump the version counters of the tensors it writes, so autograd cannot notice that `\(savedName)` changed: run the backward pass before the optimizer step, or the forward pass again after it; without `fused=True` PyTorch raises the in-place error here instead"
    }

    // MARK: Reading statements

    /// The statement's text: the whole source line without indentation.
    func statement(at site: CallSite) -> String {
        guard site.file == nil else { return "" }
        return trimmed(source.line(site.line) ?? "")
    }

    private func isOptimizerStep(_ op: OpRecord, statement: String) -> Bool {
        op.call.hasSuffix("step") || (op.site.frame?.hasSuffix(".step") ?? false) || statement.contains(".step(")
    }

    /// The first line at or before `line` (then anywhere) that passes `inplace=True`.
    private func inplaceTrueLine(near line: Int) -> Int? {
        let candidates = Array((1...max(1, min(line, source.lines.count))).reversed()) + Array(1...max(1, source.lines.count))
        return candidates.first { source.line($0).map { StatementTokens($0).passes("inplace", "True") } ?? false }
    }

    /// `x = x + 1` for `x += 1`; `y = y.mul(2)` for `y.mul_(2)`; `z = h.exp()` for `z = h.exp_()`;
    /// `return torch.sigmoid(h).exp()` for `return torch.sigmoid(h).exp_()`. Nil when there is
    /// none, or when the receiver is an element (`x[0].add_(1)`): rebinding it would write again.
    func outOfPlace(_ statement: String) -> String? {
        if let (target, op, value) = augmentedAssignment(statement), !target.contains("[") {
            return "\(target) = \(target) \(op) \(value)"
        }
        guard let method = inPlaceMethod(statement), !method.receiver.hasSuffix("]") else { return nil }
        let inPlace = "\(method.receiver).\(method.name)_(\(method.arguments))"
        if Self.isNamespace(method.receiver) {
            guard let (written, call) = Self.outOfPlaceFunction(method) else { return nil }
            return statement == inPlace ? "\(written) = \(call)" : statement.replacingFirst(inPlace, with: call)
        }
        guard let call = Self.outOfPlaceCall(method) else { return nil }
        if statement == inPlace && method.receiver.isDottedName {
            return "\(method.receiver) = \(call)"
        }
        return statement.replacingFirst(inPlace, with: call)
    }

    /// Whether a call's receiver is a module of functions (`torch`, `torch.nn.functional`, `F`)
    /// rather than a tensor: `torch.relu_(x)` writes its first argument, not `torch`.
    static func isNamespace(_ receiver: String) -> Bool {
        (receiver == "torch" || receiver == "F" || receiver.hasPrefix("torch.") || receiver.hasPrefix("nn."))
            && receiver.isDottedName
    }

    /// The tensor an in-place function writes (its first argument) and the out-of-place call:
    /// `(x, torch.relu(x))` for `torch.relu_(x)`, `(x, torch.zeros_like(x))` for `torch.zero_(x)`.
    /// Nil for a first argument that is not a name, for `torch._foreach_*_` (a list, rebound
    /// element by element) and for `torch.nn.init`, whose initializers have no out-of-place form.
    static func outOfPlaceFunction(_ function: (receiver: String, name: String, arguments: String)) -> (String, String)? {
        let (namespace, name, arguments) = function
        guard !name.hasPrefix("_foreach_"), !namespace.hasSuffix(".init") else { return nil }
        let line = StatementTokens(arguments)
        let comma = line.topLevel.first { line.op($0) == "," }
        let written = trimmed(comma.map(line.text(before:)) ?? arguments)
        let rest = comma.map { trimmed(line.text(after: $0)) } ?? ""
        guard !written.isEmpty, written.isDottedName,
              let call = outOfPlaceCall((written, name, rest), namespace: namespace) else { return nil }
        return (written, call)
    }

    /// The out-of-place spelling of an in-place method call, nil for methods that have none
    /// (`uniform_`, `normal_`, `resize_`, `set_`). With `namespace`, the call was the function
    /// form (`torch.relu_(x)`, receiver `x`), and so is its out-of-place spelling (`torch.relu(x)`).
    static func outOfPlaceCall(
        _ method: (receiver: String, name: String, arguments: String), namespace: String? = nil
    ) -> String? {
        let (receiver, name, arguments) = method
        switch name {
        case "zero": return "torch.zeros_like(\(receiver))"
        case "fill": return "torch.full_like(\(receiver), \(arguments))"
        case "copy": return "\(arguments).clone()"
        case "uniform", "normal", "random", "exponential", "geometric", "cauchy", "log_normal", "bernoulli",
             "resize", "resize_as", "set", "detach", "requires_grad", "share_memory":
            return nil
        default:
            guard let namespace else { return "\(receiver).\(name)(\(arguments))" }
            return "\(namespace).\(name)(\(arguments.isEmpty ? receiver : receiver + ", " + arguments))"
        }
    }

    /// The left side of `target = ...` or `target op= ...`, nil for expression statements.
    func assignmentTarget(_ statement: String) -> String? {
        if let (target, _, _) = augmentedAssignment(statement) { return target }
        let line = StatementTokens(statement)
        guard let first = line.topLevel.first(where: { line.op($0).map(Self.assignmentOrComparison.contains) ?? false }),
              line.op(first) == "=" else { return nil }
        let target = trimmed(line.text(before: first))
        return target.isEmpty ? nil : target
    }

    /// Splits `target op= value` (outside brackets) into its parts.
    func augmentedAssignment(_ statement: String) -> (String, String, String)? {
        let line = StatementTokens(statement)
        guard let first = line.topLevel.first(where: { line.op($0).map(Self.assignmentOrComparison.contains) ?? false }),
              let op = line.op(first), let binary = Self.augmentedOperators[op] else { return nil }
        let target = trimmed(line.text(before: first))
        let value = trimmed(line.text(after: first))
        return target.isEmpty || value.isEmpty ? nil : (target, binary, value)
    }

    /// The augmented assignments a hint rewrites, each with its binary operator.
    private static let augmentedOperators: [String: String] = [
        "**=": "**", "//=": "//", "+=": "+", "-=": "-", "*=": "*", "/=": "/", "@=": "@", "%=": "%",
        "&=": "&", "|=": "|", "^=": "^",
    ]

    /// The tokens that decide whether a statement assigns: the first one at the top level wins.
    private static let assignmentOrComparison: Set<String> =
        Set(augmentedOperators.keys).union(["=", "==", "!=", "<=", ">=", ">>=", "<<=", ":="])

    /// The first `receiver.name_(arguments)` call in the statement.
    func inPlaceMethod(_ statement: String) -> (receiver: String, name: String, arguments: String)? {
        let line = StatementTokens(statement)
        for i in line.tokens.indices.dropFirst().dropLast() {
            guard let name = line.name(i), name.hasSuffix("_"), !name.dropLast().hasSuffix("_"), name.count > 1,
                  line.op(i - 1) == ".", line.op(i + 1) == "(" else { continue }
            guard let start = line.receiverStart(endingBefore: i - 1), let close = line.closing(i + 1) else { return nil }
            return (line.text(from: start, to: i - 1), String(name.dropLast()), line.text(from: i + 2, to: close))
        }
        return nil
    }

    /// `x` for `x[0, 1]` or `x.data[0]`.
    func baseName(_ target: String) -> String? {
        let name = String(target.prefix { $0.isIdentifierCharacter || $0 == "." })
        return name.isEmpty ? nil : name
    }

    private func backwardReceiver(_ statement: String) -> String? {
        let line = StatementTokens(statement)
        guard let dot = line.tokens.indices.dropLast(2).first(where: {
            line.op($0) == "." && line.name($0 + 1) == "backward" && line.op($0 + 2) == "("
        }), let start = line.receiverStart(endingBefore: dot) else { return nil }
        return line.text(from: start, to: dot)
    }
}

/// The line without indentation and without a trailing comment, read by the lexer; a line the lexer
/// rejects keeps its text, with only the indentation and trailing blanks removed.
func trimmed(_ text: String) -> String {
    let line = StatementTokens(text)
    if !line.tokens.isEmpty { return line.code }
    var characters = Substring(text)
    while let first = characters.first, first == " " || first == "\t" { characters.removeFirst() }
    while let last = characters.last, last == " " || last == "\t" { characters.removeLast() }
    return characters.hasPrefix("#") ? "" : String(characters)
}

extension Character {
    var isIdentifierCharacter: Bool { isLetter || isNumber || self == "_" }
}

extension String {
    /// Whether the text is a name or an attribute path (`x`, `self.w`, `torch.nn.functional`).
    var isDottedName: Bool { allSatisfy { $0.isIdentifierCharacter || $0 == "." } }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let characters = Array(self)
        let pattern = Array(target)
        guard pattern.count <= characters.count else { return self }
        for start in 0...(characters.count - pattern.count) where Array(characters[start..<start + pattern.count]) == pattern {
            return String(characters[..<start]) + replacement + String(characters[(start + pattern.count)...])
        }
        return self
    }
}
