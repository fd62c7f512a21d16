/// The recorded run: a header and its events in order.
///
/// Events are stored compactly (a few dozen bytes each: tagged varints in one flat buffer,
/// names interned once) and `subscript` decodes one on demand, so a million-event tape fits in
/// tens of megabytes and a view pays only for the rows it shows. Appending also maintains the
/// indexes below (op, tensor, node and backward call → event; line → ops), which cost a few
/// bytes per indexed event.
public struct Tape: Sendable {
    public var header: TraceHeader
    var store = EventStore<[UInt8]>()
    /// The file line of each event, for a tape read from a trace.
    var lines = TraceLines()
    /// What was wrong with the trace file that still let it load.
    public internal(set) var warnings: [TraceWarning] = []
    private var opEvents = IDIndex()
    private var tensorEvents = IDIndex()
    private var nodeEvents = IDIndex()
    private var backwardEvents = IDIndex()
    private var lineOps = LineIndex()

    public init(header: TraceHeader) {
        self.header = header
    }

    /// The number of events.
    public var count: Int { store.count }

    /// The event at `index`, in the order it happened (decoded from compact storage on each access).
    public subscript(index: Int) -> Event { store.event(at: index) }

    /// The event at `index` without its values preview (`TensorInfo.values` and
    /// `TensorValues.values` empty), for indexes that keep everything but the numbers.
    public func eventWithoutPreview(at index: Int) -> Event { store.event(at: index, previews: false) }

    /// Appends an event at the end of the tape and indexes it.
    public mutating func append(_ event: Event) {
        index(store.append(event), event: store.count - 1)
    }

    /// Updates the indexes for stored event `event`.
    mutating func index(_ keys: IndexKeys, event: Int) {
        switch keys.kind {
        case .tensor: if let id = keys.id { tensorEvents.recordFirst(id, event: event) }
        case .node: if let id = keys.id { nodeEvents.recordFirst(id, event: event) }
        case .backward: if let id = keys.id { backwardEvents.recordFirst(id, event: event) }
        case .op:
            if let id = keys.id { opEvents.recordFirst(id, event: event) }
            if let line = keys.line { lineOps.append(event, line: line) }
        default: break
        }
    }

    /// The 1-based line of the trace file that event `index` was read from; nil for a tape
    /// that was not read from a file.
    public func traceLine(ofEvent index: Int) -> Int? { lines.line(of: index) }

    /// The kind of the event at `index`, read without decoding the event.
    public func kind(at index: Int) -> Event.Kind { store.kind(at: index) }

    /// The tensor, node, op, backward call, counter, base and line event `index` names, read
    /// without decoding its strings and arrays (far cheaper than `self[index]` in a full scan).
    public func summary(at index: Int) -> EventSummary { store.summary(at: index) }

    /// The index of the `.op` event with op index `op` ("op #12"), nil if there is none.
    public func eventIndex(ofOp op: Int) -> Int? { opEvents[op] }

    /// The index of the `.tensor` event that first announced tensor `id`, nil if there is none.
    public func eventIndex(ofTensor id: Int) -> Int? { tensorEvents[id] }

    /// The index of the `.node` event that created grad_fn node `id`, nil if there is none.
    public func eventIndex(ofNode id: Int) -> Int? { nodeEvents[id] }

    /// The index of the `.backward` event that started backward call `id`, nil if there is none.
    public func eventIndex(ofBackward id: Int) -> Int? { backwardEvents[id] }

    /// The indexes of the `.op` events issued from `line` of the traced program (ops whose
    /// `site.file` is nil), in order; empty when none were.
    public func opEvents(atLine line: Int) -> [Int] { lineOps[line] }

    /// Approximate heap bytes held by the events, their strings and the indexes: the figure
    /// behind "bytes per event" in docs/benchmarks.md.
    public var memoryFootprint: Int {
        store.footprint + opEvents.footprint + tensorEvents.footprint + nodeEvents.footprint
            + backwardEvents.footprint + lineOps.footprint
    }

    /// Releases spare capacity once a tape is complete (the trace reader calls this after loading).
    public mutating func trimCapacity() {
        store.trim()
    }
}

extension Tape: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { store.count }
}

extension Tape: Equatable {
    /// Tapes are equal when their headers and their events, in order, are equal.
    public static func == (lhs: Tape, rhs: Tape) -> Bool {
        lhs.header == rhs.header && lhs.elementsEqual(rhs)
    }
}
