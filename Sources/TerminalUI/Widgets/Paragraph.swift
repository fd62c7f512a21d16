/// Styled lines wrapped to the area's width, showing either the first or the last screenful.
public struct Paragraph: Widget {
    public enum Anchor: Sendable {
        case top, bottom
    }

    public var lines: [Line]
    public var anchor: Anchor
    /// Rows to scroll back from the anchor.
    public var scroll: Int

    public init(lines: [Line], anchor: Anchor = .top, scroll: Int = 0) {
        self.lines = lines
        self.anchor = anchor
        self.scroll = scroll
    }

    /// Wraps one line to `width` columns, breaking after a space when a word would not fit.
    public static func wrap(_ line: Line, width: Int) -> [Line] {
        guard width > 0 else { return [] }
        if line.width <= width {
            return [line]
        }
        var result: [Line] = []
        var current: [(Character, Role)] = []
        var used = 0
        var lastSpace: Int?
        func flush(_ pieces: ArraySlice<(Character, Role)>) {
            var wrapped = Line(background: line.background)
            for (character, role) in pieces {
                if let last = wrapped.spans.last, last.role == role {
                    wrapped.spans[wrapped.spans.count - 1].text.append(character)
                } else {
                    wrapped.spans.append(Span(String(character), role))
                }
            }
            result.append(wrapped)
        }
        for span in line.spans {
            for character in span.text {
                let columns = TextWidth.of(character)
                if used + columns > width, !current.isEmpty {
                    if let space = lastSpace, space + 1 < current.count {
                        flush(current[..<(space + 1)])
                        current = Array(current[(space + 1)...])
                    } else {
                        flush(current[...])
                        current = []
                    }
                    used = current.reduce(0) { $0 + TextWidth.of($1.0) }
                    lastSpace = current.lastIndex { $0.0 == " " }
                }
                current.append((character, span.role))
                used += columns
                if character == " " {
                    lastSpace = current.count - 1
                }
            }
        }
        if !current.isEmpty {
            flush(current[...])
        }
        return result
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let rows = lines.flatMap { Paragraph.wrap($0, width: area.width) }
        let first: Int
        switch anchor {
        case .top:
            first = min(scroll, max(0, rows.count - 1))
        case .bottom:
            first = max(0, rows.count - area.height - scroll)
        }
        for (offset, line) in rows.dropFirst(first).prefix(area.height).enumerated() {
            buffer.write(line, column: area.x, row: area.y + offset, limit: area.maxX)
        }
    }
}
