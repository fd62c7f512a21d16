import Debugger
import Tape

/// The lines of the `Enter` overlay: everything the tape knows about a tensor, node or step at the cursor.
struct Details {
    let state: DebuggerState

    var title: String {
        switch inspection {
        case .tensor(let id)?: "tensor t\(id)"
        case .node(let id)?: "node #\(id)"
        case .step(let index)?: "step \(index + 1)"
        case nil: ""
        }
    }

    private var inspection: Inspection? {
        if case .inspect(let target, _) = state.mode { return target }
        return nil
    }

    func lines() -> [Line] {
        switch inspection {
        case .tensor(let id)?: tensor(id)
        case .node(let id)?: node(id, at: state.position)
        case .step(let index)?: step(index)
        case nil: []
        }
    }

    private func field(_ name: String, _ value: String, _ role: Role = .normal) -> Line {
        Line([Span(TextWidth.pad(name, to: 14), .heading), Span(Sanitizer.line(value), role)])
    }

    private func values(_ values: [Double], dtype: String, shape: [Int]) -> String {
        ValueFormat.preview(values, dtype: dtype, numel: shape.reduce(1, *), limit: TensorValues.previewLimit, ellipsis: state.glyphs.ellipsis)
    }

    private func tensor(_ id: Int) -> [Line] {
        let debugger = state.debugger
        let position = state.position
        let tensor = debugger.tensor(id, at: position)
        let info = tensor.info
        var lines = [
            field("tensor", state.label(id, at: position)),
            field("shape", ValueFormat.shape(tensor.shape)),
            field("dtype", info.dtype),
            field("requires_grad", tensor.requiresGrad ? "True" : "False"),
            field("is_leaf", tensor.isLeaf ? "True" : "False"),
            field("grad_fn", tensor.gradFnName.map { TapePane.displayName($0) + (tensor.gradFn.map { " #\($0)" } ?? "") } ?? "None"),
            field("_version", String(tensor.version)),
            field("values", values(tensor.values, dtype: info.dtype, shape: tensor.shape)),
            field("grad", state.debugger.grad(of: id, before: position).map { values($0.values, dtype: info.dtype, shape: $0.shape) } ?? "None"),
        ]
        let sharing = state.debugger.tensors(sharingCounter: info.counter).filter { $0 != id && $0 < debugger.tensorCount(at: position) }
        lines.append(field("counter", "vc\(info.counter)" + (sharing.isEmpty ? " (its own)" : " shared with " + sharing.map { state.label($0, at: position) }.joined(separator: ", "))))
        lines.append(field("storage", "st\(info.storage)"))
        if let base = info.base {
            lines.append(field("_base", state.label(base, at: position)))
        }
        let views = state.debugger.views(of: id).filter { $0 < debugger.tensorCount(at: position) }
        if !views.isEmpty {
            lines.append(field("views", views.map { state.label($0, at: position) }.joined(separator: ", ")))
        }
        if info.isParameter {
            lines.append(field("parameter", "nn.Parameter"))
        }
        let saves = state.debugger.saves(sharingCounter: info.counter)
        for order in saves.prefix(saves.countBefore(debugger.savedCount(at: position))) {
            guard let saved = debugger.savedValues(at: position, in: order..<(order + 1)).first else { continue }
            let node = TapePane.displayName(debugger.node(saved.node).name)
            lines.append(field("saved by", "\(node).\(saved.slot) saved@v\(saved.savedVersion) now@v\(saved.currentVersion) \(SavedPane.status(saved, glyphs: state.glyphs).text)", saved.status == .stale ? .stale : .normal))
        }
        return lines
    }

    private func node(_ id: Int, at position: Int) -> [Line] {
        let debugger = state.debugger
        let record = debugger.node(id)
        var lines = [
            field("grad_fn", TapePane.displayName(record.name) + " #\(id)"),
            field("sequence_nr", record.sequenceNr == NodeRecord.accumulateGradSequenceNr ? "UINT64_MAX" : String(record.sequenceNr)),
        ]
        if let op = record.op, let step = state.index.step(ofOp: op) {
            lines.append(field("created by", "op \(op) at step \(step + 1), line \(state.index.steps[step].line)"))
        }
        if let variable = record.variable {
            lines.append(field("variable", state.label(variable, at: position)))
        }
        for (index, edge) in record.next.enumerated() {
            let target = edge.map { "\(TapePane.displayName(debugger.node($0.node).name)) #\($0.node), input \($0.inputNr)" } ?? "None"
            lines.append(field("next[\(index)]", target))
        }
        for saved in debugger.savedValues(ofNode: id, at: position) {
            lines.append(field("_saved_\(saved.slot)", "\(state.label(saved.tensor, at: position)) saved@v\(saved.savedVersion) now@v\(saved.currentVersion) \(SavedPane.status(saved, glyphs: state.glyphs).text)", saved.status == .stale ? .stale : .normal))
        }
        return lines
    }

    private func step(_ index: Int) -> [Line] {
        let step = state.index.steps[index]
        let position = state.index.positions[index]
        var lines = [field("step", "\(index + 1) of \(state.stepCount)"), field("line", String(step.line))]
        if case .node(let node) = step.kind, let backward = step.backward {
            let replayed = state.debugger.replays[backward].steps[node]
            lines.append(field("backward", "call #\(backward), node \(node + 1) of \(state.debugger.replays[backward].steps.count)"))
            lines += gradients(backward: backward, node: replayed.node)
            return lines + self.node(replayed.node, at: position)
        }
        switch state.tape[step.event] {
        case .op(let op):
            lines.append(field("op", "#\(op.index) \(op.name)"))
            lines.append(field("call", op.call))
            lines.append(field("grad mode", op.gradMode ? "enabled" : "no_grad"))
            lines.append(field("inputs", op.inputs.map { "\(state.label($0.tensor, at: position))@v\($0.version)" }.joined(separator: ", ")))
            lines.append(field("outputs", op.outputs.map { "\(state.label($0.tensor, at: position))@v\($0.version)" }.joined(separator: ", ")))
            for bump in state.debugger.bumps(ofOp: op.index) {
                let versions = bump.isUnbumped ? "written, stays v\(bump.to) (no bump)" : "v\(bump.from) to v\(bump.to)"
                lines.append(field("bumps", "vc\(bump.counter) (t\(bump.tensor)) \(versions)", .inPlace))
            }
            if let node = state.debugger.firstNode(ofOp: op.index) {
                lines += self.node(node, at: position)
            }
        case .backward(let call):
            lines.append(field("backward", "call #\(call.id)" + (call.retainGraph ? " retain_graph=True" : "")))
            for root in call.roots {
                lines.append(field("root", "\(TapePane.displayName(state.debugger.node(root.node).name)) #\(root.node)"))
            }
        case .error(let error):
            lines.append(field("error", error.type, .error))
            lines += Sanitizer.lines(error.message).map { Line($0, .error) }
        default:
            break
        }
        return lines
    }

    /// The gradients the engine reported flowing into and out of a node (traces may not have them).
    private func gradients(backward: Int, node: Int) -> [Line] {
        let flow = state.debugger.gradients(backward: backward, node: node)
        let show = { (grad: TensorValues?) in grad.map { values($0.values, dtype: "float32", shape: $0.shape) } ?? "None" }
        var lines = (flow.incoming ?? []).enumerated().map { field("grad in[\($0)]", show($1)) }
        lines += (flow.outgoing ?? []).enumerated().map { field("grad out[\($0)]", show($1)) }
        return lines
    }
}
