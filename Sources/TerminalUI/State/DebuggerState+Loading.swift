import Debugger

/// A trace opened progressively: the first screen shows the first events while the rest of the
/// file loads in the background (`TraceOpening`); the status line says so, and the loaded state
/// then takes over with the view the user has moved to kept.
extension DebuggerState {
    /// `loading 12,345 events…` while the tape is still loading, in place of the run's verdict:
    /// a tape still loading has none yet.
    var loadingText: String? {
        loading.map { "loading \(Self.grouped($0)) events\(glyphs.ellipsis)" }
    }

    /// Notes how many events have been read so far.
    public mutating func noteLoading(events: Int) {
        loading = events
    }

    /// Takes over `complete`, the state over the whole tape, keeping what the user did while it
    /// loaded: the selected step (clamped to the tape), focus, pane rows, layout and mode. A
    /// search is run again over the whole tape, as its matches were the partial tape's.
    public mutating func finishLoading(with complete: DebuggerState) {
        var next = complete
        next.glyphs = glyphs
        next.cursor = min(cursor, max(complete.stepCount - 1, 0))
        next.focus = focus
        next.mode = mode
        next.rows = rows
        next.zoomed = zoomed
        next.leftPercent = leftPercent
        next.topPercent = topPercent
        next.screen = screen
        next.message = message
        next.isFinished = isFinished
        next.search = search.map { ($0.query, complete.searchTable.matches(for: $0.query)) }
        next.loading = nil
        next.reach()
        self = next
    }

    /// `1234567` as `1,234,567`.
    private static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
