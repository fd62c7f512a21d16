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
        var nextColumn = -1
        next.forEachChange(from: previous ?? Buffer(width: 0, height: 0)) { column, row, cell in
            if cell.isContinuation {
                nextColumn = column + 1
                return
            }
            if let last = runs.last, last.row == row, last.role == cell.role, nextColumn == column {
                // Appended in place: a copy of the last run would share its text, and appending
                // to the copy would copy the whole text at every cell.
                runs[runs.count - 1].text += cell.symbol
            } else {
                runs.append(Run(column: column, row: row, text: cell.symbol, role: cell.role))
            }
            nextColumn = column + 1
        }
        return runs
    }
}
