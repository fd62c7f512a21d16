/// The grad_fn graph below the selected node: `next_functions` down to AccumulateGrad, each node
/// with its saved slots as `slot: t7 saved@v0 now@v1`.
struct GraphPane: Widget {
    let state: DebuggerState

    /// The most rows the tree is built to; a graph larger than that is cut with a final `…` row.
    static let rowLimit = 400
    /// How deep the tree is followed.
    static let depthLimit = 32

    /// A tree row and the node it is about (nil for detail rows).
    struct Row {
        var tree: Tree.Row
        var node: Int?
    }

    static func rows(for state: DebuggerState, limit: Int) -> [Row] {
        guard let root = state.graphRoot else { return [] }
        var builder = Builder(state: state, limit: limit)
        builder.visit(root, ancestors: [], isLast: true)
        return builder.rows
    }

    func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: Pane.graph.rawValue, focused: state.focus == .graph, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let rows = GraphPane.rows(for: state, limit: GraphPane.rowLimit)
        let inner = block.inner(area)
        guard !rows.isEmpty else {
            buffer.write("no grad_fn at this step", column: inner.x, row: inner.y, limit: inner.maxX, role: .dim)
            return
        }
        let selected = state.focus == .graph ? state.row(.graph, count: rows.count) : nil
        Tree(rows: rows.map(\.tree), selected: selected, glyphs: state.glyphs).render(into: &buffer, area: inner)
    }

    private struct Builder {
        let state: DebuggerState
        let limit: Int
        let failed: Set<Int>
        let running: Int?
        var rows: [Row] = []
        var shown = Set<Int>()

        init(state: DebuggerState, limit: Int) {
            self.state = state
            self.limit = limit
            failed = Set(state.revealed.compactMap(\.failedNode))
            if let step = state.step, case .nodeRun(let run) = state.timeline.tape[step.event] {
                running = run.node
            } else {
                running = nil
            }
        }

        mutating func visit(_ node: Int, ancestors: [Bool], isLast: Bool) {
            let timeline = state.timeline
            let glyphs = state.glyphs
            guard rows.count < limit else { return }
            guard ancestors.count < GraphPane.depthLimit else {
                append(Line(glyphs.ellipsis, .dim), ancestors: ancestors, isLast: isLast, node: nil)
                return
            }
            let record = timeline.node(node)
            var line = Line()
            if failed.contains(node) {
                line.append("\(glyphs.culprit) ", .stale)
                line.background = .stale
            } else if node == running {
                line.append("\(glyphs.backward) ", .backward)
            }
            line.append(record.map { TapePane.displayName($0.name) } ?? "node \(node)", node == running ? .backward : .normal)
            line.append(" #\(node)", .dim)
            if let variable = record?.variable {
                line.append(" \(glyphs.arrow) \(timeline.label(variable, at: state.event))", .dim)
            }
            if !shown.insert(node).inserted {
                line.append(" (shown above)", .dim)
                append(line, ancestors: ancestors, isLast: isLast, node: node)
                return
            }
            append(line, ancestors: ancestors, isLast: isLast, node: node)
            let children = record?.next.compactMap { $0 } ?? []
            for saved in timeline.saves(of: node) {
                let (status, now) = SavedPane.status(of: saved.slot, in: timeline, at: state.event)
                let text = "\(saved.slot.slot): \(timeline.label(saved.slot.tensor, at: state.event)) saved@v\(saved.slot.savedVersion) now@v\(now)"
                var detail = Line(Sanitizer.line(text), .saved)
                switch status {
                case .stale:
                    detail = Line([Span(Sanitizer.line(text), .stale), Span(" \(glyphs.culprit) stale", .stale)])
                case .freed:
                    detail.append(" freed", .dim)
                case .ok:
                    break
                }
                guard rows.count < limit else { return }
                rows.append(Row(tree: Tree.Row(line: detail, ancestorsAreLast: ancestors + [isLast], isLast: children.isEmpty, isDetail: true), node: nil))
            }
            for (index, edge) in children.enumerated() {
                visit(edge.node, ancestors: ancestors + [isLast], isLast: index == children.count - 1)
            }
        }

        private mutating func append(_ line: Line, ancestors: [Bool], isLast: Bool, node: Int?) {
            rows.append(Row(tree: Tree.Row(line: line, ancestorsAreLast: ancestors, isLast: isLast), node: node))
        }
    }
}
