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
    ///
    /// Works on the graphemes' byte ranges (`Graphemes`: ASCII a byte at a time, as `Buffer.write` draws it),
    /// and cuts each row's text out of its spans whole: a character at a time, wrapping the
    /// Console's long lines (PyTorch's message, the hint) was a tenth of a frame's instructions.
    public static func wrap(_ line: Line, width: Int) -> [Line] {
        guard width > 0 else { return [] }
        if line.width <= width {
            return [line]
        }
        let graphemes = Grapheme.all(of: line)
        var result: [Line] = []
        var start = 0
        var used = 0
        var lastSpace: Int?
        for index in graphemes.indices {
            let columns = Int(graphemes[index].columns)
            if used + columns > width, index > start {
                let end = lastSpace.map { $0 + 1 < index ? $0 + 1 : index } ?? index
                result.append(Grapheme.row(graphemes[start..<end], of: line))
                start = end
                used = graphemes[start..<index].reduce(0) { $0 + Int($1.columns) }
                // What is carried to the next row follows the last space, so holds none.
                lastSpace = nil
            }
            used += columns
            if graphemes[index].isSpace {
                lastSpace = index
            }
        }
        if start < graphemes.count {
            result.append(Grapheme.row(graphemes[start...], of: line))
        }
        return result
    }

    /// One grapheme of a line being wrapped: where its bytes are in which span, and its columns.
    private struct Grapheme {
        var span: Int32
        var start: Int32
        var end: Int32
        var columns: Int8
        var isSpace: Bool

        /// The graphemes of every span of `line`, in order.
        static func all(of line: Line) -> [Grapheme] {
            var graphemes: [Grapheme] = []
            for (number, span) in line.spans.enumerated() {
                Graphemes.forEach(in: span.text) { grapheme, offset in
                    graphemes.append(Grapheme(
                        span: Int32(number), start: Int32(offset), end: Int32(offset + grapheme.bytes),
                        columns: Int8(grapheme.columns), isSpace: grapheme.isSpace))
                    return true
                }
            }
            return graphemes
        }

        /// The row of `graphemes`: each run of one span's bytes cut out whole, neighbours of one
        /// role merged into one span.
        static func row(_ graphemes: ArraySlice<Grapheme>, of line: Line) -> Line {
            var row = Line(background: line.background)
            var index = graphemes.startIndex
            while index < graphemes.endIndex {
                let span = Int(graphemes[index].span)
                var last = index
                while last + 1 < graphemes.endIndex, Int(graphemes[last + 1].span) == span {
                    last += 1
                }
                let utf8 = line.spans[span].text.utf8
                let from = utf8.index(utf8.startIndex, offsetBy: Int(graphemes[index].start))
                let to = utf8.index(from, offsetBy: Int(graphemes[last].end - graphemes[index].start))
                let piece = String(Substring(utf8[from..<to]))
                let role = line.spans[span].role
                if let previous = row.spans.last, previous.role == role {
                    row.spans[row.spans.count - 1].text += piece
                } else {
                    row.spans.append(Span(piece, role))
                }
                index = last + 1
            }
            return row
        }
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
