/// The bottom line: position and mode on the left, the main keys on the right.
public struct StatusBar: Widget {
    public var left: String
    public var right: String

    public init(left: String, right: String) {
        self.left = left
        self.right = right
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        buffer.fill(area, role: .statusBar)
        let end = buffer.write(" " + left, column: area.x, row: area.y, limit: area.maxX, role: .statusBar)
        let room = area.maxX - end - 2
        guard room > 0 else { return }
        let hint = TextWidth.truncate(right, to: room, ellipsis: "")
        buffer.write(hint, column: area.maxX - TextWidth.of(hint) - 1, row: area.y, limit: area.maxX, role: .hint)
    }
}
