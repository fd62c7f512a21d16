/// The one-line input for `/` search and `:` go-to, with a visible cursor cell.
public struct Prompt: Widget {
    public var label: String
    public var text: String

    public init(label: String, text: String) {
        self.label = label
        self.text = text
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        buffer.fill(area, role: .prompt)
        let end = buffer.write(label + Sanitizer.line(text), column: area.x, row: area.y, limit: area.maxX, role: .prompt)
        buffer.put(" ", column: end, row: area.y, role: .selection)
    }
}
