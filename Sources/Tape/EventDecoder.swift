/// Decodes one stored event back into an `Event`: a table with one small named handler per
/// kind, each reading the fields its kind has (`docs/trace-format.md`) and skipping the rest.
///
/// Fields missing from the stored event take their Swift defaults; a field stored twice (a trace
/// line that repeated a key) takes its last value. Without `previews`, the values previews of
/// `tensor` and `values` events are left empty.
struct EventDecoder {
    var cursor: EventCursor
    let strings: StringTable
    let kind: Event.Kind
    let previews: Bool

    /// The handler of each kind, by `Event.Kind.rawValue`.
    private static let handlers: [@Sendable (inout EventDecoder) -> Event] = Event.Kind.allCases.map { kind in
        switch kind {
        case .tensor: tensor
        case .op: op
        case .node: node
        case .gradFn: gradFn
        case .save: save
        case .bump: bump
        case .values: values
        case .binding: binding
        case .output: output
        case .error: error
        case .backward: backward
        case .nodeRun: nodeRun
        case .nodeResult: nodeResult
        case .release: release
        case .backwardEnd: backwardEnd
        case .exit: exit
        }
    }

    mutating func decode() -> Event { Self.handlers[Int(kind.rawValue)](&self) }

    // MARK: Reading fields

    /// Calls `read` with each stored field; a field it does not take (returns false) is skipped.
    private mutating func fields(_ read: (TraceField, inout EventDecoder) -> Bool) {
        while let field = cursor.field() {
            if !read(field, &self), let type = TraceSchema.shared.type(of: field, in: kind) { cursor.skip(type) }
        }
    }

    private mutating func int() -> Int { cursor.int() }
    private mutating func bool() -> Bool { cursor.bool() }
    private mutating func string() -> String { strings[cursor.stringID()] }

    /// Reads `field` into `site` when it is one of a call site's.
    private mutating func site(_ field: TraceField, into site: inout CallSite) -> Bool {
        switch field {
        case .line: site.line = int()
        case .column: site.column = int()
        case .endColumn: site.endColumn = int()
        case .file: site.file = string()
        case .frame: site.frame = string()
        default: return false
        }
        return true
    }

    // MARK: One handler per kind

    private static func tensor(_ d: inout EventDecoder) -> Event {
        var t = TensorInfo(id: 0, counter: 0, storage: 0, shape: [], dtype: "", requiresGrad: false)
        d.fields { field, d in
            switch field {
            case .tensor: t.id = d.int()
            case .counter: t.counter = d.int()
            case .storage: t.storage = d.int()
            case .shape: t.shape = d.cursor.ints()
            case .dtype: t.dtype = d.string()
            case .requiresGrad: t.requiresGrad = d.bool()
            case .base: t.base = d.int()
            case .param: t.isParameter = d.bool()
            case .values where d.previews: t.values = d.cursor.doubles()
            default: return false
            }
            return true
        }
        return .tensor(t)
    }

    private static func op(_ d: inout EventDecoder) -> Event {
        var o = OpRecord(index: 0, name: "", call: "", site: CallSite(line: 0), gradMode: false, inputs: [], outputs: [])
        d.fields { field, d in
            switch field {
            case .index: o.index = d.int()
            case .name: o.name = d.string()
            case .call: o.call = d.string()
            case .gradMode: o.gradMode = d.bool()
            case .inputs: o.inputs = d.cursor.tensorVersions()
            case .out: o.outputs = d.cursor.tensorVersions()
            case .inPlace: o.isInPlace = d.bool()
            case .view: o.isView = d.bool()
            default: return d.site(field, into: &o.site)
            }
            return true
        }
        return .op(o)
    }

    private static func node(_ d: inout EventDecoder) -> Event {
        var n = NodeRecord(id: 0, name: "", sequenceNr: 0, op: nil, next: [])
        d.fields { field, d in
            switch field {
            case .node: n.id = d.int()
            case .name: n.name = d.string()
            case .sequenceNr: n.sequenceNr = d.cursor.sequenceNr()
            case .op: n.op = d.int()
            case .next: n.next = d.cursor.edges()
            case .variable: n.variable = d.int()
            default: return false
            }
            return true
        }
        return .node(n)
    }

    private static func gradFn(_ d: inout EventDecoder) -> Event {
        var g = GradFnChange(tensor: 0, node: nil, outputNr: 0, requiresGrad: false, version: 0)
        d.fields { field, d in
            switch field {
            case .tensor: g.tensor = d.int()
            case .node: g.node = d.int()
            case .outputNr: g.outputNr = d.int()
            case .requiresGrad: g.requiresGrad = d.bool()
            case .version: g.version = d.int()
            default: return false
            }
            return true
        }
        return .gradFn(g)
    }

    private static func save(_ d: inout EventDecoder) -> Event {
        var s = SavedSlot(node: 0, slot: "", tensor: 0, savedVersion: 0, isOutput: false, shape: [])
        d.fields { field, d in
            switch field {
            case .node: s.node = d.int()
            case .slot: s.slot = d.string()
            case .tensor: s.tensor = d.int()
            case .version: s.savedVersion = d.int()
            case .out: s.isOutput = d.bool()
            case .outputNr: s.outputNr = d.int()
            case .shape: s.shape = d.cursor.ints()
            default: return false
            }
            return true
        }
        return .save(s)
    }

    private static func bump(_ d: inout EventDecoder) -> Event {
        var b = VersionBump(counter: 0, tensor: 0, from: 0, to: 0, op: 0)
        d.fields { field, d in
            switch field {
            case .counter: b.counter = d.int()
            case .tensor: b.tensor = d.int()
            case .from: b.from = d.int()
            case .to: b.to = d.int()
            case .op: b.op = d.int()
            default: return false
            }
            return true
        }
        return .bump(b)
    }

    private static func values(_ d: inout EventDecoder) -> Event {
        var v = TensorValues(tensor: 0, shape: [], values: [])
        d.fields { field, d in
            switch field {
            case .tensor: v.tensor = d.int()
            case .shape: v.shape = d.cursor.ints()
            case .values where d.previews: v.values = d.cursor.doubles()
            default: return false
            }
            return true
        }
        return .values(v)
    }

    private static func binding(_ d: inout EventDecoder) -> Event {
        var b = Binding(name: "", tensor: 0, line: 0)
        d.fields { field, d in
            switch field {
            case .name: b.name = d.string()
            case .tensor: b.tensor = d.int()
            case .line: b.line = d.int()
            default: return false
            }
            return true
        }
        return .binding(b)
    }

    private static func output(_ d: inout EventDecoder) -> Event {
        var text = ""
        d.fields { field, d in
            guard field == .text else { return false }
            text = d.string()
            return true
        }
        return .output(text)
    }

    private static func error(_ d: inout EventDecoder) -> Event {
        var e = RaisedError(type: "", message: "", site: CallSite(line: 0))
        d.fields { field, d in
            switch field {
            case .type: e.type = d.string()
            case .message: e.message = d.string()
            case .backward: e.backward = d.int()
            default: return d.site(field, into: &e.site)
            }
            return true
        }
        return .error(e)
    }

    private static func backward(_ d: inout EventDecoder) -> Event {
        var b = BackwardCall(id: 0, roots: [], site: CallSite(line: 0), retainGraph: false)
        d.fields { field, d in
            switch field {
            case .backward: b.id = d.int()
            case .roots: b.roots = d.cursor.rootEdges()
            case .retain: b.retainGraph = d.bool()
            default: return d.site(field, into: &b.site)
            }
            return true
        }
        return .backward(b)
    }

    /// The backward call, node and gradients of a `run` or `result` event.
    private mutating func nodeStep() -> (backward: Int, node: Int, grads: [TensorValues?]) {
        var step = (backward: 0, node: 0, grads: [TensorValues?]())
        fields { field, d in
            switch field {
            case .backward: step.backward = d.int()
            case .node: step.node = d.int()
            case .grads: step.grads = d.cursor.grads()
            default: return false
            }
            return true
        }
        return step
    }

    private static func nodeRun(_ d: inout EventDecoder) -> Event {
        let step = d.nodeStep()
        return .nodeRun(NodeRun(backward: step.backward, node: step.node, incoming: step.grads))
    }

    private static func nodeResult(_ d: inout EventDecoder) -> Event {
        let step = d.nodeStep()
        return .nodeResult(NodeResult(backward: step.backward, node: step.node, outgoing: step.grads))
    }

    private static func release(_ d: inout EventDecoder) -> Event {
        var node = 0
        d.fields { field, d in
            guard field == .node else { return false }
            node = d.int()
            return true
        }
        return .release(node: node)
    }

    private static func backwardEnd(_ d: inout EventDecoder) -> Event {
        var e = BackwardEnd(backward: 0)
        d.fields { field, d in
            switch field {
            case .backward: e.backward = d.int()
            case .failedNode: e.failedNode = d.int()
            case .slot: e.failedSlot = d.string()
            case .message: e.message = d.string()
            default: return false
            }
            return true
        }
        return .backwardEnd(e)
    }

    private static func exit(_ d: inout EventDecoder) -> Event {
        var code = 0
        d.fields { field, d in
            guard field == .code else { return false }
            code = d.int()
            return true
        }
        return .exit(code: code)
    }
}
