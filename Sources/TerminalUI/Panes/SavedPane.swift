import Tape

/// Every tensor saved for backward so far, with its saved and current version; stale ones stand out.
struct SavedPane: Widget {
    let state: DebuggerState

    static let columns = [
        Table.Column("node", width: 12), Table.Column("slot", width: 5), Table.Column("tensor", width: 6),
        Table.Column("saved", width: 5, rightAligned: true), Table.Column("now", width: 3, rightAligned: true),
        Table.Column("status", width: 0),
    ]

    /// How a saved slot stands at an event.
    enum Status {
        case ok, stale, freed
    }

    static func status(of slot: SavedSlot, in timeline: Timeline, at event: Int) -> (status: Status, now: Int) {
        let now = timeline.version(tensor: slot.tensor, at: event)
        if timeline.isReleased(slot.node, at: event) {
            return (.freed, now)
        }
        return (now == slot.savedVersion ? .ok : .stale, now)
    }

    func render(into buffer: inout Buffer, area: Rect) {
        let timeline = state.timeline
        let event = state.event
        let count = timeline.savedCount(at: event)
        let block = Block(title: "\(Pane.saved.rawValue) \(count)", focused: state.focus == .saved, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let glyphs = state.glyphs
        let selected = state.row(.saved, count: count)
        Table(
            columns: SavedPane.columns, count: count, selected: state.focus == .saved ? selected : nil, glyphs: glyphs,
            row: { index in
                guard let saved = timeline.savedSlot(index) else { return [] }
                let slot = saved.slot
                let (status, now) = SavedPane.status(of: slot, in: timeline, at: event)
                let node = timeline.node(slot.node).map { "\(TapePane.displayName($0.name))" } ?? "?"
                let statusText: Span
                switch status {
                case .ok: statusText = Span("ok", .ok)
                case .stale: statusText = Span("\(glyphs.culprit) stale", .stale)
                case .freed: statusText = Span("freed", .dim)
                }
                return [
                    Span(node), Span(Sanitizer.line(slot.slot)), Span(timeline.label(slot.tensor, at: event)),
                    Span("v\(slot.savedVersion)"), Span("v\(now)"), statusText,
                ]
            },
            rowRole: { index in
                guard let saved = timeline.savedSlot(index) else { return nil }
                return SavedPane.status(of: saved.slot, in: timeline, at: event).status == .stale ? .stale : nil
            }
        ).render(into: &buffer, area: block.inner(area))
    }
}
