/// The recorded run: a header and its events in order.
public struct Tape: Sendable {
    public var header: TraceHeader
    private var storage: [Event] = []

    public init(header: TraceHeader) {
        self.header = header
    }

    /// The number of events.
    public var count: Int { storage.count }

    /// The event at `index`, in the order it happened.
    public subscript(index: Int) -> Event { storage[index] }

    /// Appends an event at the end of the tape.
    public mutating func append(_ event: Event) {
        storage.append(event)
    }
}
