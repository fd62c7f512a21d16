#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a trace, read a chunk at a time into one reused buffer, so a file of any size
/// is never resident at once (issue 9: peak memory is the tape plus a few MiB, not the file).
///
/// Each chunk is whole lines: it ends just after a newline, or at the end of the input. The
/// partial line after a chunk moves to the front of the buffer before the next read; a line
/// longer than the buffer grows it.
struct TraceChunks {
    /// Fills up to `count` bytes at the pointer and returns how many it wrote; 0 at the end.
    typealias Read = (UnsafeMutablePointer<UInt8>, Int) throws(TraceError) -> Int

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes read into `buffer`.
    private var filled = 0
    /// Bytes at the front of `buffer` handed out by the last `next()`.
    private var handedOut = 0
    /// The input has no more bytes.
    private(set) var isExhausted = false
    private let read: Read

    init(capacity: Int, read: @escaping Read) {
        self.capacity = max(capacity, 64)
        buffer = .allocate(capacity: self.capacity)
        self.read = read
    }

    /// A source over a file descriptor, read with `read(2)`; errors name `path`.
    init(fd: Int32, path: String, capacity: Int) {
        self.init(capacity: capacity) { (target, count) throws(TraceError) in
            while true {
                let got = systemRead(fd, target, count)
                if got >= 0 { return got }
                let code = errno
                if code != EINTR { throw .io(file: path, reason: "cannot read: \(String(cString: strerror(code)))") }
            }
        }
    }

    /// A source over bytes already in memory (copied chunk by chunk like a file's).
    init(bytes: UnsafeBufferPointer<UInt8>, capacity: Int) {
        var offset = 0
        self.init(capacity: capacity) { target, count in
            let length = min(count, bytes.count - offset)
            if length > 0 { target.initialize(from: bytes.baseAddress! + offset, count: length) }
            offset += length
            return length
        }
    }

    /// Frees the buffer (once; later calls do nothing). The chunk last handed out is gone, and
    /// `next()` must not be called again.
    mutating func deallocate() {
        guard capacity > 0 else { return }
        buffer.deallocate()
        capacity = 0
    }

    /// The next chunk of whole lines (the rest of the input when it ends without a newline),
    /// at most `limit` bytes unless one line is longer; empty once everything was handed out.
    /// Valid until the next call.
    mutating func next(limit: Int = .max) throws(TraceError) -> UnsafeBufferPointer<UInt8> {
        if handedOut > 0 {
            buffer.update(from: buffer + handedOut, count: filled - handedOut)
            filled -= handedOut
            handedOut = 0
        }
        while true {
            while !isExhausted && filled < capacity {
                let got = try read(buffer + filled, capacity - filled)
                if got == 0 { isExhausted = true } else { filled += got }
            }
            if isExhausted && filled <= limit {
                handedOut = filled
                return UnsafeBufferPointer(start: buffer, count: filled)
            }
            var end = min(filled, limit)
            while end > 0 && buffer[end - 1] != UInt8(ascii: "\n") { end -= 1 }
            if end == 0, let newline = UnsafeBufferPointer(start: buffer, count: filled).firstIndex(of: UInt8(ascii: "\n")) {
                end = newline + 1
            }
            if end == 0 && isExhausted { end = filled }
            if end > 0 {
                handedOut = end
                return UnsafeBufferPointer(start: buffer, count: end)
            }
            grow()
        }
    }

    /// Whether bytes remain beyond the last chunk handed out.
    var hasMore: Bool { !isExhausted || filled > handedOut }

    private mutating func grow() {
        buffer = buffer.doubled(capacity: capacity, keeping: filled)
        capacity *= 2
    }
}

/// `read(2)`, named apart from `TraceReader.read(contentsOf:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buffer, count)
}
