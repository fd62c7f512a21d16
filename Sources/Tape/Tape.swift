/// The recorded run: a header and its events in order.
///
/// Events are stored compactly (a few dozen bytes each: tagged varints in one flat buffer,
/// names interned once) and `subscript` decodes one on demand, so a million-event tape fits in
/// tens of megabytes and a view pays only for the rows it shows. The tape is indexed in one
/// place, the Debugger's `TapeIndex`; the tape itself only stores.
public struct Tape: Sendable {
    public var header: TraceHeader
    var store = EventStore<[UInt8]>()
    /// The file line of each event, for a tape read from a trace.
    var lines = TraceLines()
    /// What was wrong with the trace file that still let it load.
    public internal(set) var warnings: [TraceWarning] = []

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

    /// Appends an event at the end of the tape.
    public mutating func append(_ event: Event) {
        store.append(event)
    }

    /// The 1-based line of the trace file that event `index` was read from; nil for a tape
    /// that was not read from a file.
    public func traceLine(ofEvent index: Int) -> Int? { lines.line(of: index) }

    /// The kind of the event at `index`, read without decoding the event.
    public func kind(at index: Int) -> Event.Kind { store.kind(at: index) }

    /// The scalar fields of event `index` (its ids, versions, flags, line and interned names),
    /// read without decoding its strings and arrays (far cheaper than `self[index]` in a full scan).
    public func summary(at index: Int) -> EventSummary { store.summary(at: index) }

    /// Approximate heap bytes held by the events, their strings and the line map: the figure
    /// behind "bytes per event" in docs/benchmarks.md.
    public var memoryFootprint: Int {
        store.footprint + lines.footprint
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

extension Tape {
    /// Calls `body` with each input (`isOutput` false), then each output of the op event at
    /// `index`, read in place without building the op (nothing for another kind of event).
    public func forEachTensorVersion<E: Error>(
        ofOpAt index: Int, _ body: (TensorVersion, _ isOutput: Bool) throws(E) -> Void
    ) throws(E) {
        try store.forEachTensorVersion(ofOpAt: index, body)
    }

    /// How many events of each kind the tape holds, indexed by `Event.Kind.rawValue`.
    public func kindCounts() -> [Int] { store.kindCounts() }

    /// The string an `EventSummary` names by its interned id (`name`, `slot`).
    public func internedString(_ id: Int) -> String { store.strings[id] }

    /// The interned id of `string` when some event of the tape uses it, nil otherwise.
    public func internedID(of string: String) -> Int? { store.strings.id(of: string) }

    /// How many distinct strings the tape has interned (their ids are `0..<internedStringCount`).
    public var internedStringCount: Int { store.strings.count }
}
