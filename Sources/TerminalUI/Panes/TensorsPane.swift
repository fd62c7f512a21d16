/// The tensors at the cursor: those the step touches first, then every tensor the program named.
struct TensorsPane: Widget {
    let state: DebuggerState

    static let columns = [
        Table.Column("tensor", width: 8), Table.Column("shape", width: 6), Table.Column("ver", width: 3, rightAligned: true),
        Table.Column("grad_fn", width: 13), Table.Column("rg", width: 5), Table.Column("leaf", width: 5),
        Table.Column("dtype", width: 7), Table.Column("value", width: 0),
    ]

    func render(into buffer: inout Buffer, area: Rect) {
        let block = Block(title: Pane.tensors.rawValue, focused: state.focus == .tensors, glyphs: state.glyphs)
        block.render(into: &buffer, area: area)
        let tensors = state.listedTensors
        let touched = Set(state.stepTensors)
        let timeline = state.timeline
        let event = state.event
        let selected = state.focus == .tensors ? state.row(.tensors, count: tensors.count) : nil
        Table(columns: TensorsPane.columns, count: tensors.count, selected: selected, glyphs: state.glyphs) { index in
            let id = tensors[index]
            guard let info = timeline.tensor(id) else { return [Span("t\(id)")] }
            let gradFn = timeline.gradFn(of: id, at: event)
            let name = timeline.label(id, at: event)
            return [
                Span(name, touched.contains(id) ? .heading : .normal),
                Span(ValueFormat.shape(info.shape)),
                Span(String(timeline.version(tensor: id, at: event))),
                Span(gradFn.node.flatMap { timeline.node($0) }.map { TapePane.displayName($0.name) } ?? "None"),
                Span(gradFn.requiresGrad ? "True" : "False"),
                Span(gradFn.node == nil ? "True" : "False"),
                Span(Sanitizer.line(info.dtype)),
                Span(ValueFormat.preview(timeline.values(of: id, at: event), dtype: info.dtype, numel: info.numel, ellipsis: state.glyphs.ellipsis), .dim),
            ]
        }.render(into: &buffer, area: block.inner(area))
    }
}
