/// A full-width message (PyTorch's error where the replay stopped), wrapped to a few rows.
public struct Banner: Widget {
    public var text: String
    public var glyphs: Glyphs

    public init(text: String, glyphs: Glyphs) {
        self.text = text
        self.glyphs = glyphs
    }

    /// The rows the banner needs at `width`, at most `limit`.
    public func height(width: Int, limit: Int) -> Int {
        min(limit, Paragraph.wrap(line, width: width).count)
    }

    private var line: Line { Line(" \(glyphs.culprit) \(text)", .banner) }

    public func render(into buffer: inout Buffer, area: Rect) {
        buffer.fill(area, role: .banner)
        var rows = Paragraph.wrap(line, width: area.width)
        if rows.count > area.height, area.height > 0 {
            rows = Array(rows.prefix(area.height))
            let last = TextWidth.truncate(rows[rows.count - 1].text, to: area.width - TextWidth.of(glyphs.ellipsis), ellipsis: "")
            rows[rows.count - 1] = Line(last + glyphs.ellipsis, .banner)
        }
        Paragraph(lines: rows).render(into: &buffer, area: area)
    }
}
