/// A growable buffer of values that a trace-reading thread reuses from line to line (the
/// elements of one array value before they are stored).
///
/// An `Array` here checks copy-on-write uniqueness on every append and calls `replaceSubrange`
/// to empty itself: about 3 % of a load. This buffer has one owner, is never copied, and keeps
/// its capacity; the owner frees it with `deallocate()`.
struct ScratchBuffer<Element: BitwiseCopyable> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 8)
        base = .allocate(capacity: self.capacity)
    }

    subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "scratch index out of range")
        return base[index]
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if _slowPath(count == capacity) { grow() }
        base[count] = value
        count += 1
    }

    /// Forgets the values, keeping the capacity.
    @inline(__always)
    mutating func removeAll() { count = 0 }

    /// Calls `body` with the values.
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    private mutating func grow() {
        base = base.doubled(capacity: capacity, keeping: count)
        capacity *= 2
    }

    /// Frees the buffer; it must not be used again.
    func deallocate() { base.deallocate() }
}
