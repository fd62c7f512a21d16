import Debugger
import Tape

/// What the program printed and raised up to the cursor, then the diagnosis of every failure
/// already reached: PyTorch's message, the culprit line, the saved tensor's version timeline, the hint.
struct ConsolePane: Widget {
    let state: DebuggerState

    /// How many `print` and `error` events are read back from the cursor.
    static let outputLimit = 200

    /// The console's last `count` lines (all of them when it has fewer): the output and errors
    /// from the newest back, then the failures. The pane shows only its last screenful, and each
    /// line takes at least one row, so it sanitizes and wraps only what it shows, not every
    /// line of the last `outputLimit` events on every keystroke. Consecutive prints run on as a
    /// terminal shows them (`print(x, end="")` and the next print share a line); an error starts a
    /// line of its own.
    func lines(last count: Int) -> [Line] {
        var failures: [Line] = []
        for failure in state.revealed {
            failures += lines(for: failure)
        }
        guard failures.count < count else { return Array(failures.suffix(count)) }
        var output: [Line] = []
        var printed: [String] = []
        var newlines = 0
        /// The lines of the prints gathered (newest first), joined as written, added newest first.
        func flush() {
            guard !printed.isEmpty else { return }
            var parts = Sanitizer.lines(printed.reversed().joined())
            if parts.last == "" {
                parts.removeLast()
            }
            output += parts.reversed().map { Line($0) }
            printed = []
            newlines = 0
        }
        for event in state.debugger.console(before: state.outputEnd, limit: ConsolePane.outputLimit).reversed() {
            switch event {
            case .output(let text):
                printed.append(text)
                newlines += text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            case .error(let error):
                flush()
                output.append(Line(Sanitizer.line("\(error.type): \(error.message)"), .error))
            default:
                break
            }
            // Past the first of the prints' newlines every line is whole, wherever it began.
            if output.count + max(0, newlines - 1) + failures.count >= count { break }
        }
        flush()
        return Array((output.reversed() + failures).suffix(count))
    }

    private func lines(for failure: Failure) -> [Line] {
        let glyphs = state.glyphs
        let diagnosis = failure.diagnosis
        var lines = [Line(Sanitizer.line("\(glyphs.culprit) \(failure.headline)"), .error)]
        if let culprit = diagnosis.culprit {
            let place = culprit.site.file.map { "\(Sanitizer.line($0)):\(culprit.site.line)" } ?? "line \(culprit.site.line)"
            let inside = culprit.site.frame.map { " (inside \(Sanitizer.line($0)))" } ?? ""
            lines.append(Line([Span("culprit: ", .heading), Span("\(place)\(inside)  \(Sanitizer.line(culprit.text.trimmingLeadingSpaces))", .culprit)]))
        }
        if let node = diagnosis.node, let saved = diagnosis.saved {
            let name = diagnosis.savedName.map { "t\(saved.tensor) \($0)" } ?? "t\(saved.tensor)"
            let at = diagnosis.saveSite.map { " at line \($0.line)" } ?? ""
            lines.append(timeline("\(Sanitizer.line(name)) saved@v\(saved.savedVersion) by \(TapePane.displayName(node.name)).\(Self.slot(of: diagnosis, saved))\(at)"))
        }
        for bump in diagnosis.bumps {
            let call = Sanitizer.line(bump.spelling)
            let text = "t\(bump.tensor) v\(bump.from)\(glyphs.arrow)v\(bump.to) by op \(bump.op) \(call) at line \(bump.site.line)"
            lines.append(bump.isCulprit ? Line([Span("  \(glyphs.arrow) ", .dim), Span(text, .culprit), Span(" \(glyphs.culprit) culprit", .culprit)]) : timeline(text))
        }
        if let node = diagnosis.node, let saved = diagnosis.saved {
            let unpacks = "backward: \(TapePane.displayName(node.name)) unpacks \(Self.slot(of: diagnosis, saved))"
            switch saved.status {
            case .stale: lines.append(timeline("\(unpacks) expecting v\(saved.savedVersion), finds v\(saved.currentVersion)"))
            case .freed(let backward): lines.append(timeline("\(unpacks), freed by backward #\(backward)"))
            case .fresh: break
            }
        }
        if !diagnosis.hint.isEmpty {
            lines.append(Line([Span("hint: ", .heading), Span(Sanitizer.line(diagnosis.hint))]))
        }
        return lines
    }

    /// The saved slot's name, or `(slot not recorded)` when the trace has none of the failing
    /// node's saves and blame found the tensor by PyTorch's message.
    private static func slot(of diagnosis: Diagnosis, _ saved: SavedValue) -> String {
        diagnosis.savedSlotUnrecorded ? "(slot not recorded)" : Sanitizer.line(saved.slot)
    }

    private func timeline(_ text: String) -> Line {
        Line([Span("  \(state.glyphs.arrow) ", .dim), Span(text)])
    }

    func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: Pane.console.rawValue, focused: state.focus == .console, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let inner = block.inner(area)
        let scroll = state.rows[.console] ?? 0
        Paragraph(lines: lines(last: inner.height + scroll), anchor: .bottom, scroll: scroll).render(into: &buffer, area: inner)
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
