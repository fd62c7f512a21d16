import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a trace a chunk at a time, so the tape can be looked at before the whole file is read
/// (the debugger's first screen) and the file is never resident at once.
///
/// Each `loadChunk()` reads the next MiB of whole lines into a reused buffer, parses them on
/// two threads when there is enough (each half into a reused store of its own), appends the
/// events to the tape and range-checks them (`TraceValidator`). `finish()` reads the rest and
/// returns the tape. Errors are `FILE:LINE: what was expected`, the line counted in the whole file.
public final class TraceLoader {
    /// The bytes read per chunk: 1 MiB, which the two threads still split. The chunk buffer and
    /// the parsers' output for it are resident with the whole tape at the end of a load, so they
    /// count in the peak: 2 MiB took the same instructions and CPU time and 1.2–1.4 MiB more
    /// peak memory, 4 MiB 2.7 MiB more than 2 (docs/benchmarks.md).
    public static let defaultChunkSize = 1 << 20
    /// The bytes read with the header: little, so the first events are ready soon.
    private static let headerChunk = 256 << 10

    public let file: String
    /// The header and the events read so far.
    public private(set) var tape: Tape
    /// Whether every event of the file has been read and checked.
    public private(set) var isComplete = false
    /// How many bytes of the file have been parsed.
    public private(set) var bytesRead = 0
    /// The file's size when it is a regular file (nil for a pipe).
    public let fileSize: Int?

    private var chunks: TraceChunks
    /// Chunks larger than this are parsed in two halves on two threads: half the chunk size
    /// (512 KiB by default), so every full chunk is split, small chunk sizes included (tests).
    private let parallelThreshold: Int
    private let descriptor: Int32?
    /// The two reader threads. The first interns into the tape's string table (lent to it while
    /// it parses); the second has its own, re-interned as its events are appended.
    private let parsers: UnsafeMutableBufferPointer<ChunkParser> = {
        let parsers = UnsafeMutableBufferPointer<ChunkParser>.allocate(capacity: 2)
        _ = parsers.initialize(from: [ChunkParser(recordsStrings: false), ChunkParser(recordsStrings: true)])
        return parsers
    }()
    /// The second parser's string ids mapped to the tape's.
    private var remap: [Int] = []
    private var validator: TraceValidator?
    /// Lines of the file before the next chunk.
    private var linesBefore = 0
    /// The first chunk's lines after the header, until they are parsed.
    private var afterHeader: UnsafeBufferPointer<UInt8>?
    private var failed = false

    /// Opens the trace at `path` and reads its header; errors name `path` as given. Every id,
    /// index and count is range-checked as it is read.
    public convenience init(contentsOf path: String, chunkSize: Int = defaultChunkSize) throws(TraceError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Self.failure(path, "open", errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw Self.failure(path, "read", code)
        }
        let size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        try self.init(chunks: TraceChunks(fd: fd, path: path, capacity: chunkSize), chunkSize: chunkSize, descriptor: fd,
                      file: path, fileSize: size, validates: true)
    }

    /// A loader over a trace already in memory (copied chunk by chunk); `file` names it in errors.
    convenience init(bytes: UnsafeBufferPointer<UInt8>, file: String, validates: Bool, chunkSize: Int = defaultChunkSize) throws(TraceError) {
        try self.init(chunks: TraceChunks(bytes: bytes, capacity: chunkSize), chunkSize: chunkSize, descriptor: nil,
                      file: file, fileSize: bytes.count, validates: validates)
    }

    private init(chunks: TraceChunks, chunkSize: Int, descriptor: Int32?, file: String, fileSize: Int?, validates: Bool) throws(TraceError) {
        self.chunks = chunks
        parallelThreshold = chunkSize / 2
        self.descriptor = descriptor
        self.file = file
        self.fileSize = fileSize
        validator = validates ? TraceValidator(file: file) : nil
        tape = Tape(header: TraceHeader(producer: "", path: "", source: ""))
        do {
            try readHeader()
        } catch {
            release()
            throw error
        }
        if let fileSize {
            // Reserved, not touched: pages of the spare capacity never become resident, and the
            // arrays need not grow (and copy) as the chunks arrive. A stored event takes about a
            // third of its line; lines are at least 16 bytes.
            tape.store.bytes.reserveCapacity(fileSize / 2 + 4096)
            tape.store.starts.reserveCapacity(fileSize / 16 + 64)
        }
    }

    deinit { release() }

    private var released = false

    /// Closes the file and frees the buffers (once).
    private func release() {
        guard !released else { return }
        released = true
        chunks.deallocate()
        for parser in parsers { parser.deallocate() }
        parsers.deinitialize().deallocate()
        if let descriptor { close(descriptor) }
    }

    private static func failure(_ path: String, _ action: String, _ code: Int32) -> TraceError {
        .io(file: path, reason: "cannot \(action): \(String(cString: strerror(code)))")
    }

    /// Reads the rest of the trace and returns the whole tape.
    public func finish() throws(TraceError) -> Tape {
        while try loadChunk() {}
        return tape
    }

    /// Reads, parses and checks the next chunk of lines (at most `limit` bytes of them, unless
    /// one line is longer); false once the whole trace is loaded (after the last chunk's final
    /// checks). After an error the loader must not be used again.
    @discardableResult
    public func loadChunk(limit: Int = .max) throws(TraceError) -> Bool {
        guard !isComplete else { return false }
        precondition(!failed, "TraceLoader used after an error")
        do {
            try loadNextChunk(limit: limit)
        } catch {
            failed = true
            release()
            throw error
        }
        return !isComplete
    }

    /// The events read so far that form a whole tape: up to the first event naming an op that
    /// is not read yet (a node or bump may come just before its op). An exact copy, so the
    /// loader's own arrays keep their reserved capacity.
    public func completePrefix() -> Tape {
        var prefix = Tape(header: tape.header)
        let end = validator?.firstUnresolvedEvent ?? tape.count
        guard end > 0 else { return prefix }
        let byteEnd = end < tape.count ? tape.store.starts[end] : tape.store.bytes.count
        prefix.store.bytes = Array(tape.store.bytes[..<byteEnd])
        prefix.store.starts = tape.store.starts.prefix(events: end)
        prefix.store.strings = tape.store.strings
        prefix.lines = tape.lines
        return prefix
    }

    private func readHeader() throws(TraceError) {
        let bytes = try chunks.next(limit: Self.headerChunk)
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw .malformed(file: file, line: 1, message: "expected the trace header {\"format\":\"tapedeck-trace\",...}, found an empty file")
        }
        var scanner = TraceScanner(base: base, count: bytes.count, file: file)
        defer { scanner.deallocate() }
        tape.header = try TraceReader.readHeader(&scanner)
        afterHeader = UnsafeBufferPointer(rebasing: bytes[scanner.position...])
        linesBefore = scanner.line - 1
    }

    private func loadNextChunk(limit: Int) throws(TraceError) {
        let bytes: UnsafeBufferPointer<UInt8>
        if let pending = afterHeader {
            bytes = pending
            afterHeader = nil
        } else {
            bytes = try chunks.next(limit: limit)
        }
        let isLast = !chunks.hasMore
        let ranges = split(bytes)
        // Safe to share: the input is only read, and each iteration writes only its own parser.
        nonisolated(unsafe) let input = bytes
        nonisolated(unsafe) let workers = parsers
        let file = file
        swap(&parsers[0].store.strings, &tape.store.strings)
        if ranges.count == 1 {
            workers[0].parse(input, file: file, isLast: isLast)
        } else {
            DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
                workers[index].parse(UnsafeBufferPointer(rebasing: input[ranges[index]]), file: file,
                                     isLast: isLast && index == ranges.count - 1)
            }
        }
        swap(&parsers[0].store.strings, &tape.store.strings)
        if isLast {
            // The file's bytes are parsed: free them before the tape grows by the last chunk's
            // events, so the two are not resident at once (the process's peak).
            chunks.deallocate()
        }
        for index in ranges.indices {
            try append(&parsers[index], shared: index == 0)
        }
        bytesRead += bytes.count
        if isLast {
            try validator?.finish(header: tape.header)
            tape.trimCapacity()
            isComplete = true
            release()
        } else {
            adviseHugePagesAhead()
        }
    }

    /// How many bytes from the start of the tape's event bytes and of its offsets are advised
    /// as transparent huge pages.
    private var hugeBytes = 0
    private var hugeOffsets = 0

    /// Advises as huge pages the part of the tape's arrays that the rest of the file will fill,
    /// projected from what the bytes read so far stored, less a twentieth. A 2 MiB page takes
    /// one fault instead of 512 (5 % of a load's CPU), but the last, partly filled one counts
    /// whole in the peak: advising the whole reserved capacity put 1.3–2.3 MiB of untouched
    /// bytes into it. Called before the next chunk is parsed, so the advice precedes the writes.
    private func adviseHugePagesAhead() {
        guard let fileSize, bytesRead > 0 else { return }
        let scale = 0.95 * Double(fileSize) / Double(bytesRead)
        let bytes = min(Int(Double(tape.store.bytes.count) * scale), tape.store.bytes.capacity)
        if bytes >= hugeBytes + hugePage {
            tape.store.bytes.withUnsafeBufferPointer { adviseHugePages($0.baseAddress, bytes) }
            hugeBytes = bytes
        }
        let offsets = Int(Double(tape.count * 4) * scale)
        if offsets >= hugeOffsets + hugePage {
            tape.store.starts.withReservedBytes { adviseHugePages($0, min(offsets, $1)) }
            hugeOffsets = offsets
        }
    }

    /// Appends one parser's events to the tape and checks them, or throws its error with the
    /// line counted in the whole file.
    private func append(_ parser: inout ChunkParser, shared: Bool) throws(TraceError) {
        if let error = parser.error {
            guard case .malformed(let file, let line, let message) = error else { throw error }
            throw .malformed(file: file, line: linesBefore + line, message: message)
        }
        let first = tape.count
        if shared {
            tape.store.append(sharingStrings: parser.store)
        } else {
            tape.store.append(parser.store, stringPositions: parser.reader.stringPositions, remap: &remap)
        }
        tape.lines.append(parser.lines, events: first, lines: linesBefore)
        if let line = parser.cutOffLine {
            tape.warnings.append(.cutOffLastLine(file: file, line: linesBefore + line, events: tape.count))
        }
        linesBefore += parser.lineCount
        try validator?.check(tape, events: first..<tape.count, notes: parser.reader.notes.pointee)
    }

    /// The byte ranges of `bytes`'s lines, cut after a newline into two halves when there are many.
    private func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard bytes.count > parallelThreshold else { return [0..<bytes.count] }
        var cut = bytes.count / 2
        while cut < bytes.count && bytes[cut] != UInt8(ascii: "\n") { cut += 1 }
        guard cut + 1 < bytes.count else { return [0..<bytes.count] }
        return [0..<cut + 1, cut + 1..<bytes.count]
    }
}

/// The size of a transparent huge page on x86-64.
private let hugePage = 2 << 20

/// Asks for transparent huge pages over the whole 2 MiB blocks of `bytes` bytes at `start`:
/// first touching a fresh 4 KiB page costs a fault each (a third of a load's time on the shared
/// VM), a 2 MiB page one fault per 512 of them.
private func adviseHugePages(_ start: UnsafeRawPointer?, _ bytes: Int) {
    #if canImport(Glibc)
    guard let start else { return }
    let first = (Int(bitPattern: start) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: start) + bytes) & ~(hugePage - 1)
    guard end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
    _ = madvise(pointer, end - first, MADV_HUGEPAGE)
    #endif
}
