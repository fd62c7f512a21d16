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
        let changes = previous.map { next.diff(from: $0) } ?? next.diff(from: Buffer(width: 0, height: 0))
        var runs: [Run] = []
        var nextColumn = -1
        for change in changes {
            if change.cell.isContinuation {
                nextColumn = change.column + 1
                continue
            }
            if var last = runs.last, last.row == change.row, last.role == change.cell.role, nextColumn == change.column {
                last.text += change.cell.symbol
                runs[runs.count - 1] = last
            } else {
                runs.append(Run(column: change.column, row: change.row, text: change.cell.symbol, role: change.cell.role))
            }
            nextColumn = change.column + 1
        }
        return runs
    }
}
