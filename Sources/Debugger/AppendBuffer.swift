/// Elements appended (and rewritten) while a tape is indexed: those read once when it is done (a
/// `Timelines`' entries, the pairs grouped after the pass, each counter's latest version, each
/// tensor's producer) and the index's own records, appended once per event of their kind and then
/// only read (its tensors, ops, nodes, saves and bumps). A pointer, a count and a capacity, so an
/// append is a capacity test and a store, and a write a bounds test and a store. Through an `Array`
/// each append or write also called the runtime's uniqueness check, around which the index's
/// handlers spilled their registers (≈ 20–25 instructions a write, docs/benchmarks.md, "indexscan";
/// the records' appends were 4.4 % of the index's instructions, stop 34).
///
/// A class so that a `Timelines` holding one stays a plain struct; not thread-safe, and shared by
/// copies: one index pass fills it, and afterwards it is drained, dropped or only read.
final class AppendBuffer<Element>: @unchecked Sendable {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init() {
        capacity = 16
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Appends `element`, growing the storage (doubling) when full.
    @inline(__always)
    func append(_ element: Element) {
        if _slowPath(count == capacity) { grow() }
        (base + count).initialize(to: element)
        count &+= 1
    }

    /// Element `index`, which must have been appended.
    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "AppendBuffer index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "AppendBuffer index out of range")
            base[index] = newValue
        }
    }

    /// Makes room for `capacity` elements in all.
    func reserveCapacity(_ capacity: Int) {
        guard capacity > self.capacity else { return }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        (base, self.capacity) = (grown, capacity)
    }

    @inline(never)
    private func grow() { reserveCapacity(capacity * 2) }

    /// Calls `body` with the elements, then empties the buffer and frees its storage.
    func drain<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        defer {
            base.deinitialize(count: count)
            base.deallocate()
            (count, capacity) = (0, 16)
            base = .allocate(capacity: capacity)
        }
        return try body(UnsafeBufferPointer(start: base, count: count))
    }
}

/// Read as a collection once filled: the index's records are looked up, walked and binary-searched.
extension AppendBuffer: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { count }
}
