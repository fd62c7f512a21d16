/// The bottom line: position and mode on the left, as many key hints as fit on the right.
public struct StatusBar: Widget {
    public var left: String
    /// Key hints, most useful first; the last two (help and quit) are kept whenever anything fits.
    public var hints: [String]

    public init(left: String, hints: [String]) {
        self.left = left
        self.hints = hints
    }

    /// The hints that fit in `room` columns, whole, joined by two spaces.
    public func fitting(_ room: Int) -> String {
        let kept = Array(hints.suffix(2))
        var used = TextWidth.of(kept.joined(separator: "  "))
        guard used <= room else { return "" }
        var chosen: [String] = []
        for hint in hints.dropLast(2) where used + 2 + TextWidth.of(hint) <= room {
            chosen.append(hint)
            used += 2 + TextWidth.of(hint)
        }
        return (chosen + kept).joined(separator: "  ")
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        buffer.fill(area, role: .statusBar)
        let end = buffer.write(" " + left, column: area.x, row: area.y, limit: area.maxX, role: .statusBar)
        let hint = fitting(area.maxX - end - 3)
        guard !hint.isEmpty else { return }
        buffer.write(hint, column: area.maxX - TextWidth.of(hint) - 1, row: area.y, limit: area.maxX, role: .hint)
    }
}
