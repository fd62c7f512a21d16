/// The scalar fields of one event — the ids it names (tensor, node, op, backward call, version
/// counter, storage, base, leaf), its versions, flags and line, and its names (and an op's call)
/// as interned string ids — read from a tape's compact storage in one pass without building strings, arrays or an
/// `Event`, for indexes that scan a whole tape and keep only these. An op's inputs and outputs
/// and a node's `next_functions` are read in place by `Tape.forEachTensorVersion(ofOpAt:_:)` and
/// `Tape.appendEdges(ofNodeAt:to:)`; names come from `Tape.internedString(_:)`.
///
/// A field the event does not have is nil (or 0 / false for the non-optional ones, the default
/// the full decoder gives a missing field).
public struct EventSummary: Hashable, Sendable {
    public var kind: Event.Kind
    /// `t`: the tensor the event announces, changes, saves, writes through or previews.
    public var tensor: Int?
    /// `n`: the node it creates, saves for, runs or releases.
    public var node: Int?
    /// The op index of an `op` event (`i`), or the op that made a node or bump (`op`).
    public var op: Int?
    /// `b`: the backward call.
    public var backward: Int?
    /// `vc`: the version counter of a tensor or bump.
    public var counter: Int?
    /// The base tensor of a view.
    public var base: Int?
    /// The source line of an op, binding, error or backward call.
    public var line: Int?
    /// `st`: a tensor's storage.
    public var storage = 0
    /// `v`: the version a grad_fn change or a save recorded.
    public var version = 0
    /// `from` and `to` of a version bump.
    public var from = 0
    public var to = 0
    /// `nr`: the output number of a grad_fn change or a saved output.
    public var outputNr = 0
    /// `seq`: a node's sequence_nr.
    public var sequenceNr: UInt64 = 0
    /// `rg`: requires_grad of a tensor or grad_fn change.
    public var requiresGrad = false
    /// `out` of a save: whether the saved tensor is an output of the saving node.
    public var isOutput = false
    /// `var`: the leaf tensor of an AccumulateGrad node.
    public var variable: Int?
    /// The interned id of `name` (an op's aten name, a node's grad_fn name, a bound name).
    public var name: Int?
    /// The interned id of `slot` (a saved slot's name).
    public var slot: Int?
    /// The interned id of an op's `call` (`torch.mm`, `*`).
    public var call: Int?

    public init(kind: Event.Kind) {
        self.kind = kind
    }
}

extension EventStore where Bytes == [UInt8] {
    /// The scalar fields of event `index`, skipping every list field without allocating.
    func summary(at index: Int) -> EventSummary {
        let range = fieldRange(of: index)
        let kind = self.kind(at: index)
        return bytes.withUnsafeBufferPointer { buffer in
            var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
            var summary = EventSummary(kind: kind)
            while let field = c.field() {
                switch field {
                case .tensor: summary.tensor = c.int()
                case .node: summary.node = c.int()
                case .index, .op: summary.op = c.int()
                case .backward: summary.backward = c.int()
                case .counter: summary.counter = c.int()
                case .base: summary.base = c.int()
                case .line: summary.line = c.int()
                case .storage: summary.storage = c.int()
                case .version: summary.version = c.int()
                case .from: summary.from = c.int()
                case .to: summary.to = c.int()
                case .outputNr: summary.outputNr = c.int()
                case .sequenceNr: summary.sequenceNr = c.sequenceNr()
                case .requiresGrad: summary.requiresGrad = c.bool()
                case .out where kind == .save: summary.isOutput = c.bool()
                case .variable: summary.variable = c.int()
                case .name: summary.name = c.stringID()
                case .slot: summary.slot = c.stringID()
                case .call where kind == .op: summary.call = c.stringID()
                default: if let type = TraceSchema.shared.type(of: field, in: kind) { c.skip(type) }
                }
            }
            return summary
        }
    }

    /// Calls `body` with each input (`isOutput` false), then each output of op event `index`,
    /// read in place. Any other kind of event has none. A list stored twice counts once, by its
    /// last copy, as in the full decoder.
    func forEachTensorVersion<E: Error>(ofOpAt index: Int, _ body: (TensorVersion, _ isOutput: Bool) throws(E) -> Void) throws(E) {
        guard kind(at: index) == .op else { return }
        let range = fieldRange(of: index)
        try bytes.withUnsafeBufferPointer { buffer throws(E) in
            var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
            var inputs: Int?
            var outputs: Int?
            while let field = c.field() {
                if field == .inputs { inputs = c.position }
                if field == .out { outputs = c.position }
                if let type = TraceSchema.shared.type(of: field, in: .op) { c.skip(type) }
            }
            for pass in 0..<2 {
                let isOutput = pass == 1
                guard let start = isOutput ? outputs : inputs else { continue }
                c.position = start
                for _ in 0..<Int(c.varint()) {
                    let tensor = c.int()
                    try body(TensorVersion(tensor: tensor, version: c.int()), isOutput)
                }
            }
        }
    }

    /// Appends the `next_functions` of node event `index` to `edges`, read in place; returns how
    /// many it appended (none for any other kind of event; a list stored twice counts by its last copy).
    @discardableResult
    func appendEdges(ofNodeAt index: Int, to edges: inout [Edge?]) -> Int {
        guard kind(at: index) == .node else { return 0 }
        let range = fieldRange(of: index)
        return bytes.withUnsafeBufferPointer { buffer in
            var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
            var appended = 0
            while let field = c.field() {
                guard field == .next else {
                    if let type = TraceSchema.shared.type(of: field, in: .node) { c.skip(type) }
                    continue
                }
                edges.removeLast(appended)
                let count = Int(c.varint())
                for _ in 0..<count {
                    if c.bool() {
                        let node = c.int()
                        edges.append(Edge(node: node, inputNr: c.int()))
                    } else {
                        edges.append(nil)
                    }
                }
                appended = count
            }
            return appended
        }
    }
}
