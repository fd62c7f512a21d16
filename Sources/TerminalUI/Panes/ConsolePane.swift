import Tape

/// What the program printed and raised up to the cursor, then the diagnosis of every failure
/// already reached: PyTorch's message, the culprit, the version timeline and the fix hint.
struct ConsolePane: Widget {
    let state: DebuggerState

    /// How many output events are read back from the cursor.
    static let outputLimit = 200

    func lines() -> [Line] {
        let timeline = state.timeline
        var lines: [Line] = []
        for text in timeline.outputs(upTo: state.event, limit: ConsolePane.outputLimit) {
            var parts = Sanitizer.lines(text)
            if parts.last == "" {
                parts.removeLast()
            }
            lines += parts.map { Line($0) }
        }
        let glyphs = state.glyphs
        for diagnosis in state.revealed {
            lines.append(Line(Sanitizer.line("\(glyphs.culprit) \(diagnosis.message)"), .error))
            if let line = diagnosis.culpritLine, line > 0 {
                let text = line <= timeline.source.count ? timeline.source[line - 1].trimmingLeadingSpaces : ""
                lines.append(Line([Span("culprit: ", .heading), Span("line \(line)  \(text)", .culprit)]))
            }
            for link in diagnosis.chain {
                lines.append(Line([Span("  \(glyphs.arrow) ", .dim), Span(Sanitizer.line(link))]))
            }
            if let hint = diagnosis.hint {
                lines.append(Line([Span("hint: ", .heading), Span(Sanitizer.line(hint))]))
            }
        }
        return lines
    }

    func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: Pane.console.rawValue, focused: state.focus == .console, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        Paragraph(lines: lines(), anchor: .bottom, scroll: state.rows[.console] ?? 0).render(into: &buffer, area: block.inner(area))
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
