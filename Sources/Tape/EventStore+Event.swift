extension EventStore where Bytes == [UInt8] {
    /// Appends `event` in compact form, fields in the order the trace writer emits them.
    mutating func append(_ event: Event) {
        begin(event.kind)
        switch event {
        case .tensor(let t):
            put(.tensor, t.id)
            put(.counter, t.counter)
            put(.storage, t.storage)
            put(.shape, t.shape)
            put(.dtype, t.dtype)
            put(.requiresGrad, t.requiresGrad)
            if let base = t.base { put(.base, base) }
            if t.isParameter { put(.param, true) }
            if !t.values.isEmpty { put(.values, t.values) }
        case .op(let o):
            put(.index, o.index)
            put(.name, o.name)
            put(.call, o.call)
            put(o.site)
            put(.gradMode, o.gradMode)
            put(.inputs, pairs: o.inputs.map { ($0.tensor, $0.version) })
            put(.out, pairs: o.outputs.map { ($0.tensor, $0.version) })
            if o.isInPlace { put(.inPlace, true) }
            if o.isView { put(.view, true) }
        case .node(let n):
            put(.node, n.id)
            put(.name, n.name)
            putTag(.sequenceNr)
            putSequenceNr(n.sequenceNr)
            if let op = n.op { put(.op, op) }
            if !n.next.isEmpty { put(.next, edges: n.next) }
            if let variable = n.variable { put(.variable, variable) }
        case .gradFn(let g):
            put(.tensor, g.tensor)
            if let node = g.node { put(.node, node) }
            put(.outputNr, g.outputNr)
            put(.requiresGrad, g.requiresGrad)
            put(.version, g.version)
        case .save(let s):
            put(.node, s.node)
            put(.slot, s.slot)
            put(.tensor, s.tensor)
            put(.version, s.savedVersion)
            put(.out, s.isOutput)
            if s.outputNr != 0 { put(.outputNr, s.outputNr) }
            put(.shape, s.shape)
        case .bump(let b):
            put(.counter, b.counter)
            put(.tensor, b.tensor)
            put(.from, b.from)
            put(.to, b.to)
            put(.op, b.op)
        case .values(let v):
            put(.tensor, v.tensor)
            put(.shape, v.shape)
            put(.values, v.values)
        case .binding(let b):
            put(.name, b.name)
            put(.tensor, b.tensor)
            put(.line, b.line)
        case .output(let text):
            put(.text, text)
        case .error(let e):
            put(.type, e.type)
            put(.message, e.message)
            put(e.site)
            if let backward = e.backward { put(.backward, backward) }
        case .backward(let b):
            put(.backward, b.id)
            put(.roots, pairs: b.roots.map { ($0.node, $0.inputNr) })
            put(b.site)
            if b.retainGraph { put(.retain, true) }
        case .nodeRun(let r):
            put(.backward, r.backward)
            put(.node, r.node)
            if !r.incoming.isEmpty { put(.grads, grads: r.incoming) }
        case .nodeResult(let r):
            put(.backward, r.backward)
            put(.node, r.node)
            if !r.outgoing.isEmpty { put(.grads, grads: r.outgoing) }
        case .release(let node):
            put(.node, node)
        case .backwardEnd(let e):
            put(.backward, e.backward)
            if let node = e.failedNode { put(.failedNode, node) }
            if let slot = e.failedSlot { put(.slot, slot) }
            if let message = e.message { put(.message, message) }
        case .exit(let code):
            put(.code, code)
        }
    }

    private mutating func put(_ site: CallSite) {
        put(.line, site.line)
        if site.column != 0 { put(.column, site.column) }
        if site.endColumn != 0 { put(.endColumn, site.endColumn) }
        if let file = site.file { put(.file, file) }
        if let frame = site.frame { put(.frame, frame) }
    }

    private mutating func put(_ field: TraceField, edges: [Edge?]) {
        putTag(field)
        putVarint(UInt64(edges.count))
        for edge in edges {
            putBool(edge != nil)
            if let edge {
                putInt(edge.node)
                putInt(edge.inputNr)
            }
        }
    }

    private mutating func put(_ field: TraceField, grads: [TensorValues?]) {
        putTag(field)
        putVarint(UInt64(grads.count))
        for grad in grads {
            putBool(grad != nil)
            if let grad {
                putInt(grad.tensor)
                putVarint(UInt64(grad.shape.count))
                for size in grad.shape { putInt(size) }
                grad.values.withUnsafeBufferPointer { putDoubles($0) }
            }
        }
    }

    /// Decodes event `index` (`EventDecoder`); without `previews`, the values previews of
    /// `tensor` and `values` events are left empty.
    func event(at index: Int, previews: Bool = true) -> Event {
        let range = fieldRange(of: index)
        let kind = self.kind(at: index)
        return bytes.withUnsafeBufferPointer { buffer in
            var decoder = EventDecoder(
                cursor: EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound),
                strings: strings, kind: kind, previews: previews
            )
            return decoder.decode()
        }
    }
}
