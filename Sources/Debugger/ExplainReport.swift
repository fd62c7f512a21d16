import Tape

/// The diagnoses of one run, renderable as compiler-style text or as the JSON object documented
/// in docs/explain-json.md.
public struct ExplainReport: Hashable, Sendable {
    /// The program's path, as recorded in the tape header.
    public var path: String
    public var source: SourceText
    /// Errors and warnings in the order they happened.
    public var diagnoses: [Diagnosis]
    /// How the run ended: a diagnosis of a run that stopped early covers only what ran.
    public var end: RunEnd
    /// What the recording's step window dropped, nil when the trace has every step.
    public var dropped: DroppedSteps?

    public init(path: String, source: SourceText, diagnoses: [Diagnosis], end: RunEnd, dropped: DroppedSteps? = nil) {
        self.path = path
        self.source = source
        self.diagnoses = diagnoses
        self.end = end
        self.dropped = dropped
    }

    public var errorCount: Int { diagnoses.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnoses.filter { $0.severity == .warning }.count }

    /// Clean, autograd errors, or incomplete: never clean for a run that stopped early.
    public var verdict: Verdict { Verdict(errorCount: errorCount, end: end) }

    /// `tapedeck explain`'s exit status, the verdict's: 0 clean, 1 autograd errors, 3 incomplete.
    /// (Unusable input, status 2, never gets this far.)
    public var exitStatus: Int32 { verdict.exitStatus }

    // MARK: Text

    /// Compiler-style diagnostics: location, the culprit line with a marker under it, PyTorch's
    /// message, the failing node and slot, the saved tensor's version timeline and the hint.
    ///
    /// Strings from the tape are not trusted: every `isTerminalUnsafe` character other than line
    /// breaks and tabs is shown escaped (`\u{1B}`) so a trace cannot drive the terminal.
    public func text() -> String {
        var blocks = diagnoses.map(text(of:))
        if let stop = stopText { blocks.append(stop) }
        if let window = droppedText { blocks.append(window) }
        blocks.append(summary)
        return Self.sanitized(blocks.joined(separator: "\n\n")) + "\n"
    }

    static func sanitized(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isTerminalUnsafe && scalar != "\n" && scalar != "\t" {
                output.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    private var summary: String {
        let errors = errorCount == 1 ? "1 error" : "\(errorCount) errors"
        let warnings = warningCount == 1 ? "1 warning" : "\(warningCount) warnings"
        switch verdict {
        case .clean where diagnoses.isEmpty: return "\(path): no autograd errors"
        case .clean, .autogradErrors: return "\(errors), \(warnings) generated."
        case .incomplete:
            if end.wasInterrupted, let error = end.exception {
                return "\(path): incomplete run, interrupted by the user at \(place(error.site)): no autograd errors before that point; "
                    + "no verdict is possible about the steps after it (\(warnings) generated)."
            }
            return "\(path): incomplete run: no autograd errors in the part that ran, nothing after it checked (\(warnings) generated)."
        }
    }

    /// What a step window left out, so a short trace never passes for the whole run.
    private var droppedText: String? {
        guard let dropped else { return nil }
        let errors = dropped.errors == 0 ? "none raised an exception" : "the \(dropped.errors) exception(s) they raised are kept above"
        return "\(path): note: the trace keeps only the last steps (recorded with --keep-steps): \(dropped.steps) earlier steps (\(dropped.events) events) were dropped; \(errors), but writes and warnings there are not shown"
    }

    /// Where and why the run stopped early, unless it completed or the exception that stopped it
    /// is an autograd error already diagnosed above.
    private var stopText: String? {
        guard let reason = end.reason, !end.stoppedByAutogradError else { return nil }
        var lines: [String]
        if let error = end.exception, end.wasInterrupted {
            lines = ["\(location(error.site)): note: the run was interrupted by the user here, incomplete: \(Self.described(error))"]
            lines += snippet(error.site)
            lines.append("  \(reason) at \(place(error.site)); the steps after it did not run, so no verdict about them is possible")
        } else if let error = end.exception {
            lines = ["\(location(error.site)): note: the run stopped here, incomplete: \(Self.described(error))"]
            lines += snippet(error.site)
            lines.append("  \(reason); later lines did not run, so autograd errors there are not diagnosed")
        } else {
            lines = ["\(path): note: the run is incomplete: \(reason); autograd errors after that point are not diagnosed"]
        }
        if let hint = end.hint { lines.append("  hint: \(hint)") }
        return lines.joined(separator: "\n")
    }

    private func text(of diagnosis: Diagnosis) -> String {
        let focus = diagnosis.culprit?.site ?? diagnosis.site
        var lines = ["\(location(focus)): \(diagnosis.severity.rawValue): \(diagnosis.kind.summary)"]
        lines += snippet(focus)
        if let type = diagnosis.errorType {
            var raisedAt = "raised at line \(diagnosis.site.line)"
            if let backward = diagnosis.backward { raisedAt += " in backward call #\(backward)" }
            lines.append("  \(type) (\(raisedAt)): \(diagnosis.message)")
        } else {
            lines.append("  note: \(diagnosis.message)")
        }
        if let node = diagnosis.node, let saved = diagnosis.saved {
            let role = diagnosis.severity == .error ? "failing node" : "saved by node"
            let created = node.op.map { op in ", created by op #\(op)" + (node.site.map { " at line \($0.line)" } ?? "") } ?? ""
            var tensor = "tensor t\(saved.tensor)"
            if let view = diagnosis.savedViewOf { tensor += ", a view of " + Self.label(view, diagnosis.savedViewOfName) }
            let name = diagnosis.savedName ?? "t\(saved.tensor)"
            if diagnosis.savedSlotUnrecorded {
                let which = saved.isOutput ? "output \(saved.outputNr)" : "an input"
                lines.append("  \(role): \(node.name) (sequence_nr \(node.sequenceNr)\(created)); the trace has none of its saved tensors (the recorder cannot read this node type's), so the stale one is the tensor of its op whose rebuilt message is PyTorch's: `\(name)` (\(tensor)), \(which) of \(node.op.map { "op #\($0)" } ?? "its op")")
            } else {
                lines.append("  \(role): \(node.name) (sequence_nr \(node.sequenceNr)\(created)), saved slot `\(saved.slot)` = `\(name)` (\(tensor))")
            }
        }
        if let culprit = diagnosis.culprit, let backward = culprit.backward {
            lines.append("  freed by: backward call #\(backward) at line \(culprit.site.line) (`\(culprit.text)`), which ran without retain_graph=True")
        }
        if let saved = diagnosis.saved, !diagnosis.bumps.isEmpty || diagnosis.droppedWritesTo != nil {
            lines += timeline(of: diagnosis, saved: saved)
        }
        lines.append("  hint: \(diagnosis.hint)")
        return lines.joined(separator: "\n")
    }

    /// `disc.weight (t6)` when the program named the tensor, else `t6`.
    private static func label(_ tensor: Int, _ name: String?) -> String {
        name.map { "`\($0)` (t\(tensor))" } ?? "t\(tensor)"
    }

    /// The saved tensor's versions from its save to the failing backward, culprit marked; for a
    /// silent mutation, the write that left the version unchanged.
    private func timeline(of diagnosis: Diagnosis, saved: SavedValue) -> [String] {
        let name = diagnosis.savedName ?? "t\(saved.tensor)"
        var savedLine = "    v\(saved.savedVersion)  saved"
        if let op = diagnosis.saveOp, let site = diagnosis.saveSite { savedLine += " by op #\(op) (\(describe(site)))" }
        guard diagnosis.kind.isError else {
            let writes = diagnosis.bumps.map { bump in
                let how = diagnosis.kind == .unbumpedWrite
                    ? "without a version bump"
                    : "through \(Self.label(bump.tensor, bump.tensorName)), whose own counter went to v\(bump.to)"
                return "    v\(saved.currentVersion)  written by op #\(bump.op) `\(bump.spelling)` (\(describe(bump.site))) \(how)  <- culprit"
            }
            return ["  version timeline of `\(name)` (unchanged by the write):", savedLine] + writes
        }
        var lines = ["  version timeline of `\(name)`:", savedLine]
        if let start = diagnosis.droppedWritesTo {
            lines.append("    v\(start)  bumped in the dropped steps (not in this trace)  <- culprit, not recorded")
        }
        for bump in diagnosis.bumps {
            var line = "    v\(bump.to)  bumped by op #\(bump.op) `\(bump.spelling)` (\(describe(bump.site)))"
            if bump.tensor != saved.tensor { line += " through \(Self.label(bump.tensor, bump.tensorName)), which shares its version counter" }
            if bump.isCulprit { line += "  <- culprit" }
            lines.append(line)
        }
        lines.append("    backward expected v\(saved.savedVersion) and found v\(saved.currentVersion)")
        return lines
    }

    private func location(_ site: CallSite) -> String {
        let file = site.file ?? path
        guard site.line > 0 else { return file }
        var column = site.column
        if column == 0, site.file == nil, let line = source.line(site.line) {
            column = (line.firstIndex { $0 != " " && $0 != "\t" }.map { line.distance(from: line.startIndex, to: $0) } ?? 0) + 1
        }
        return "\(file):\(site.line):\(max(column, 1))"
    }

    /// `FILE:LINE` of a site, as a user looks it up.
    private func place(_ site: CallSite) -> String {
        "\(site.file ?? path):\(site.line)"
    }

    /// An exception as python3's traceback ends: `TYPE: MESSAGE`, or the type alone when the message
    /// is empty (`KeyboardInterrupt`).
    private static func described(_ error: RaisedError) -> String {
        error.message.isEmpty ? error.type : "\(error.type): \(error.message)"
    }

    private func snippet(_ site: CallSite) -> [String] {
        guard site.file == nil, let line = source.line(site.line) else { return [] }
        let number = String(site.line)
        let gutter = String(repeating: " ", count: number.count)
        return ["  \(number) | \(line)", "  \(gutter) | \(source.marker(at: site))"]
    }

    private func describe(_ site: CallSite) -> String {
        var text = "line \(site.line)"
        if site.file == nil, let line = source.line(site.line) { text += ": \(trimmed(line))" }
        if let frame = site.frame { text += ", inside \(frame)" }
        return text
    }

    // MARK: JSON

    /// The report as one JSON object (docs/explain-json.md), keys in a fixed order.
    public func json() -> String {
        JSONValue.object([
            ("program", .string(path)),
            ("verdict", .string(verdict.name)),
            ("run", runJSON),
            ("errors", .int(errorCount)),
            ("warnings", .int(warningCount)),
            ("diagnoses", .array(diagnoses.map(json(of:)))),
            ("dropped", dropped.map { dropped in
                .object([
                    ("steps", .int(dropped.steps)),
                    ("events", .int(dropped.events)),
                    ("errors", .int(dropped.errors)),
                ])
            } ?? .null),
        ]).rendered() + "\n"
    }

    private var runJSON: JSONValue {
        .object([
            ("completed", .bool(end.isCompleted)),
            ("end", .string(end.name)),
            ("exit_code", end.exitCode.map(JSONValue.int) ?? .null),
            ("exception", end.exception.map { error in
                .object([
                    ("type", .string(error.type)),
                    ("message", .string(error.message)),
                    ("file", .string(error.site.file ?? path)),
                    ("line", .int(error.site.line)),
                    ("column", .int(error.site.column)),
                ])
            } ?? .null),
            ("reason", end.reason.map(JSONValue.string) ?? .null),
            ("hint", end.hint.map(JSONValue.string) ?? .null),
        ])
    }

    private func json(of diagnosis: Diagnosis) -> JSONValue {
        .object([
            ("kind", .string(diagnosis.kind.rawValue)),
            ("severity", .string(diagnosis.severity.rawValue)),
            ("error_type", diagnosis.errorType.map(JSONValue.string) ?? .null),
            ("message", .string(diagnosis.message)),
            ("line", .int(diagnosis.site.line)),
            ("column", .int(diagnosis.site.column)),
            ("backward", diagnosis.backward.map(JSONValue.int) ?? .null),
            ("node", diagnosis.node.map { node in
                .object([
                    ("id", .int(node.id)),
                    ("name", .string(node.name)),
                    ("sequence_nr", .unsigned(node.sequenceNr)),
                    ("op", node.op.map(JSONValue.int) ?? .null),
                    ("line", node.site.map { .int($0.line) } ?? .null),
                ])
            } ?? .null),
            ("saved", diagnosis.saved.map { saved in
                .object([
                    ("slot", diagnosis.savedSlotUnrecorded ? .null : .string(saved.slot)),
                    ("slot_recorded", .bool(!diagnosis.savedSlotUnrecorded)),
                    ("tensor", .int(saved.tensor)),
                    ("name", diagnosis.savedName.map(JSONValue.string) ?? .null),
                    ("view_of", diagnosis.savedViewOf.map(JSONValue.int) ?? .null),
                    ("view_of_name", diagnosis.savedViewOfName.map(JSONValue.string) ?? .null),
                    ("saved_version", .int(saved.savedVersion)),
                    ("current_version", .int(saved.currentVersion)),
                    ("is_output", .bool(saved.isOutput)),
                    ("output_nr", .int(saved.outputNr)),
                    ("status", .string(status(saved.status))),
                    ("op", diagnosis.saveOp.map(JSONValue.int) ?? .null),
                    ("line", diagnosis.saveSite.map { .int($0.line) } ?? .null),
                ])
            } ?? .null),
            ("culprit", diagnosis.culprit.map { culprit in
                .object([
                    ("line", .int(culprit.site.line)),
                    ("column", .int(culprit.site.column)),
                    ("end_column", .int(culprit.site.endColumn)),
                    ("op", culprit.op.map(JSONValue.int) ?? .null),
                    ("call", culprit.call.map(JSONValue.string) ?? .null),
                    ("name", culprit.name.map(JSONValue.string) ?? .null),
                    ("backward", culprit.backward.map(JSONValue.int) ?? .null),
                    ("text", .string(culprit.text)),
                ])
            } ?? .null),
            ("bumps", .array(diagnosis.bumps.map { bump in
                .object([
                    ("op", .int(bump.op)),
                    ("call", .string(bump.call)),
                    ("name", .string(bump.name)),
                    ("line", .int(bump.site.line)),
                    ("column", .int(bump.site.column)),
                    ("tensor", .int(bump.tensor)),
                    ("tensor_name", bump.tensorName.map(JSONValue.string) ?? .null),
                    ("from", .int(bump.from)),
                    ("to", .int(bump.to)),
                    ("culprit", .bool(bump.isCulprit)),
                ])
            })),
            ("replay_message", diagnosis.replayMessage.map(JSONValue.string) ?? .null),
            ("hint", .string(diagnosis.hint)),
        ])
    }

    private func status(_ status: SavedValue.Status) -> String {
        switch status {
        case .fresh: return "fresh"
        case .stale: return "stale"
        case .freed: return "freed"
        }
    }
}
