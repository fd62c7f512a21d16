/// An event read by the field loop, its fields in any order (a line whose keys a writer put in
/// another order, a repeated list key): what a whole-tape scan falls back to when an in-order
/// read (`EventCursor+InOrder`) gives up. Its summary holds the kept scalars and the lists point
/// at their last copy, as in the full decoder.
@usableFromInline
struct AnyOrderEvent {
    @usableFromInline var summary: EventSummary
    @usableFromInline var inputs: StoredTensorVersions
    @usableFromInline var outputs: StoredTensorVersions
    @usableFromInline var edges: StoredEdges

    /// Reads the event of `kind` whose fields `c` points at. Kept a call: rare, and out of the
    /// scan's loop.
    @usableFromInline
    init(_ kind: Event.Kind, _ c: EventCursor) {
        var c = c
        summary = EventSummary(kind: kind)
        inputs = StoredTensorVersions(start: c.base, count: 0)
        outputs = inputs
        edges = StoredEdges(start: c.base, count: 0)
        while let field = c.field() {
            switch field {
            case .inputs where kind == .op: inputs = c.tensorVersionList()
            case .out where kind == .op: outputs = c.tensorVersionList()
            case .next where kind == .node: edges = c.edgeList()
            default:
                if !summary.read(field, of: kind, from: &c), let type = TraceSchema.shared.type(of: field, in: kind) { c.skip(type) }
            }
        }
    }

    /// Hands the event to `visitor` as `Tape.scan(into:)` does an event read in order, a field it
    /// lacks read as the full decoder reads it.
    @inlinable
    func visit<V: TapeVisitor>(at position: Int, into visitor: inout V) throws(V.Failure) {
        let s = summary
        switch s.kind {
        case .tensor:
            try visitor.visitTensor(
                ScannedTensor(id: s.tensor ?? 0, counter: s.counter ?? 0, storage: s.storage, base: s.base, requiresGrad: s.requiresGrad),
                at: position)
        case .op: try visitor.visitOp(ScannedOp(index: s.op ?? 0, inputs: inputs, outputs: outputs), at: position)
        case .node:
            try visitor.visitNode(
                ScannedNode(id: s.node ?? 0, name: s.name, sequenceNr: s.sequenceNr, op: s.op, variable: s.variable, edges: edges),
                at: position)
        case .gradFn:
            try visitor.visitGradFn(
                GradFnChange(tensor: s.tensor ?? 0, node: s.node, outputNr: s.outputNr, requiresGrad: s.requiresGrad, version: s.version),
                at: position)
        case .save:
            try visitor.visitSave(
                ScannedSave(
                    node: s.node ?? 0, slot: s.slot, tensor: s.tensor ?? 0, savedVersion: s.version, isOutput: s.isOutput,
                    outputNr: s.outputNr),
                at: position)
        case .bump:
            try visitor.visitBump(
                VersionBump(counter: s.counter ?? 0, tensor: s.tensor ?? 0, from: s.from, to: s.to, op: s.op ?? 0), at: position)
        case .values: try visitor.visitValues(ofTensor: s.tensor ?? 0, at: position)
        case .binding: try visitor.visitBinding(ofTensor: s.tensor ?? 0, at: position)
        case .output: try visitor.visitOutput(at: position)
        case .nodeRun: try visitor.visitRun(backward: s.backward ?? 0, node: s.node ?? 0, at: position)
        case .nodeResult: try visitor.visitResult(backward: s.backward ?? 0, node: s.node ?? 0, at: position)
        case .release: try visitor.visitRelease(node: s.node ?? 0, at: position)
        case .error, .backward, .backwardEnd, .exit: try visitor.visitOther(s.kind, at: position)
        }
    }
}
