/// One trace-reading thread's event bytes, appended through a raw pointer.
///
/// `Array.append` checks copy-on-write uniqueness with a runtime call on every byte, about a
/// tenth of the reader's time; this buffer has one owner, is never copied, and is handed over
/// as an array by `finish()`.
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

    /// The bytes as an exactly sized array; the buffer is freed and must not be used again.
    func finish() -> [UInt8] {
        defer { base.deallocate() }
        return [UInt8](UnsafeBufferPointer(start: base, count: count))
    }

    /// Frees the buffer without handing it over (the load failed).
    func deallocate() { base.deallocate() }
}
