/// One event as a whole-tape scan (`Tape.scan(_:)`, `ScannedBatch`) reads it: its
/// `EventSummary` and an op's inputs and outputs and a node's `next_functions` (empty for every
/// other kind), all pointing into the batch that holds them. Valid only during the call that
/// receives it. (Pointers rather than a copy: the summary is 152 bytes, and copying it per event
/// was ≈ 30 instructions of a whole-tape index. The lists' spans are read when a list is asked
/// for, not when the event is made: loaded up front they were ≈ 30 instructions of every event,
/// three in four of which have no list.)
public struct ScannedEvent {
    @usableFromInline let summaryPointer: UnsafePointer<EventSummary>
    @usableFromInline let spans: UnsafePointer<ScannedBatch.Spans>
    /// The batch's list buffers, into which `spans` points.
    @usableFromInline let tensorVersions: UnsafePointer<TensorVersion>
    @usableFromInline let edgeBuffer: UnsafePointer<Edge?>

    @inlinable
    init(
        summaryPointer: UnsafePointer<EventSummary>, spans: UnsafePointer<ScannedBatch.Spans>,
        tensorVersions: UnsafePointer<TensorVersion>, edges: UnsafePointer<Edge?>
    ) {
        self.summaryPointer = summaryPointer
        self.spans = spans
        self.tensorVersions = tensorVersions
        edgeBuffer = edges
    }

    @inlinable var inputPointer: UnsafePointer<TensorVersion> { tensorVersions + Int(spans.pointee.inputs) }
    @inlinable var inputCount: Int { Int(spans.pointee.inputCount) }
    @inlinable var outputPointer: UnsafePointer<TensorVersion> { tensorVersions + Int(spans.pointee.outputs) }
    @inlinable var outputCount: Int { Int(spans.pointee.outputCount) }
    @inlinable var edgePointer: UnsafePointer<Edge?> { edgeBuffer + Int(spans.pointee.edges) }
    @inlinable var edgeCount: Int { Int(spans.pointee.edgeCount) }

    /// The event's scalar fields.
    @inlinable public var summary: EventSummary { summaryPointer.pointee }
    /// An op's inputs (`in`), by their last copy when the line repeats the key.
    @inlinable public var inputs: UnsafeBufferPointer<TensorVersion> { UnsafeBufferPointer(start: inputPointer, count: inputCount) }
    /// An op's outputs (`out`), by their last copy.
    @inlinable public var outputs: UnsafeBufferPointer<TensorVersion> { UnsafeBufferPointer(start: outputPointer, count: outputCount) }
    /// A node's `next_functions`, nil where an input needs no gradient, by their last copy.
    @inlinable public var edges: UnsafeBufferPointer<Edge?> { UnsafeBufferPointer(start: edgePointer, count: edgeCount) }

    /// Calls `body` with each of `inputs` in order.
    @inlinable public func forEachInput<E: Error>(_ body: (TensorVersion) throws(E) -> Void) throws(E) {
        let (first, count) = (inputPointer, inputCount)
        for i in 0..<count { try body(first[i]) }
    }

    /// Calls `body` with each of `outputs` in order.
    @inlinable public func forEachOutput<E: Error>(_ body: (TensorVersion) throws(E) -> Void) throws(E) {
        let (first, count) = (outputPointer, outputCount)
        for i in 0..<count { try body(first[i]) }
    }

    /// Calls `body` with each of `edges` in order.
    @inlinable public func forEachEdge<E: Error>(_ body: (Edge?) throws(E) -> Void) throws(E) {
        let (first, count) = (edgePointer, edgeCount)
        for i in 0..<count { try body(first[i]) }
    }
}
