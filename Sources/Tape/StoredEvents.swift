/// A tape's compact storage as a whole-tape scan (`Tape.scan(into:)`) reads it: the bytes and
/// where each event begins, through pointers, valid inside `EventStore.withStoredEvents(_:)`.
@usableFromInline
struct StoredEvents {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let byteCount: Int
    @usableFromInline let count: Int
    /// The offsets' low words, the whole offsets when `narrow` (none crosses 4 GiB).
    @usableFromInline let low: UnsafePointer<UInt32>
    @usableFromInline let narrow: Bool
    private let offsets: EventOffsets

    init(base: UnsafePointer<UInt8>, byteCount: Int, offsets: EventOffsets, view: EventOffsets.UnsafeView) {
        self.base = base
        self.byteCount = byteCount
        count = offsets.count
        low = view.low.baseAddress!
        narrow = view.wraps.isEmpty
        self.offsets = offsets
    }

    /// Where event `index` begins: its low word alone when no offset crosses 4 GiB (tested once
    /// a scan, not per event).
    @inlinable @inline(__always)
    func start(of index: Int) -> Int {
        narrow ? Int(low[index]) : wideStart(of: index)
    }

    @usableFromInline
    func wideStart(of index: Int) -> Int { offsets[index] }

    /// Where event `index` ends: where the next begins.
    @inlinable @inline(__always)
    func end(of index: Int) -> Int {
        index &+ 1 < count ? start(of: index &+ 1) : byteCount
    }
}

extension Tape {
    /// Calls `body` with the stored events seen through pointers (not at all for an empty tape).
    @usableFromInline
    func withStoredEvents<E: Error>(_ body: (StoredEvents) throws(E) -> Void) throws(E) {
        guard count > 0 else { return }
        let (bytes, starts) = (store.bytes, store.starts)
        try bytes.withUnsafeBufferPointer { (bytes) throws(E) in
            try starts.withUnsafeBufferPointer { (view) throws(E) in
                try body(StoredEvents(base: bytes.baseAddress!, byteCount: bytes.count, offsets: starts, view: view))
            }
        }
    }
}
