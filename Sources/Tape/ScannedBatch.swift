/// A run of consecutive events as a whole-tape scan reads them (`Tape.read(_:into:)`): each
/// event's `EventSummary`, an op's inputs and outputs and a node's `next_functions`, kept in
/// buffers reused from run to run (the Debugger's index reads a tape 1,024 events at a time);
/// `forEach` hands out each event as a `ScannedEvent` that points into the batch, without
/// copying its summary, and is inlinable so that the caller's body is inlined into its loop.
///
/// Not thread-safe: a batch must be filled and read by one thread at a time.
public final class ScannedBatch: @unchecked Sendable {
    /// Where an event's lists are in the batch's list buffers: an op's inputs and outputs in
    /// `tensorVersions`, a node's edges in `edges` (counts 0 for the other kinds).
    @usableFromInline struct Spans {
        @usableFromInline var inputs: Int32 = 0
        @usableFromInline var inputCount: Int32 = 0
        @usableFromInline var outputs: Int32 = 0
        @usableFromInline var outputCount: Int32 = 0
        @usableFromInline var edges: Int32 = 0
        @usableFromInline var edgeCount: Int32 = 0

        init() {}
    }

    // The `var`s are read and written by one thread at a time (see above) and never while a
    // pointer into them is held, so their dynamic exclusivity checks (a runtime call per access,
    // ≈ 60 instructions an event in `fill`) are turned off.

    /// The positions of the events the batch holds.
    @exclusivity(unchecked) public private(set) var range: Range<Int> = 0..<0
    /// The most events a batch holds.
    public let capacity: Int
    @usableFromInline let summaries: UnsafeMutablePointer<EventSummary>
    @usableFromInline let spans: UnsafeMutablePointer<Spans>
    @exclusivity(unchecked) @usableFromInline var tensorVersions: UnsafeMutablePointer<TensorVersion>
    @exclusivity(unchecked) private var tensorVersionCapacity: Int
    @exclusivity(unchecked) @usableFromInline var edges: UnsafeMutablePointer<Edge?>
    @exclusivity(unchecked) private var edgeCapacity: Int

    /// An empty batch for up to `capacity` events.
    public init(capacity: Int) {
        precondition(capacity > 0, "a batch holds at least one event")
        self.capacity = capacity
        summaries = .allocate(capacity: capacity)
        summaries.initialize(repeating: EventSummary(kind: .tensor), count: capacity)
        spans = .allocate(capacity: capacity)
        spans.initialize(repeating: Spans(), count: capacity)
        tensorVersionCapacity = capacity * 2
        tensorVersions = .allocate(capacity: tensorVersionCapacity)
        edgeCapacity = capacity
        edges = .allocate(capacity: edgeCapacity)
    }

    deinit {
        summaries.deallocate()
        spans.deallocate()
        tensorVersions.deallocate()
        edges.deallocate()
    }

    /// Calls `body` with each event of the batch, in order, until it returns false; returns
    /// whether every call returned true. The event points into the batch: valid only during the call.
    @inlinable
    public func forEach(_ body: (_ position: Int, _ event: ScannedEvent) -> Bool) -> Bool {
        let (first, summaries, spans) = (range.lowerBound, summaries, spans)
        let (tensorVersions, edges) = (UnsafePointer(self.tensorVersions), UnsafePointer(self.edges))
        for offset in 0..<range.count {
            let event = ScannedEvent(
                summaryPointer: UnsafePointer(summaries + offset), spans: UnsafePointer(spans + offset),
                tensorVersions: tensorVersions, edges: edges)
            guard body(first + offset, event) else { return false }
        }
        return true
    }

    /// Reads events `range` of `store` into the batch, replacing what it held.
    func fill(from store: EventStore<[UInt8]>, range: Range<Int>) {
        precondition(range.count <= capacity && range.upperBound <= store.count, "batch range out of bounds")
        self.range = range
        store.bytes.withUnsafeBufferPointer { buffer in
            store.starts.withUnsafeBufferPointer { starts in
                TraceSchema.shared.types.withUnsafeBufferPointer { types in
                    // Locals of the innermost closure, so kept in registers (captured from
                    // outside it, they were loaded from memory per event).
                    var tensorVersionCount = 0
                    var edgeCount = 0
                    let base = buffer.baseAddress!
                    let count = starts.low.count
                    // Each event ends where the next begins: one offset read an event, its low
                    // word alone when no offset crosses 4 GiB (tested once, not per event).
                    let narrow = starts.wraps.isEmpty
                    var begin = range.isEmpty ? 0 : starts[range.lowerBound]
                    for index in range {
                        let next = index &+ 1
                        let end = next < count ? (narrow ? Int(starts.low[next]) : starts[next]) : buffer.count
                        let offset = index &- range.lowerBound
                        read(Event.Kind(stored: base[begin])!, EventCursor(base: base, position: begin &+ 1, end: end), types: types,
                             into: summaries + offset, spans: spans + offset, tensorVersionCount: &tensorVersionCount, edgeCount: &edgeCount)
                        begin = end
                    }
                }
            }
        }
    }

    /// Reads the event of `kind` whose fields `c` points at into `summary` and `spans`, its lists
    /// appended to the list buffers; `types` is `TraceSchema.types`. A list stored twice counts
    /// once, by its last copy, as in the full decoder.
    @inline(__always)
    private func read(
        _ kind: Event.Kind, _ c: EventCursor, types: UnsafeBufferPointer<UInt8>,
        into summary: UnsafeMutablePointer<EventSummary>, spans: UnsafeMutablePointer<Spans>,
        tensorVersionCount: inout Int, edgeCount: inout Int
    ) {
        summary.pointee.reset(kind)
        spans.pointee = Spans()
        var inOrder = c
        var (tensorVersionsRead, edgesRead) = (tensorVersionCount, edgeCount)
        if readInOrder(kind, &inOrder, into: summary, spans: spans, tensorVersionCount: &tensorVersionsRead, edgeCount: &edgesRead) {
            (tensorVersionCount, edgeCount) = (tensorVersionsRead, edgesRead)
            return
        }
        (tensorVersionCount, edgeCount) = readAnyOrder(
            kind, c, types: types, into: summary, spans: spans, tensorVersionCount: tensorVersionCount, edgeCount: edgeCount)
    }

    /// Reads the event as `read` does, its fields in any order (`readInOrder` gave up on it);
    /// returns the list buffers' new counts. Kept a call, handed the cursor and counts by value:
    /// inlined, it made the compiler leave `EventSummary.read` a call, which kept the in-order
    /// reads' cursor in memory (a store of its position per value read).
    @inline(never)
    private func readAnyOrder(
        _ kind: Event.Kind, _ c: EventCursor, types: UnsafeBufferPointer<UInt8>,
        into summary: UnsafeMutablePointer<EventSummary>, spans: UnsafeMutablePointer<Spans>,
        tensorVersionCount: Int, edgeCount: Int
    ) -> (tensorVersionCount: Int, edgeCount: Int) {
        var (c, tensorVersionCount, edgeCount) = (c, tensorVersionCount, edgeCount)
        summary.pointee.reset(kind)
        spans.pointee = Spans()
        while let field = c.field() {
            switch field {
            case .inputs where kind == .op: readInputs(&c, into: spans, count: &tensorVersionCount)
            case .out where kind == .op: readOutputs(&c, into: spans, count: &tensorVersionCount)
            case .next where kind == .node: readEdges(&c, into: spans, count: &edgeCount)
            default:
                if !summary.pointee.read(field, of: kind, from: &c) {
                    let raw = types[Int(kind.rawValue) << 6 | Int(field.rawValue)]
                    guard raw != 0 else { continue }
                    // Every type skipped here rather than through `skip`, which the compiler
                    // left a call: the cursor, passed to it, then lived in memory, and each
                    // field read stored its position (the call and that were ≈ 40 instructions
                    // an event of the Debugger's index). The one-value types (names, lines,
                    // columns, flags) are most skipped fields of a recorded trace.
                    switch FieldType(stored: raw - 1)! {
                    case .int, .uint64, .string:
                        while c.base[c.position] >= 0x80 { c.position &+= 1 }
                        c.position &+= 1
                    case .bool: c.position &+= 1
                    case .ints: c.skipVarints(Int(c.varint()))
                    case .pairs: c.skipVarints(2 * Int(c.varint()))
                    case .edges: c.skipEdges()
                    case .doubles: c.skipDoubles()
                    case .grads: c.skipGrads()
                    }
                }
            }
        }
        return (tensorVersionCount, edgeCount)
    }

    /// Reads an event whose fields are in the order the trace writer emits them (the schema's,
    /// each at most once: every writer's order, so nearly every event of a scan) the way `read`'s
    /// field loop would, testing each expected tag instead of dispatching on the tag found and
    /// skipping each unread field by its known type; false, part read, as soon as the event
    /// departs from that order, and for the rare kinds, which the field loop then reads. (The
    /// loop's dispatch, type lookup and per-field end test were ≈ 20 of the ≈ 30 instructions a
    /// field of the Debugger's index.)
    @inline(__always)
    private func readInOrder(
        _ kind: Event.Kind, _ c: inout EventCursor, into summary: UnsafeMutablePointer<EventSummary>,
        spans: UnsafeMutablePointer<Spans>, tensorVersionCount: inout Int, edgeCount: inout Int
    ) -> Bool {
        var present: UInt32 = 0
        func int(_ field: TraceField, _ slot: EventSummary.Slot) -> Bool {
            summary.pointee.readInt(field, into: slot, from: &c, present: &present)
        }
        switch kind {
        case .tensor:
            guard int(.tensor, .tensor), int(.counter, .counter), int(.storage, .storage), c.skipInts(.shape), c.skipVarint(.dtype),
                  summary.pointee.readFlag(.requiresGrad, into: .requiresGrad, from: &c, present: &present) else { return false }
            _ = int(.base, .base)
            _ = c.skipFlag(.param)
            _ = c.skipDoubles(.values)
        case .op:
            guard int(.index, .op), summary.pointee.readString(.name, into: .name, from: &c, present: &present) else { return false }
            _ = summary.pointee.readString(.call, into: .call, from: &c, present: &present)
            guard int(.line, .line) else { return false }
            _ = c.skipVarint(.column)
            _ = c.skipVarint(.endColumn)
            _ = c.skipVarint(.file)
            _ = c.skipVarint(.frame)
            guard c.skipFlag(.gradMode), c.take(.inputs) else { return false }
            readInputs(&c, into: spans, count: &tensorVersionCount)
            guard c.take(.out) else { return false }
            readOutputs(&c, into: spans, count: &tensorVersionCount)
            _ = c.skipFlag(.inPlace)
            _ = c.skipFlag(.view)
        case .node:
            guard int(.node, .node), summary.pointee.readString(.name, into: .name, from: &c, present: &present),
                  summary.pointee.readSequenceNr(from: &c, present: &present) else { return false }
            _ = int(.op, .op)
            if c.take(.next) { readEdges(&c, into: spans, count: &edgeCount) }
            _ = int(.variable, .variable)
        case .gradFn:
            guard int(.tensor, .tensor) else { return false }
            _ = int(.node, .node)
            guard int(.outputNr, .outputNr), summary.pointee.readFlag(.requiresGrad, into: .requiresGrad, from: &c, present: &present),
                  int(.version, .version) else { return false }
        case .save:
            guard int(.node, .node), summary.pointee.readString(.slot, into: .slot, from: &c, present: &present),
                  int(.tensor, .tensor), int(.version, .version),
                  summary.pointee.readFlag(.out, into: .isOutput, from: &c, present: &present) else { return false }
            _ = int(.outputNr, .outputNr)
            guard c.skipInts(.shape) else { return false }
        case .bump:
            guard int(.counter, .counter), int(.tensor, .tensor), int(.from, .from), int(.to, .to), int(.op, .op) else { return false }
        case .values:
            guard int(.tensor, .tensor), c.skipInts(.shape), c.skipDoubles(.values) else { return false }
        case .binding:
            guard summary.pointee.readString(.name, into: .name, from: &c, present: &present), int(.tensor, .tensor),
                  int(.line, .line) else { return false }
        case .nodeRun, .nodeResult:
            guard int(.backward, .backward), int(.node, .node) else { return false }
            _ = c.skipGrads(.grads)
        case .release:
            guard int(.node, .node) else { return false }
        case .output:
            guard c.skipVarint(.text) else { return false }
        case .error, .backward, .backwardEnd, .exit:
            return false
        }
        summary.pointee.setPresent(present)
        return c.isAtEnd
    }

    /// Reads an op's `in` list into the span of its inputs.
    @inline(__always)
    private func readInputs(_ c: inout EventCursor, into spans: UnsafeMutablePointer<Spans>, count: inout Int) {
        spans.pointee.inputs = Int32(count)
        spans.pointee.inputCount = Int32(readTensorVersions(&c, count: &count))
    }

    /// Reads an op's `out` list into the span of its outputs.
    @inline(__always)
    private func readOutputs(_ c: inout EventCursor, into spans: UnsafeMutablePointer<Spans>, count: inout Int) {
        spans.pointee.outputs = Int32(count)
        spans.pointee.outputCount = Int32(readTensorVersions(&c, count: &count))
    }

    /// Reads a node's `next` list into `edges` and the span of its edges.
    @inline(__always)
    private func readEdges(_ c: inout EventCursor, into spans: UnsafeMutablePointer<Spans>, count edgeCount: inout Int) {
        let n = Int(c.varint())
        reserveEdges(used: edgeCount, needed: edgeCount + n)
        spans.pointee.edges = Int32(edgeCount)
        spans.pointee.edgeCount = Int32(n)
        for _ in 0..<n {
            (edges + edgeCount).initialize(to: c.bool() ? Edge(node: c.int(), inputNr: c.int()) : nil)
            edgeCount += 1
        }
    }

    /// Appends a list of (tensor, version) pairs to `tensorVersions`; returns its length.
    @inline(__always)
    private func readTensorVersions(_ c: inout EventCursor, count: inout Int) -> Int {
        let n = Int(c.varint())
        reserveTensorVersions(used: count, needed: count + n)
        for _ in 0..<n {
            let tensor = c.int()
            (tensorVersions + count).initialize(to: TensorVersion(tensor: tensor, version: c.int()))
            count += 1
        }
        return n
    }

    /// Grows `tensorVersions` to hold `needed` pairs, keeping the first `used`.
    @inline(__always)
    private func reserveTensorVersions(used: Int, needed: Int) {
        guard needed > tensorVersionCapacity else { return }
        let capacity = max(needed, tensorVersionCapacity * 2)
        let grown = UnsafeMutablePointer<TensorVersion>.allocate(capacity: capacity)
        grown.moveInitialize(from: tensorVersions, count: used)
        tensorVersions.deallocate()
        (tensorVersions, tensorVersionCapacity) = (grown, capacity)
    }

    /// Grows `edges` to hold `needed` edges, keeping the first `used`.
    @inline(__always)
    private func reserveEdges(used: Int, needed: Int) {
        guard needed > edgeCapacity else { return }
        let capacity = max(needed, edgeCapacity * 2)
        let grown = UnsafeMutablePointer<Edge?>.allocate(capacity: capacity)
        grown.moveInitialize(from: edges, count: used)
        edges.deallocate()
        (edges, edgeCapacity) = (grown, capacity)
    }
}
