/// Turns the cells that changed between two frames into as few terminal writes as possible:
/// runs of adjacent changed cells on one row with one role.
public enum Presenter {
    /// One write: `text` at (`column`, `row`) in `role`.
    public struct Run: Hashable, Sendable {
        public var column: Int
        public var row: Int
        public var text: String
        public var role: Role
    }

    /// The runs that bring a terminal showing `previous` (nil: unknown, repaint all) to `next`.
    public static func runs(from previous: Buffer?, to next: Buffer) -> [Run] {
        var runs: [Run] = []
        // The open run's text, as bytes: each cell's grapheme is appended without making a
        // `String` of it; the run's `String` is made once, when the next run opens.
        var text: [UInt8] = []
        var nextColumn = -1
        next.forEachChange(from: previous ?? Buffer(width: 0, height: 0)) { column, row, cell in
            if cell.isContinuation {
                nextColumn = column + 1
                return
            }
            if let last = runs.last, last.row == row, last.role == cell.role, nextColumn == column {
                cell.appendSymbol(to: &text)
            } else {
                close(&runs, text: &text)
                runs.append(Run(column: column, row: row, text: "", role: cell.role))
                cell.appendSymbol(to: &text)
            }
            nextColumn = column + 1
        }
        close(&runs, text: &text)
        return runs
    }

    /// Gives the last run its text and empties `text` for the next one.
    private static func close(_ runs: inout [Run], text: inout [UInt8]) {
        guard !runs.isEmpty else { return }
        runs[runs.count - 1].text = String(decoding: text, as: UTF8.self)
        text.removeAll(keepingCapacity: true)
    }
}
