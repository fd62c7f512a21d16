/// One trace-reading thread's event bytes, appended through a raw pointer.
///
/// `Array.append` checks copy-on-write uniqueness with a runtime call on every byte, about a
/// tenth of the reader's time; this buffer has one owner, is never copied, and is reused from
/// chunk to chunk (its bytes are appended to the tape's array after each chunk).
struct RawBytes: ByteSink, @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    subscript(index: Int) -> UInt8 {
        get {
            precondition(index >= 0 && index < count, "byte index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "byte index out of range")
            base[index] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if _slowPath(count == capacity) { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        if let source = bytes.baseAddress { (base + count).initialize(from: source, count: bytes.count) }
        count += bytes.count
    }

    mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "cannot remove more bytes than there are")
        count -= k
    }

    private mutating func grow(to minimum: Int) {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(minimum, capacity * 2))
        larger.initialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = max(minimum, capacity * 2)
    }

    /// Forgets the bytes, keeping the capacity for the next chunk.
    mutating func removeAll() { count = 0 }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Frees the buffer; it must not be used again.
    func deallocate() { base.deallocate() }
}
