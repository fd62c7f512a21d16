/// Which line of its trace file each event of a loaded tape came from.
///
/// Event `n` is usually on line `n + 2` (line 1 is the header), but blank lines and lines of
/// kinds this build skips (the recorder's `sync`, newer kinds) shift the rest. Only the shifts
/// are stored, as `(first event, its line)` runs sorted by event, so the map costs nothing for a
/// trace without them; a lookup is a binary search.
struct TraceLines: Sendable, Equatable {
    /// Runs of consecutive lines: from `event` on, event `e` is on line `line + e - event`.
    private(set) var runs: [(event: Int, line: Int)] = []

    static func == (lhs: TraceLines, rhs: TraceLines) -> Bool {
        lhs.runs.elementsEqual(rhs.runs) { $0.event == $1.event && $0.line == $1.line }
    }

    /// Notes that `event` is on `line`, starting a new run unless it continues the last one.
    mutating func note(event: Int, line: Int) {
        if let last = runs.last, last.line + (event - last.event) == line { return }
        runs.append((event, line))
    }

    /// Appends `other`'s runs, its events and lines shifted by `events` and `lines`.
    mutating func append(_ other: TraceLines, events: Int, lines: Int) {
        for run in other.runs { note(event: run.event + events, line: run.line + lines) }
    }

    /// Approximate heap bytes held.
    var footprint: Int { runs.capacity * 16 }

    /// The 1-based file line of `event`; nil for a tape that was not read from a file.
    func line(of event: Int) -> Int? {
        let started = runs.lazy.map(\.event).countBefore(event + 1)
        guard started > 0 else { return nil }
        let run = runs[started - 1]
        return run.line + event - run.event
    }
}
