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

    /// Decodes event `index`. Fields missing from the stored event take their Swift defaults;
    /// a field stored twice (a trace line that repeated a key) takes its last value. Without
    /// `previews`, the values previews of `tensor` and `values` events are left empty.
    func event(at index: Int, previews: Bool = true) -> Event {
        let range = fieldRange(of: index)
        let kind = self.kind(at: index)
        return bytes.withUnsafeBufferPointer { buffer in
            var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
            return decode(kind, &c, previews: previews)
        }
    }

    private func decode(_ kind: Event.Kind, _ c: inout EventCursor, previews: Bool) -> Event {
        func string() -> String { strings[c.stringID()] }
        func skip(_ field: TraceField) {
            if let type = TraceSchema.shared.type(of: field, in: kind) { c.skip(type) }
        }
        var site = CallSite(line: 0)
        func readSite(_ field: TraceField) -> Bool {
            switch field {
            case .line: site.line = c.int()
            case .column: site.column = c.int()
            case .endColumn: site.endColumn = c.int()
            case .file: site.file = string()
            case .frame: site.frame = string()
            default: return false
            }
            return true
        }
        switch kind {
        case .tensor:
            var t = TensorInfo(id: 0, counter: 0, storage: 0, shape: [], dtype: "", requiresGrad: false)
            while let field = c.field() {
                switch field {
                case .tensor: t.id = c.int()
                case .counter: t.counter = c.int()
                case .storage: t.storage = c.int()
                case .shape: t.shape = c.ints()
                case .dtype: t.dtype = string()
                case .requiresGrad: t.requiresGrad = c.bool()
                case .base: t.base = c.int()
                case .param: t.isParameter = c.bool()
                case .values where previews: t.values = c.doubles()
                default: skip(field)
                }
            }
            return .tensor(t)
        case .op:
            var o = OpRecord(index: 0, name: "", call: "", site: site, gradMode: false, inputs: [], outputs: [])
            while let field = c.field() {
                if readSite(field) { continue }
                switch field {
                case .index: o.index = c.int()
                case .name: o.name = string()
                case .call: o.call = string()
                case .gradMode: o.gradMode = c.bool()
                case .inputs: o.inputs = c.tensorVersions()
                case .out: o.outputs = c.tensorVersions()
                case .inPlace: o.isInPlace = c.bool()
                case .view: o.isView = c.bool()
                default: skip(field)
                }
            }
            o.site = site
            return .op(o)
        case .node:
            var n = NodeRecord(id: 0, name: "", sequenceNr: 0, op: nil, next: [])
            while let field = c.field() {
                switch field {
                case .node: n.id = c.int()
                case .name: n.name = string()
                case .sequenceNr: n.sequenceNr = c.sequenceNr()
                case .op: n.op = c.int()
                case .next: n.next = c.edges()
                case .variable: n.variable = c.int()
                default: skip(field)
                }
            }
            return .node(n)
        case .gradFn:
            var g = GradFnChange(tensor: 0, node: nil, outputNr: 0, requiresGrad: false, version: 0)
            while let field = c.field() {
                switch field {
                case .tensor: g.tensor = c.int()
                case .node: g.node = c.int()
                case .outputNr: g.outputNr = c.int()
                case .requiresGrad: g.requiresGrad = c.bool()
                case .version: g.version = c.int()
                default: skip(field)
                }
            }
            return .gradFn(g)
        case .save:
            var s = SavedSlot(node: 0, slot: "", tensor: 0, savedVersion: 0, isOutput: false, shape: [])
            while let field = c.field() {
                switch field {
                case .node: s.node = c.int()
                case .slot: s.slot = string()
                case .tensor: s.tensor = c.int()
                case .version: s.savedVersion = c.int()
                case .out: s.isOutput = c.bool()
                case .outputNr: s.outputNr = c.int()
                case .shape: s.shape = c.ints()
                default: skip(field)
                }
            }
            return .save(s)
        case .bump:
            var b = VersionBump(counter: 0, tensor: 0, from: 0, to: 0, op: 0)
            while let field = c.field() {
                switch field {
                case .counter: b.counter = c.int()
                case .tensor: b.tensor = c.int()
                case .from: b.from = c.int()
                case .to: b.to = c.int()
                case .op: b.op = c.int()
                default: skip(field)
                }
            }
            return .bump(b)
        case .values:
            var v = TensorValues(tensor: 0, shape: [], values: [])
            while let field = c.field() {
                switch field {
                case .tensor: v.tensor = c.int()
                case .shape: v.shape = c.ints()
                case .values where previews: v.values = c.doubles()
                default: skip(field)
                }
            }
            return .values(v)
        case .binding:
            var b = Binding(name: "", tensor: 0, line: 0)
            while let field = c.field() {
                switch field {
                case .name: b.name = string()
                case .tensor: b.tensor = c.int()
                case .line: b.line = c.int()
                default: skip(field)
                }
            }
            return .binding(b)
        case .output:
            var text = ""
            while let field = c.field() {
                if field == .text { text = string() } else { skip(field) }
            }
            return .output(text)
        case .error:
            var e = RaisedError(type: "", message: "", site: site)
            while let field = c.field() {
                if readSite(field) { continue }
                switch field {
                case .type: e.type = string()
                case .message: e.message = string()
                case .backward: e.backward = c.int()
                default: skip(field)
                }
            }
            e.site = site
            return .error(e)
        case .backward:
            var b = BackwardCall(id: 0, roots: [], site: site, retainGraph: false)
            while let field = c.field() {
                if readSite(field) { continue }
                switch field {
                case .backward: b.id = c.int()
                case .roots: b.roots = c.rootEdges()
                case .retain: b.retainGraph = c.bool()
                default: skip(field)
                }
            }
            b.site = site
            return .backward(b)
        case .nodeRun, .nodeResult:
            var backward = 0, node = 0
            var grads: [TensorValues?] = []
            while let field = c.field() {
                switch field {
                case .backward: backward = c.int()
                case .node: node = c.int()
                case .grads: grads = c.grads()
                default: skip(field)
                }
            }
            return kind == .nodeRun
                ? .nodeRun(NodeRun(backward: backward, node: node, incoming: grads))
                : .nodeResult(NodeResult(backward: backward, node: node, outgoing: grads))
        case .release:
            var node = 0
            while let field = c.field() {
                if field == .node { node = c.int() } else { skip(field) }
            }
            return .release(node: node)
        case .backwardEnd:
            var e = BackwardEnd(backward: 0)
            while let field = c.field() {
                switch field {
                case .backward: e.backward = c.int()
                case .failedNode: e.failedNode = c.int()
                case .slot: e.failedSlot = string()
                case .message: e.message = string()
                default: skip(field)
                }
            }
            return .backwardEnd(e)
        case .exit:
            var code = 0
            while let field = c.field() {
                if field == .code { code = c.int() } else { skip(field) }
            }
            return .exit(code: code)
        }
    }
}
