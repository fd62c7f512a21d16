/// One event as a whole-tape scan (`Tape.scan(_:)`, `ScannedBatch`) reads it: its
/// `EventSummary` and an op's inputs and outputs and a node's `next_functions` (empty for every
/// other kind), all pointing into the batch that holds them. Valid only during the call that
/// receives it. (Pointers rather than a copy: the summary is 152 bytes, and copying it per event
/// was ≈ 30 instructions of a whole-tape index.)
public struct ScannedEvent {
    @usableFromInline let summaryPointer: UnsafePointer<EventSummary>
    @usableFromInline let inputPointer: UnsafePointer<TensorVersion>
    @usableFromInline let inputCount: Int
    @usableFromInline let outputPointer: UnsafePointer<TensorVersion>
    @usableFromInline let outputCount: Int
    @usableFromInline let edgePointer: UnsafePointer<Edge?>
    @usableFromInline let edgeCount: Int

    @inlinable
    init(
        summaryPointer: UnsafePointer<EventSummary>, inputs: UnsafePointer<TensorVersion>, inputCount: Int,
        outputs: UnsafePointer<TensorVersion>, outputCount: Int, edges: UnsafePointer<Edge?>, edgeCount: Int
    ) {
        self.summaryPointer = summaryPointer
        inputPointer = inputs
        self.inputCount = inputCount
        outputPointer = outputs
        self.outputCount = outputCount
        edgePointer = edges
        self.edgeCount = edgeCount
    }

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
        for i in 0..<inputCount { try body(inputPointer[i]) }
    }

    /// Calls `body` with each of `outputs` in order.
    @inlinable public func forEachOutput<E: Error>(_ body: (TensorVersion) throws(E) -> Void) throws(E) {
        for i in 0..<outputCount { try body(outputPointer[i]) }
    }

    /// Calls `body` with each of `edges` in order.
    @inlinable public func forEachEdge<E: Error>(_ body: (Edge?) throws(E) -> Void) throws(E) {
        for i in 0..<edgeCount { try body(edgePointer[i]) }
    }
}
