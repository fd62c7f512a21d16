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
        case .node(let id)?: node(id)
        case .step(let index)?: step(index)
        case nil: []
        }
    }

    private func field(_ name: String, _ value: String, _ role: Role = .normal) -> Line {
        Line([Span(TextWidth.pad(name, to: 14), .heading), Span(Sanitizer.line(value), role)])
    }

    private func tensor(_ id: Int) -> [Line] {
        let timeline = state.timeline
        let event = state.event
        guard let info = timeline.tensor(id) else { return [Line("t\(id) is not on the tape")] }
        let gradFn = timeline.gradFn(of: id, at: event)
        let ellipsis = state.glyphs.ellipsis
        var lines = [
            field("tensor", timeline.label(id, at: event)),
            field("shape", ValueFormat.shape(info.shape)),
            field("dtype", info.dtype),
            field("requires_grad", gradFn.requiresGrad ? "True" : "False"),
            field("is_leaf", gradFn.node == nil ? "True" : "False"),
            field("grad_fn", gradFn.node.flatMap { timeline.node($0) }.map { "\(TapePane.displayName($0.name)) #\($0.id)" } ?? "None"),
            field("_version", String(timeline.version(tensor: id, at: event))),
            field("values", ValueFormat.preview(timeline.values(of: id, at: event), dtype: info.dtype, numel: info.numel, limit: TensorValues.previewLimit, ellipsis: ellipsis)),
        ]
        if let grad = timeline.grad(of: id, at: event) {
            lines.append(field("grad", ValueFormat.preview(grad.values, dtype: info.dtype, numel: grad.shape.reduce(1, *), limit: TensorValues.previewLimit, ellipsis: ellipsis)))
        } else {
            lines.append(field("grad", "None"))
        }
        let sharing = timeline.tensors(sharing: info.counter).filter { $0 != id }.map { timeline.label($0, at: event) }
        lines.append(field("counter", "vc\(info.counter)" + (sharing.isEmpty ? " (own)" : " shared with " + sharing.joined(separator: ", "))))
        lines.append(field("storage", "st\(info.storage)"))
        if let base = info.base {
            lines.append(field("_base", timeline.label(base, at: event)))
        }
        let views = timeline.views(of: id).map { timeline.label($0, at: event) }
        if !views.isEmpty {
            lines.append(field("views", views.joined(separator: ", ")))
        }
        if info.isParameter {
            lines.append(field("parameter", "nn.Parameter"))
        }
        for position in 0..<timeline.savedCount(at: event) {
            guard let saved = timeline.savedSlot(position), timeline.tensor(saved.slot.tensor)?.counter == info.counter else { continue }
            let (status, now) = SavedPane.status(of: saved.slot, in: timeline, at: event)
            let node = timeline.node(saved.slot.node).map { TapePane.displayName($0.name) } ?? "?"
            lines.append(field("saved by", "\(node).\(saved.slot.slot) saved@v\(saved.slot.savedVersion) now@v\(now) \(status)", status == .stale ? .stale : .normal))
        }
        return lines
    }

    private func node(_ id: Int) -> [Line] {
        let timeline = state.timeline
        guard let record = timeline.node(id) else { return [Line("node #\(id) is not on the tape")] }
        var lines = [
            field("grad_fn", TapePane.displayName(record.name) + " #\(id)"),
            field("sequence_nr", record.sequenceNr == NodeRecord.accumulateGradSequenceNr ? "UINT64_MAX" : String(record.sequenceNr)),
        ]
        if let op = record.op, let step = timeline.step(ofOp: op) {
            lines.append(field("created by", "op \(op) at step \(step + 1), line \(timeline.steps[step].line)"))
        }
        if let variable = record.variable {
            lines.append(field("variable", timeline.label(variable, at: state.event)))
        }
        for (index, edge) in record.next.enumerated() {
            let target = edge.flatMap { timeline.node($0.node) }.map { "\(TapePane.displayName($0.name)) #\($0.id), input \(edge?.inputNr ?? 0)" } ?? "None"
            lines.append(field("next[\(index)]", target))
        }
        for saved in timeline.saves(of: id) {
            let (status, now) = SavedPane.status(of: saved.slot, in: timeline, at: state.event)
            lines.append(field("_saved_\(saved.slot.slot)", "\(timeline.label(saved.slot.tensor, at: state.event)) saved@v\(saved.slot.savedVersion) now@v\(now) \(status)", status == .stale ? .stale : .normal))
        }
        return lines
    }

    private func step(_ index: Int) -> [Line] {
        let timeline = state.timeline
        let step = timeline.steps[index]
        var lines = [field("step", "\(index + 1) of \(timeline.steps.count)"), field("line", String(step.line))]
        switch timeline.tape[step.event] {
        case .op(let op):
            lines.append(field("op", "#\(op.index) \(op.name)"))
            lines.append(field("call", op.call))
            lines.append(field("grad mode", op.gradMode ? "enabled" : "no_grad"))
            lines.append(field("inputs", op.inputs.map { "\(timeline.label($0.tensor, at: step.event))@v\($0.version)" }.joined(separator: ", ")))
            lines.append(field("outputs", op.outputs.map { "\(timeline.label($0.tensor, at: step.event))@v\($0.version)" }.joined(separator: ", ")))
            for bump in timeline.bumps(ofOp: op.index) {
                lines.append(field("bumps", "vc\(bump.counter) (t\(bump.tensor)) v\(bump.from) to v\(bump.to)", .inPlace))
            }
            if let node = timeline.node(ofOp: op.index) {
                lines += self.node(node)
            }
        case .nodeRun(let run):
            lines.append(field("backward", "call #\(run.backward)"))
            for (position, grad) in run.incoming.enumerated() {
                lines.append(field("grad_out[\(position)]", grad.map { ValueFormat.preview($0.values, dtype: "float32", numel: $0.shape.reduce(1, *)) } ?? "None"))
            }
            if let result = result(of: run, after: step.event) {
                for (position, grad) in result.outgoing.enumerated() {
                    lines.append(field("grad_in[\(position)]", grad.map { ValueFormat.preview($0.values, dtype: "float32", numel: $0.shape.reduce(1, *)) } ?? "None"))
                }
            }
            lines += node(run.node)
        case .backward(let call):
            lines.append(field("backward", "call #\(call.id)" + (call.retainGraph ? " retain_graph=True" : "")))
            for root in call.roots {
                lines.append(field("root", timeline.node(root.node).map { "\(TapePane.displayName($0.name)) #\($0.id)" } ?? "node \(root.node)"))
            }
        case .error(let error):
            lines.append(field("error", error.type, .error))
            lines += Sanitizer.lines(error.message).map { Line($0, .error) }
        default:
            break
        }
        return lines
    }

    /// The `result` event that ends this node run, searched a bounded distance ahead.
    private func result(of run: NodeRun, after start: Int) -> NodeResult? {
        let tape = state.timeline.tape
        for index in start..<min(tape.count, start + 10_000) {
            if case .nodeResult(let result) = tape[index], result.backward == run.backward, result.node == run.node {
                return result
            }
        }
        return nil
    }
}
