/// A bordered box with a title; the focused one shows `[Title]` and a highlighted border.
public struct Block: Widget {
    public var title: String
    public var focused: Bool
    public var glyphs: Glyphs

    public init(title: String, focused: Bool = false, glyphs: Glyphs) {
        self.title = title
        self.focused = focused
        self.glyphs = glyphs
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(1) }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width >= 2, area.height >= 2 else { return }
        let role: Role = focused ? .borderFocused : .border
        buffer.fill(area)
        let horizontal = Cell(glyphs.horizontal, role: role)
        let vertical = Cell(glyphs.vertical, role: role)
        for column in (area.x + 1)..<(area.maxX - 1) {
            buffer.put(horizontal, column: column, row: area.y)
            buffer.put(horizontal, column: column, row: area.maxY - 1)
        }
        buffer.put(glyphs.topLeft, column: area.x, row: area.y, role: role)
        buffer.put(glyphs.topRight, column: area.maxX - 1, row: area.y, role: role)
        buffer.put(glyphs.bottomLeft, column: area.x, row: area.maxY - 1, role: role)
        buffer.put(glyphs.bottomRight, column: area.maxX - 1, row: area.maxY - 1, role: role)
        for row in (area.y + 1)..<(area.maxY - 1) {
            buffer.put(vertical, column: area.x, row: row)
            buffer.put(vertical, column: area.maxX - 1, row: row)
        }
        let label = focused ? "[\(title)]" : " \(title) "
        let text = TextWidth.truncate(label, to: area.width - 4, ellipsis: glyphs.ellipsis)
        buffer.write(text, column: area.x + 2, row: area.y, limit: area.maxX - 2, role: focused ? .titleFocused : .title)
    }
}
