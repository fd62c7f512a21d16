import Debugger
import Tape

/// The grad_fn graph below the selected node: `next_functions` down to AccumulateGrad, each node
/// with its saved slots as `slot: t7 saved@v0 now@v1`; stale slots and the failing node stand out.
struct GraphPane: Widget {
    let state: DebuggerState

    /// The most rows the tree is flattened to.
    static let rowLimit = 400
    /// How many `next_functions` levels are followed below the root.
    static let depth = 8

    /// A tree row and the node it is about (nil for saved-slot rows).
    struct Row {
        var tree: Tree.Row
        var node: Int?
    }

    static func rows(for state: DebuggerState, limit: Int) -> [Row] {
        guard let root = state.graphRoot else { return [] }
        var builder = Builder(state: state, limit: limit)
        builder.visit(state.debugger.graph(from: root, at: state.position, depth: depth), ancestors: [], isLast: true)
        return builder.rows
    }

    func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: Pane.graph.rawValue, focused: state.focus == .graph, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let inner = block.inner(area)
        let header = GraphPane.flowLines(for: state)
        let tree = inner.splitTop(min(header.count, max(0, inner.height - 1))).rest
        // The list shows `tree.height` rows from at most half a screen above the selection, so the
        // rows below them are never drawn: a large graph's 400 are not built for each keystroke.
        let shown = (state.focus == .graph ? max(0, state.rows[.graph] ?? 0) : 0) + tree.height
        let rows = GraphPane.rows(for: state, limit: min(GraphPane.rowLimit, shown))
        guard !rows.isEmpty else {
            buffer.write("no grad_fn at this step", column: inner.x, row: inner.y, limit: inner.maxX, role: .dim)
            return
        }
        for (offset, line) in header.prefix(max(0, inner.height - 1)).enumerated() {
            buffer.write(line, column: inner.x, row: inner.y + offset, limit: inner.maxX)
        }
        let selected = state.focus == .graph ? state.row(.graph, count: rows.count) : nil
        Tree(rows: rows.map(\.tree), selected: selected, glyphs: state.glyphs).render(into: &buffer, area: tree)
    }

    /// At a replayed node: the gradients flowing in (one per output) and out (one per
    /// `next_functions` entry), when the tape recorded them.
    static func flowLines(for state: DebuggerState) -> [Line] {
        guard let node = state.replayStep, let backward = state.step?.backward else { return [] }
        let flow = state.debugger.gradients(backward: backward, node: node.node)
        let ellipsis = state.glyphs.ellipsis
        func show(_ grads: [TensorValues?]) -> String {
            grads.map { grad in
                grad.map { "\(ValueFormat.shape($0.shape)) \(ValueFormat.preview($0.values, dtype: "float32", numel: $0.shape.reduce(1, *), limit: 4, ellipsis: ellipsis))" } ?? "None"
            }.joined(separator: "; ")
        }
        var lines: [Line] = []
        if let incoming = flow.incoming {
            lines.append(Line([Span("grad in  ", .heading), Span(show(incoming), .backward)]))
        }
        if let outgoing = flow.outgoing {
            lines.append(Line([Span("grad out ", .heading), Span(show(outgoing), .backward)]))
        }
        return lines
    }

    private struct Builder {
        let state: DebuggerState
        let limit: Int
        let failed: Set<Int>
        let running: Int?
        var rows: [Row] = []

        init(state: DebuggerState, limit: Int) {
            self.state = state
            self.limit = limit
            failed = Set(state.revealed.compactMap { $0.diagnosis.node?.id })
            running = state.replayStep?.node
        }

        mutating func visit(_ tree: GradFnTree, ancestors: [Bool], isLast: Bool) {
            guard rows.count < limit else { return }
            let glyphs = state.glyphs
            var line = Line()
            if failed.contains(tree.node) {
                line.append("\(glyphs.culprit) ", .stale)
                line.background = .stale
            } else if tree.node == running {
                line.append("\(glyphs.backward) ", .backward)
            }
            line.append(TapePane.displayName(tree.name), tree.node == running ? .backward : .normal)
            line.append(" #\(tree.node)", .dim)
            if let variable = tree.variable {
                line.append(" \(glyphs.arrow) \(state.label(variable, at: state.position))", .dim)
            }
            if tree.isRepeat {
                line.append(" (shown above)", .dim)
            } else if tree.isTruncated {
                line.append(" \(glyphs.ellipsis)", .dim)
            }
            rows.append(Row(tree: Tree.Row(line: line, ancestorsAreLast: ancestors, isLast: isLast), node: tree.node))
            guard !tree.isRepeat else { return }
            for saved in tree.saved {
                guard rows.count < limit else { return }
                let text = "\(Sanitizer.line(saved.slot)): \(state.label(saved.tensor, at: state.position)) saved@v\(saved.savedVersion) now@v\(saved.currentVersion)"
                var detail = Line(text, saved.status == .stale ? .stale : .saved)
                switch saved.status {
                case .stale: detail.append(" \(glyphs.culprit) stale", .stale)
                case .freed: detail.append(" freed", .dim)
                case .fresh: break
                }
                rows.append(Row(tree: Tree.Row(line: detail, ancestorsAreLast: ancestors + [isLast], isLast: tree.children.isEmpty, isDetail: true), node: nil))
            }
            for (index, child) in tree.children.enumerated() {
                visit(child, ancestors: ancestors + [isLast], isLast: index == tree.children.count - 1)
            }
        }
    }
}
