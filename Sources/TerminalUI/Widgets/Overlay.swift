/// A titled box drawn over the panes (help, details), showing its lines from `scroll`.
public struct Overlay: Widget {
    public var title: String
    public var lines: [Line]
    public var scroll: Int
    public var glyphs: Glyphs

    public init(title: String, lines: [Line], scroll: Int = 0, glyphs: Glyphs) {
        self.title = title
        self.lines = lines
        self.scroll = scroll
        self.glyphs = glyphs
    }

    /// The box's area inside `screen`: wide enough for the longest line, at most the screen minus a margin.
    public func frame(in screen: Rect) -> Rect {
        let widest = lines.map(\.width).max() ?? 0
        return screen.centered(width: min(screen.width - 4, max(widest + 4, 40)), height: min(screen.height - 2, lines.count + 2))
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: title, focused: true, glyphs: glyphs)
        block.render(into: &buffer, area: area)
        let inner = block.inner(area)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        Paragraph(lines: lines, scroll: scroll).render(into: &buffer, area: content)
    }
}
