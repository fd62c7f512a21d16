/// One event as a whole-tape scan (`Tape.scan(_:)`) reads it: its `EventSummary` and, read in
/// place into storage the scan reuses from event to event, an op's inputs and outputs and a
/// node's `next_functions` (empty for every other kind). Valid only during the call that receives it.
public struct ScannedEvent: Sendable {
    public internal(set) var summary = EventSummary(kind: .tensor)
    /// The lists' storage, longer than this event's lists after a longer earlier one.
    @usableFromInline var inputStorage: [TensorVersion] = []
    @usableFromInline var outputStorage: [TensorVersion] = []
    @usableFromInline var edgeStorage: [Edge?] = []
    @usableFromInline var inputCount = 0
    @usableFromInline var outputCount = 0
    @usableFromInline var edgeCount = 0

    init() {}

    /// An op's inputs (`in`), by their last copy when the line repeats the key.
    @inlinable public var inputs: ArraySlice<TensorVersion> { inputStorage[..<inputCount] }
    /// An op's outputs (`out`), by their last copy.
    @inlinable public var outputs: ArraySlice<TensorVersion> { outputStorage[..<outputCount] }
    /// A node's `next_functions`, nil where an input needs no gradient, by their last copy.
    @inlinable public var edges: ArraySlice<Edge?> { edgeStorage[..<edgeCount] }

    // Each list read in place, without the slice the properties above make: a slice retains the
    // storage and releases it through its type metadata, ≈ 85 instructions per list and event
    // of a whole-tape index (issue 9).

    /// Calls `body` with each of `inputs` in order.
    @inlinable public func forEachInput<E: Error>(_ body: (TensorVersion) throws(E) -> Void) throws(E) {
        for i in 0..<inputCount { try body(inputStorage[i]) }
    }

    /// Calls `body` with each of `outputs` in order.
    @inlinable public func forEachOutput<E: Error>(_ body: (TensorVersion) throws(E) -> Void) throws(E) {
        for i in 0..<outputCount { try body(outputStorage[i]) }
    }

    /// Calls `body` with each of `edges` in order.
    @inlinable public func forEachEdge<E: Error>(_ body: (Edge?) throws(E) -> Void) throws(E) {
        for i in 0..<edgeCount { try body(edgeStorage[i]) }
    }

    /// Reads the event of `kind` whose fields `c` points at; `types` is `TraceSchema.types`.
    @inline(__always)
    mutating func read(_ kind: Event.Kind, _ c: inout EventCursor, types: UnsafeBufferPointer<UInt8>) {
        summary.reset(kind)
        (inputCount, outputCount, edgeCount) = (0, 0, 0)
        while let field = c.field() {
            switch field {
            case .inputs where kind == .op:
                inputCount = Self.readTensorVersions(&c, into: &inputStorage)
            case .out where kind == .op:
                outputCount = Self.readTensorVersions(&c, into: &outputStorage)
            case .next where kind == .node:
                edgeCount = Self.read(&c, count: Int(c.varint()), into: &edgeStorage) { c in
                    c.bool() ? Edge(node: c.int(), inputNr: c.int()) : nil
                }
            default:
                if !summary.read(field, of: kind, from: &c) {
                    let raw = types[Int(kind.rawValue) << 6 | Int(field.rawValue)]
                    if raw != 0 { c.skip(FieldType(stored: raw - 1)!) }
                }
            }
        }
    }

    @inline(__always)
    private static func readTensorVersions(_ c: inout EventCursor, into storage: inout [TensorVersion]) -> Int {
        read(&c, count: Int(c.varint()), into: &storage) { c in
            let tensor = c.int()
            return TensorVersion(tensor: tensor, version: c.int())
        }
    }

    /// Reads `count` elements into the front of `storage`, growing it when it is shorter;
    /// returns `count`.
    @inline(__always)
    private static func read<T>(
        _ c: inout EventCursor, count: Int, into storage: inout [T], _ element: (inout EventCursor) -> T
    ) -> Int {
        for offset in 0..<count {
            let value = element(&c)
            if offset < storage.count { storage[offset] = value } else { storage.append(value) }
        }
        return count
    }
}
