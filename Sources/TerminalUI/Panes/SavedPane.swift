import Debugger

/// Every tensor saved for backward so far, with its saved and current version; stale ones stand out.
struct SavedPane: Widget {
    let state: DebuggerState

    static let columns = [
        Table.Column("node", width: 12), Table.Column("slot", width: 5), Table.Column("tensor", width: 6),
        Table.Column("saved", width: 5, rightAligned: true), Table.Column("now", width: 3, rightAligned: true),
        Table.Column("status", width: 0),
    ]

    /// The status column: `ok`, `✗ stale`, or `freed`.
    static func status(_ saved: SavedValue, glyphs: Glyphs) -> Span {
        switch saved.status {
        case .fresh: Span("ok", .ok)
        case .stale: Span("\(glyphs.culprit) stale", .stale)
        case .freed(let backward): Span("freed by backward #\(backward)", .dim)
        }
    }

    func render(into buffer: inout Buffer, area: Rect) {
        let debugger = state.debugger
        let position = state.position
        let count = debugger.savedCount(at: position)
        let block = Block(title: "\(Pane.saved.rawValue) \(count)", focused: state.focus == .saved, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let glyphs = state.glyphs
        let selected = state.row(.saved, count: count)
        let saved = { (row: Int) in debugger.savedValues(at: position, in: row..<(row + 1)).first }
        Table(
            columns: SavedPane.columns, count: count, selected: state.focus == .saved ? selected : nil, glyphs: glyphs,
            row: { row in
                guard let value = saved(row) else { return [] }
                return [
                    Span(TapePane.displayName(debugger.node(value.node).name)), Span(Sanitizer.line(value.slot)),
                    Span(state.label(value.tensor, at: position)), Span("v\(value.savedVersion)"),
                    Span("v\(value.currentVersion)"), SavedPane.status(value, glyphs: glyphs),
                ]
            },
            rowRole: { row in saved(row)?.status == .stale ? .stale : nil }
        ).render(into: &buffer, area: block.inner(area))
    }
}
