/// The program's source: `▶` marks the selected step's line, `✗` the culprit once the replay has reached its failure.
struct SourcePane: Widget {
    let state: DebuggerState

    func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: Pane.source.rawValue, focused: state.focus == .source, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let lines = state.debugger.source.lines
        let current = state.step?.line ?? 0
        let culprits = Set(state.revealed.compactMap(\.culpritLine))
        let digits = String(lines.count).count
        let glyphs = state.glyphs
        let inner = block.inner(area)
        let first = ListView.offset(count: lines.count, selected: max(0, current - 1), height: inner.height)
        for index in first..<min(lines.count, first + inner.height) {
            let number = index + 1
            let isCurrent = number == current
            let isCulprit = culprits.contains(number)
            var line = Line(background: isCulprit ? .culprit : (isCurrent ? .currentLine : nil))
            line.append(isCurrent ? glyphs.current : " ", isCurrent ? .currentLine : .normal)
            line.append(isCulprit ? glyphs.culprit : " ", isCulprit ? .culprit : .normal)
            line.append(TextWidth.padLeft(String(number), to: digits) + " ", .dim)
            line.append(Sanitizer.line(lines[index]))
            buffer.write(line, column: inner.x, row: inner.y + index - first, limit: inner.maxX)
        }
    }
}
