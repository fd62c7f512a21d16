import Debugger
import Tape

/// One row per forward op, backward call, replayed node and error, the selected step marked `▶`.
struct TapePane: Widget {
    let state: DebuggerState

    func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: "\(Pane.tape.rawValue) \(state.stepCount) steps", focused: state.focus == .tape, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let marks = Marks(state: state)
        let digits = String(state.stepCount).count
        ListView(count: state.stepCount, selected: state.stepCount > 0 ? state.cursor : nil) { index in
            TapePane.line(for: index, in: state, marks: marks, digits: digits)
        }.render(into: &buffer, area: block.inner(area))
    }

    /// The steps that carry a `✗`: failing nodes and culprit ops of failures already reached.
    struct Marks {
        var failing: Set<Int> = []
        var culprits: Set<Int> = []

        init(state: DebuggerState) {
            for failure in state.revealed {
                failing.insert(failure.step)
                if let culprit = failure.culpritStep {
                    culprits.insert(culprit)
                }
            }
        }
    }

    static func line(for index: Int, in state: DebuggerState, marks: Marks, digits: Int) -> Line {
        let glyphs = state.glyphs
        let step = state.index.steps[index]
        var line = Line()
        line.spans.reserveCapacity(8)
        line.append(index == state.cursor ? glyphs.current : " ", index == state.cursor ? .selection : .normal)
        line.append(TextWidth.padLeft(String(index + 1), to: digits) + " ", .dim)
        line.append(TextWidth.pad("L\(step.line)", to: 4), .dim)
        if marks.failing.contains(index) || marks.culprits.contains(index) {
            line.background = marks.culprits.contains(index) ? .culprit : .stale
            line.append(glyphs.culprit + " ", .culprit)
        }
        let body: Line
        if let kept = state.tapeRows.line(for: index, glyphs: glyphs) {
            body = kept
        } else {
            body = Self.body(for: index, in: state)
            state.tapeRows.keep(body, for: index, glyphs: glyphs)
        }
        line.spans.append(contentsOf: body.spans)
        return line
    }

    /// What step `index`'s row says after its number, line and marks: the op with its versions,
    /// bumps and saves, the replayed node, the backward call or the error.
    private static func body(for index: Int, in state: DebuggerState) -> Line {
        let glyphs = state.glyphs
        let step = state.index.steps[index]
        let position = state.index.positions[index]
        var line = Line()
        if case .node(let node) = step.kind, let backward = step.backward {
            let replayed = state.debugger.replays[backward].steps[node]
            line.append("\(glyphs.backward) \(displayName(replayed.name))", .backward)
            if !replayed.saved.isEmpty {
                line.append(" unpacks", .dim)
                for saved in replayed.saved {
                    line.append(" \(Sanitizer.line(saved.slot)):t\(saved.tensor)@v\(saved.savedVersion)", saved.status == .fresh ? .saved : .stale)
                }
            }
            if let variable = state.debugger.node(replayed.node).variable {
                line.append(" \(glyphs.arrow) \(state.label(variable, at: position)).grad", .dim)
            }
            return line
        }
        switch state.tape[step.event] {
        case .op(let op):
            let name = op.name.hasPrefix("aten::") ? String(op.name.dropFirst(6)) : op.name
            line.append(Sanitizer.line(name), op.isInPlace ? .inPlace : .normal)
            if !op.call.isEmpty, op.call != name {
                line.append(" " + Sanitizer.line(op.call), .dim)
            }
            line.append(" " + versions(op.inputs) + " \(glyphs.arrow) " + versions(op.outputs))
            for bump in state.debugger.bumps(ofOp: op.index) {
                let written = bump.isUnbumped ? "v\(bump.to) (no bump)" : "v\(bump.from)\(glyphs.arrow)v\(bump.to)"
                line.append(" in-place t\(bump.tensor) \(written)", .inPlace)
            }
            if op.isView {
                line.append(" view", .dim)
            }
            if !op.gradMode {
                line.append(" no_grad", .dim)
            }
            if let node = state.debugger.firstNode(ofOp: op.index) {
                let saves = state.debugger.savedValues(ofNode: node, at: position).map { "\($0.slot)@v\($0.savedVersion)" }
                if !saves.isEmpty {
                    line.append(" \(glyphs.saved) saves " + Sanitizer.line(saves.joined(separator: " ")), .saved)
                }
            }
        case .backward(let call):
            let roots = call.roots.map { displayName(state.debugger.node($0.node).name) }
            line.append("backward() #\(call.id) from " + roots.joined(separator: ", "), .backward)
            if call.retainGraph {
                line.append(" retain_graph", .dim)
            }
        case .error(let error):
            line.append(Sanitizer.line("\(error.type): \(error.message)"), .error)
        default:
            break
        }
        return line
    }

    static func versions(_ tensors: [TensorVersion]) -> String {
        tensors.map { "t\($0.tensor)@v\($0.version)" }.joined(separator: ", ")
    }

    /// A node's name as PyTorch prints `grad_fn`: without the `torch::autograd::` namespace.
    static func displayName(_ name: String) -> String {
        Sanitizer.line(name.hasPrefix("torch::autograd::") ? String(name.dropFirst(17)) : name)
    }
}
