/// Somewhere event bytes are appended: a tape's `[UInt8]`, or a trace-reading thread's `RawBytes`.
protocol ByteSink: Sendable {
    var count: Int { get }
    subscript(index: Int) -> UInt8 { get set }
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
    mutating func removeLast(_ k: Int)
}

extension ByteSink {
    /// An unsigned LEB128 varint: 7 bits per byte, high bit set on all but the last.
    @inline(__always)
    mutating func putVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(truncatingIfNeeded: value))
    }
}

extension Array: ByteSink where Element == UInt8 {}
