/// An in-memory grid of cells that every widget draws into (ratatui's `Buffer`).
///
/// Nothing but the backend touches the terminal: a frame is rendered into a buffer, compared
/// with the previous one, and only the changed cells are written. Tests assert on `lines` and
/// `roleMask` of a rendered buffer instead of on a terminal.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(column: Int, row: Int) -> Cell {
        cells[row * width + column]
    }

    /// Blanks `rect` with `role`.
    public mutating func fill(_ rect: Rect, role: Role = .normal) {
        let clipped = clip(rect)
        guard clipped.width > 0, clipped.height > 0 else { return }
        let blank = Cell(ascii: UInt8(ascii: " "), role: role)
        let width = width
        cells.withUnsafeMutableBufferPointer { cells in
            for row in clipped.y..<clipped.maxY {
                let start = row * width + clipped.x
                UnsafeMutableBufferPointer(rebasing: cells[start..<start + clipped.width]).update(repeating: blank)
            }
        }
    }

    /// Puts one grapheme at (`column`, `row`) if it is inside the buffer.
    public mutating func put(_ symbol: String, column: Int, row: Int, role: Role) {
        put(Cell(symbol, role: role), column: column, row: row)
    }

    /// Puts `cell` at (`column`, `row`) if it is inside the buffer: for a grapheme drawn many
    /// times (a border), made into a cell once.
    public mutating func put(_ cell: Cell, column: Int, row: Int) {
        guard column >= 0, column < width, row >= 0, row < height else { return }
        cells[row * width + column] = cell
    }

    /// Writes `text` from (`column`, `row`), clipped at `limit` (exclusive); returns the column after it.
    ///
    /// Characters without width (controls, lone combining marks) are dropped; a wide grapheme
    /// that does not fit whole is replaced by a space.
    @discardableResult
    public mutating func write(_ text: String, column: Int, row: Int, limit: Int? = nil, role: Role) -> Int {
        guard row >= 0, row < height else { return column }
        let end = min(limit ?? width, width)
        var x = column
        Graphemes.forEach(in: text) { grapheme, _ in
            guard x < end else { return false }
            switch grapheme {
            case .ascii(let byte) where TextWidth.of(ascii: byte) == 1:
                if x >= 0 { cells[row * width + x] = Cell(ascii: byte, role: role) }
                x += 1
            case .ascii:
                break
            case .other(let character, _):
                x = put(character, column: x, row: row, end: end, role: role)
            }
            return true
        }
        return x
    }

    /// Puts one grapheme at (`column`, `row`) as `write` does; returns the column after it.
    private mutating func put(_ character: Character, column x: Int, row: Int, end: Int, role: Role) -> Int {
        let columns = TextWidth.of(character)
        if columns == 0 || x < 0 {
            return x + columns
        }
        if x + columns > end {
            cells[row * width + x] = Cell(ascii: UInt8(ascii: " "), role: role)
            return x + 1
        }
        cells[row * width + x] = Cell(String(character), role: role)
        if columns == 2 {
            cells[row * width + x + 1] = Cell("", role: role)
        }
        return x + columns
    }

    /// Writes a styled line from (`column`, `row`) clipped at `limit`; paints its background first.
    @discardableResult
    public mutating func write(_ line: Line, column: Int, row: Int, limit: Int) -> Int {
        if let background = line.background {
            fill(Rect(x: column, y: row, width: limit - column, height: 1), role: background)
        }
        var x = column
        for span in line.spans {
            let role = line.background.map { span.role == .normal ? $0 : span.role } ?? span.role
            x = write(span.text, column: x, row: row, limit: limit, role: role)
        }
        return x
    }

    /// The text of each row, trailing spaces removed (the same as a `tmux capture-pane`).
    public var lines: [String] {
        (0..<height).map { row in
            var text = ""
            for column in 0..<width {
                text += cells[row * width + column].symbol
            }
            while text.last == " " {
                text.removeLast()
            }
            return text
        }
    }

    /// One letter per cell naming its role (`Role.rawValue`), for asserting attributes headlessly.
    public var roleMask: [String] {
        (0..<height).map { row in
            String((0..<width).map { cells[row * width + $0].role.rawValue })
        }
    }

    /// The cells that differ from `previous`, in row-major order; everything when the sizes differ.
    public func diff(from previous: Buffer) -> [CellChange] {
        var changes: [CellChange] = []
        forEachChange(from: previous) { column, row, cell in
            changes.append(CellChange(column: column, row: row, cell: cell))
        }
        return changes
    }

    /// Calls `body` with the column, row and cell of each cell that differs from `previous`, in
    /// row-major order (every cell when the sizes differ), without collecting them.
    func forEachChange(from previous: Buffer, _ body: (_ column: Int, _ row: Int, _ cell: Cell) -> Void) {
        let sameSize = previous.width == width && previous.height == height
        var index = 0
        for row in 0..<height {
            for column in 0..<width {
                if !sameSize || cells[index] != previous.cells[index] { body(column, row, cells[index]) }
                index += 1
            }
        }
    }

    private func clip(_ rect: Rect) -> Rect {
        let x = max(0, rect.x)
        let y = max(0, rect.y)
        return Rect(x: x, y: y, width: min(rect.maxX, width) - x, height: min(rect.maxY, height) - y)
    }
}

/// A cell that changed between two frames.
public struct CellChange: Hashable, Sendable {
    public var column: Int
    public var row: Int
    public var cell: Cell
}
