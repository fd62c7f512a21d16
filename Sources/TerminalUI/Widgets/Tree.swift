/// A tree drawn as indented rows with branch guides (`├─`, `└─`, `│`).
public struct Tree: Widget {
    /// One visible row: its line and, for each level above it, whether that level has more siblings below.
    public struct Row: Hashable, Sendable {
        public var line: Line
        /// One entry per ancestor level (outermost first): true when that ancestor is its parent's last child.
        public var ancestorsAreLast: [Bool]
        /// Whether this row is its parent's last child; ignored for the root.
        public var isLast: Bool
        /// Whether the row hangs under the previous node row without a branch (a detail such as a saved
        /// slot); its `ancestorsAreLast` ends with its node's, and `isLast` says the node has no children.
        public var isDetail: Bool

        public init(line: Line, ancestorsAreLast: [Bool], isLast: Bool, isDetail: Bool = false) {
            self.line = line
            self.ancestorsAreLast = ancestorsAreLast
            self.isLast = isLast
            self.isDetail = isDetail
        }
    }

    public var rows: [Row]
    public var selected: Int?
    public var glyphs: Glyphs

    public init(rows: [Row], selected: Int? = nil, glyphs: Glyphs) {
        self.rows = rows
        self.selected = selected
        self.glyphs = glyphs
    }

    /// The guide text in front of a row.
    public func prefix(of row: Row) -> String {
        var prefix = ""
        for (level, isLast) in row.ancestorsAreLast.enumerated() where level > 0 {
            prefix += isLast ? "   " : glyphs.guide
        }
        if row.isDetail {
            return prefix + (row.isLast ? "   " : glyphs.guide)
        }
        if !row.ancestorsAreLast.isEmpty {
            prefix += row.isLast ? glyphs.lastBranch : glyphs.branch
        }
        return prefix
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let list = ListView(count: rows.count, selected: selected) { index in
            let row = rows[index]
            return Line([Span(prefix(of: row), .dim)] + row.line.spans, background: row.line.background)
        }
        list.render(into: &buffer, area: area)
    }
}
