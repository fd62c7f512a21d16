/// A scrolling list that builds only its visible rows and keeps the selection in view.
///
/// The list holds no scroll state: the window is centred on the selection (clamped at both ends),
/// so the same state always renders the same frame, and a million-row list costs one screenful.
public struct ListView: Widget {
    public var count: Int
    public var selected: Int?
    public var row: (Int) -> Line

    public init(count: Int, selected: Int?, row: @escaping (Int) -> Line) {
        self.count = count
        self.selected = selected
        self.row = row
    }

    /// The first visible row for a list of `count` rows, `height` high, centred on `selected`.
    public static func offset(count: Int, selected: Int?, height: Int) -> Int {
        guard let selected, count > height, height > 0 else { return 0 }
        return min(max(0, selected - height / 2), count - height)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let first = ListView.offset(count: count, selected: selected, height: area.height)
        for index in first..<min(count, first + area.height) {
            var line = row(index)
            if index == selected {
                line.background = .selection
            }
            buffer.write(line, column: area.x, row: area.y + index - first, limit: area.maxX)
        }
    }
}
