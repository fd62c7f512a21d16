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
        let position = state.position
        let selected = state.focus == .tensors ? state.row(.tensors, count: tensors.count) : nil
        Table(columns: TensorsPane.columns, count: tensors.count, selected: selected, glyphs: state.glyphs) { index in
            let tensor = state.debugger.tensor(tensors[index], at: position)
            let name = state.label(tensor.id, at: position)
            return [
                Span(name, touched.contains(tensor.id) ? .heading : .normal),
                Span(ValueFormat.shape(tensor.shape)),
                Span(String(tensor.version)),
                Span(tensor.gradFnName.map(TapePane.displayName) ?? "None"),
                Span(tensor.requiresGrad ? "True" : "False"),
                Span(tensor.isLeaf ? "True" : "False"),
                Span(Sanitizer.line(tensor.info.dtype)),
                Span(ValueFormat.preview(tensor.values, dtype: tensor.info.dtype, numel: tensor.shape.reduce(1, *), ellipsis: state.glyphs.ellipsis), .dim),
            ]
        }.render(into: &buffer, area: block.inner(area))
    }
}
