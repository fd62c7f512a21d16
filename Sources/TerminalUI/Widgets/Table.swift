/// A table with a heading row and lazily built, fixed-width columns.
public struct Table: Widget {
    public struct Column: Hashable, Sendable {
        public var title: String
        /// Columns; the last column takes whatever is left.
        public var width: Int
        public var rightAligned: Bool

        public init(_ title: String, width: Int, rightAligned: Bool = false) {
            self.title = title
            self.width = width
            self.rightAligned = rightAligned
        }
    }

    public var columns: [Column]
    public var count: Int
    public var selected: Int?
    public var glyphs: Glyphs
    /// The cells of one row, one span per column.
    public var row: (Int) -> [Span]
    /// A role for a whole row (a stale saved tensor), or nil.
    public var rowRole: (Int) -> Role?

    public init(
        columns: [Column], count: Int, selected: Int?, glyphs: Glyphs,
        row: @escaping (Int) -> [Span], rowRole: @escaping (Int) -> Role? = { _ in nil }
    ) {
        self.columns = columns
        self.count = count
        self.selected = selected
        self.glyphs = glyphs
        self.row = row
        self.rowRole = rowRole
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.height > 0 else { return }
        let (header, body) = area.splitTop(1)
        buffer.write(layout(columns.map { Span($0.title, .heading) }, width: area.width), column: header.x, row: header.y, limit: header.maxX)
        let list = ListView(count: count, selected: selected) { index in
            layout(row(index), width: area.width, background: rowRole(index))
        }
        list.render(into: &buffer, area: body)
    }

    private func layout(_ cells: [Span], width: Int, background: Role? = nil) -> Line {
        var line = Line(background: background)
        var used = 0
        for (index, column) in columns.enumerated() {
            let span = index < cells.count ? cells[index] : Span("")
            let isLast = index == columns.count - 1
            let room = isLast ? max(0, width - used) : min(column.width, max(0, width - used))
            let text = column.rightAligned
                ? TextWidth.padLeft(TextWidth.truncate(span.text, to: room, ellipsis: glyphs.ellipsis), to: room)
                : TextWidth.pad(span.text, to: room, ellipsis: glyphs.ellipsis)
            line.append(text, span.role)
            used += room
            if !isLast, used < width {
                line.append(" ")
                used += 1
            }
        }
        return line
    }
}
