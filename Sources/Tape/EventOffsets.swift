/// Where each event of an `EventStore` begins in its byte buffer: 4 bytes an event instead of 8.
///
/// Each offset is kept as its low 32 bits; `wraps` notes the events at which the offsets
/// crossed another multiple of 4 GiB (none below 4 GiB of events, about 110 million of them),
/// so any size still reads back exactly.
struct EventOffsets: Sendable {
    private var low: [UInt32] = []
    /// `wraps[k]` is the first event whose offset is at least `(k + 1) << 32`.
    private var wraps: [Int] = []

    var count: Int { low.count }
    var capacity: Int { low.capacity }

    /// Bytes held by the offsets in use.
    var footprint: Int { low.count * 4 + wraps.count * 8 }

    /// The offset of event `index`.
    @inline(__always)
    subscript(index: Int) -> Int {
        let offset = Int(low[index])
        if _fastPath(wraps.isEmpty) { return offset }
        return offset + wraps.countBefore(index + 1) << 32
    }

    /// Appends the offset of the next event; offsets never decrease.
    @inline(__always)
    mutating func append(_ offset: Int) {
        while _slowPath(offset >> 32 > wraps.count) { wraps.append(low.count) }
        low.append(UInt32(truncatingIfNeeded: offset))
    }

    /// Appends `other`'s offsets, each plus `shift` (a chunk's events after this store's bytes).
    mutating func append(contentsOf other: EventOffsets, adding shift: Int) {
        guard other.count > 0 else { return }
        guard other.wraps.isEmpty, (shift + other[other.count - 1]) >> 32 == wraps.count else {
            for event in 0..<other.count { append(shift + other[event]) }
            return
        }
        // None crosses 4 GiB: the low words are the other's plus the shift's low word.
        let lowShift = UInt32(truncatingIfNeeded: shift)
        low.append(contentsOf: other.low.lazy.map { $0 &+ lowShift })
    }

    /// Removes the last `k` offsets.
    mutating func removeLast(_ k: Int) {
        low.removeLast(k)
        while let last = wraps.last, last >= low.count { wraps.removeLast() }
    }

    mutating func removeAll(keepingCapacity: Bool) {
        low.removeAll(keepingCapacity: keepingCapacity)
        wraps.removeAll()
    }

    mutating func reserveCapacity(_ events: Int) { low.reserveCapacity(events) }

    /// The offsets of events `0..<end`.
    func prefix(events end: Int) -> EventOffsets {
        var prefix = EventOffsets()
        prefix.low = Array(low[..<end])
        prefix.wraps = wraps.filter { $0 < end }
        return prefix
    }

    /// A copy without spare capacity.
    func trimmed() -> EventOffsets {
        var copy = self
        copy.low = low.exactCopy()
        return copy
    }

    /// Calls `body` with the offsets read through a pointer, without the array's bounds checks
    /// (for scans over every event).
    func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeView) throws(E) -> R) throws(E) -> R {
        try low.withUnsafeBufferPointer { (low) throws(E) in try body(UnsafeView(low: low, wraps: wraps)) }
    }

    /// The offsets seen through a pointer to their low words, valid inside `withUnsafeBufferPointer`.
    struct UnsafeView {
        let low: UnsafeBufferPointer<UInt32>
        let wraps: [Int]

        @inline(__always)
        subscript(index: Int) -> Int {
            let offset = Int(low[index])
            if _fastPath(wraps.isEmpty) { return offset }
            return offset + wraps.countBefore(index + 1) << 32
        }
    }

    /// Calls `body` with the start address and the bytes of the reserved low words (for `madvise`).
    func withReservedBytes<R>(_ body: (UnsafeRawPointer?, Int) -> R) -> R {
        low.withUnsafeBufferPointer { body(UnsafeRawPointer($0.baseAddress), low.capacity * 4) }
    }
}

extension EventOffsets: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { low.count }
}
