import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a JSON Lines trace (docs/trace-format.md) into a `Tape`.
///
/// One pass over the bytes, linear in the file size: a hand-written scanner reads each value
/// and stores it straight into the tape's compact form (names interned from the bytes, no
/// `String` per field, no intermediate `Event`). Unknown fields and unknown event kinds are
/// skipped; anything malformed fails with the file, the 1-based line and what was expected.
public enum TraceReader {
    /// Reads the trace at `path` and range-checks it (`TraceValidator`); errors name `path` as given.
    public static func read(contentsOf path: String) throws(TraceError) -> Tape {
        let file = try readFile(path)
        defer { file.release() }
        return try load(file.bytes, file: path)
    }

    /// Decodes a trace held in memory and range-checks every id, index and count in it, as
    /// `read(contentsOf:)` does; `file` names it in error messages.
    public static func load(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(TraceError) -> Tape {
        let tape = try decode(bytes, file: file)
        try TraceValidator.check(tape, file: file)
        return tape
    }

    /// `load(_:file:)` for bytes in an array.
    public static func load(_ bytes: [UInt8], file: String) throws(TraceError) -> Tape {
        try bytes.withUnsafeBufferPointer { buffer throws(TraceError) in try load(buffer, file: file) }
    }

    /// Decodes a trace held in memory without range-checking its ids (the codec alone, for
    /// round trips of arbitrary events); `file` names it in error messages.
    public static func decode(_ bytes: [UInt8], file: String) throws(TraceError) -> Tape {
        try bytes.withUnsafeBufferPointer { buffer throws(TraceError) in try decode(buffer, file: file) }
    }

    /// Decodes a trace held in memory without range-checking its ids; `file` names it in error messages.
    ///
    /// A large trace is split at a line boundary and its halves are parsed on two threads, each
    /// into its own store; the second is then appended to the first with its strings re-interned.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(TraceError) -> Tape {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw .malformed(file: file, line: 1, message: "expected the trace header {\"format\":\"tapedeck-trace\",...}, found an empty file")
        }
        var scanner = TraceScanner(base: base, count: bytes.count, file: file)
        defer { scanner.deallocate() }
        var tape = Tape(header: try readHeader(&scanner))
        let ranges = split(bytes, from: scanner.position)
        let firstLine = scanner.line
        let chunks = UnsafeMutableBufferPointer<Result<ParsedChunk, TraceError>?>.allocate(capacity: ranges.count)
        chunks.initialize(repeating: nil)
        defer { chunks.deinitialize().deallocate() }
        // Safe to share: the input is only read, and each iteration writes only its own slot.
        nonisolated(unsafe) let input = bytes
        nonisolated(unsafe) let output = chunks
        DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
            output[index] = parse(input, ranges[index], file: file, recordsStrings: index > 0, isLast: index == ranges.count - 1)
        }
        var linesBefore = firstLine - 1
        for (index, chunk) in chunks.enumerated() {
            switch chunk! {
            case .failure(.malformed(let file, let line, let message)):
                throw .malformed(file: file, line: linesBefore + line, message: message)
            case .failure(let error):
                throw error
            case .success(let parsed):
                let offset = tape.store.count
                if index == 0 {
                    tape.store = parsed.store
                } else {
                    tape.store.append(parsed.store, stringPositions: parsed.stringPositions)
                }
                tape.lines.append(parsed.lines, events: offset, lines: linesBefore)
                if let line = parsed.cutOffLine {
                    tape.warnings.append(.cutOffLastLine(file: file, line: linesBefore + line, events: tape.store.count))
                }
                linesBefore += parsed.lineCount
            }
        }
        tape.trimCapacity()
        return tape
    }

    /// Traces larger than this are parsed on two threads.
    private static let parallelThreshold = 1 << 20

    /// The byte ranges of the event lines after `start`, cut after a newline into two halves
    /// when the trace is large.
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [Range<Int>] {
        guard bytes.count - start > parallelThreshold else { return [start..<bytes.count] }
        var cut = start + (bytes.count - start) / 2
        while cut < bytes.count && bytes[cut] != UInt8(ascii: "\n") { cut += 1 }
        guard cut + 1 < bytes.count else { return [start..<bytes.count] }
        return [start..<cut + 1, cut + 1..<bytes.count]
    }

    /// The events of one range of lines, parsed into a store of its own; lines count from 1 at the range start.
    private struct ParsedChunk {
        var store: EventStore<[UInt8]>
        var stringPositions: [Int]
        /// The line of each event, counted from the range start.
        var lines: TraceLines
        /// The number of complete lines (newlines) in the range.
        var lineCount: Int
        /// The last line, when the file ends in the middle of it; its partial event is dropped.
        var cutOffLine: Int?
    }

    /// Parses the event lines of `range`. In the last range (`isLast`), a final line without a
    /// newline that does not parse is taken as a recording cut off mid-write: the events before
    /// it are kept and the chunk notes the line instead of failing.
    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, file: String, recordsStrings: Bool, isLast: Bool
    ) -> Result<ParsedChunk, TraceError> {
        var scanner = TraceScanner(base: bytes.baseAddress! + range.lowerBound, count: range.count, file: file)
        defer { scanner.deallocate() }
        var store = EventStore(bytes: RawBytes(capacity: range.count / 3))
        store.starts.reserveCapacity(range.count / 100)
        var reader = EventLineReader(recordsStrings: recordsStrings)
        var lines = TraceLines()
        var cutOffLine: Int?
        do throws(TraceError) {
            while true {
                scanner.skipBlankLines()
                if scanner.atEnd { break }
                let lineStart = scanner.position
                let line = scanner.line
                let events = store.starts.count
                do throws(TraceError) {
                    try reader.readEvent(&scanner, into: &store)
                    try scanner.endLine()
                } catch {
                    guard isLast, !scanner.hasNewline(from: lineStart) else { throw error }
                    cutOffLine = scanner.line
                    store.dropEvents(from: events)
                    reader.dropStringPositions(from: store.bytes.count)
                    break
                }
                if store.starts.count > events { lines.note(event: events, line: line) }
            }
        } catch {
            store.bytes.deallocate()
            return .failure(error)
        }
        let parsed = EventStore(bytes: store.bytes.finish(), starts: store.starts, strings: store.strings)
        return .success(ParsedChunk(
            store: parsed, stringPositions: reader.stringPositions,
            lines: lines, lineCount: scanner.line - 1, cutOffLine: cutOffLine
        ))
    }

    private static func readHeader(_ s: inout TraceScanner) throws(TraceError) -> TraceHeader {
        let what = "the trace header {\"format\":\"tapedeck-trace\",\"version\":...}"
        try s.expect(UInt8(ascii: "{"), what)
        var format: String?, version: String?, producer = "", path = "", source = ""
        var dropped: DroppedSteps?
        if !s.consume(UInt8(ascii: "}")) {
            repeat {
                let key = String(decoding: try s.string("a key in \(what)"), as: UTF8.self)
                try s.expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
                func text() throws(TraceError) -> String {
                    String(decoding: try s.string("field \"\(key)\" of the header"), as: UTF8.self)
                }
                switch key {
                case "format": format = try text()
                case "version": version = try text()
                case "producer": producer = try text()
                case "path": path = try text()
                case "source": source = try text()
                case "dropped": dropped = try readDropped(&s)
                default: try s.skipValue()
                }
            } while s.consume(UInt8(ascii: ","))
            try s.expect(UInt8(ascii: "}"), "',' or '}' in the header")
        }
        guard let format else { throw s.fail("expected \"format\":\"tapedeck-trace\" in the header") }
        guard format == TraceHeader.formatName else {
            throw s.fail("expected \"format\":\"\(TraceHeader.formatName)\" in the header, found \"\(format)\"")
        }
        guard let version else { throw s.fail("expected \"version\" (\"MAJOR.MINOR\") in the header") }
        guard let parsed = FormatVersion(parsing: version) else {
            throw s.fail("expected \"version\" as \"MAJOR.MINOR\" in the header, found \"\(version)\"")
        }
        guard parsed.major <= TraceHeader.currentVersion.major else {
            throw .unsupportedVersion(file: s.file, found: parsed, supported: TraceHeader.currentVersion)
        }
        try s.endLine()
        return TraceHeader(version: parsed, producer: producer, path: path, source: source, dropped: dropped)
    }

    /// The header's `dropped` field (format 1.1): `{"steps":N,"events":N,"errors":N,"versions":[[vc,v],...]}`.
    /// Counters are checked against the trace's once its events are read (`TraceValidator`).
    private static func readDropped(_ s: inout TraceScanner) throws(TraceError) -> DroppedSteps {
        var dropped = DroppedSteps(steps: 0, events: 0, errors: 0, versions: [:])
        try s.expect(UInt8(ascii: "{"), "'{' to start \"dropped\" in the header")
        if s.consume(UInt8(ascii: "}")) { return dropped }
        repeat {
            let key = String(decoding: try s.string("a key in \"dropped\""), as: UTF8.self)
            try s.expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
            func count() throws(TraceError) -> Int {
                let value = try s.int("field \"\(key)\" of \"dropped\"")
                guard value >= 0 else { throw s.fail("field \"\(key)\" of \"dropped\" must be a non-negative integer, found \(value)") }
                return value
            }
            switch key {
            case "steps": dropped.steps = try count()
            case "events": dropped.events = try count()
            case "errors": dropped.errors = try count()
            case "versions":
                let what = "\"versions\" of \"dropped\" as [[counter, version], ...]"
                try s.expect(UInt8(ascii: "["), what)
                if !s.consume(UInt8(ascii: "]")) {
                    repeat {
                        try s.expect(UInt8(ascii: "["), what)
                        let counter = try count()
                        try s.expect(UInt8(ascii: ","), what)
                        dropped.versions[counter] = try count()
                        try s.expect(UInt8(ascii: "]"), what)
                    } while s.consume(UInt8(ascii: ","))
                    try s.expect(UInt8(ascii: "]"), what)
                }
            default: try s.skipValue()
            }
        } while s.consume(UInt8(ascii: ","))
        try s.expect(UInt8(ascii: "}"), "',' or '}' in \"dropped\"")
        return dropped
    }

    /// Maps the file into memory (pages populated up front, no copy), or reads it into a
    /// buffer when it cannot be mapped (pipes); `release` gives the memory back.
    private static func readFile(_ path: String) throws(TraceError) -> (bytes: UnsafeBufferPointer<UInt8>, release: () -> Void) {
        func failure(_ action: String, _ code: Int32) -> TraceError {
            .io(file: path, reason: "cannot \(action): \(String(cString: strerror(code)))")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure("open", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("read", errno) }
        let size = Int(info.st_size)
        if size > 0, (info.st_mode & S_IFMT) == S_IFREG,
           let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | mapPopulate, fd, 0), mapped != MAP_FAILED {
            return (UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size), { munmap(mapped, size) })
        }
        var capacity = max(size, 0) + 1
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        var length = 0
        while true {
            if length == capacity {
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                larger.copyMemory(from: buffer, byteCount: length)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let got = systemRead(fd, buffer + length, capacity - length)
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                buffer.deallocate()
                throw failure("read", code)
            }
            if got == 0 { break }
            length += got
        }
        let filled = buffer
        return (UnsafeBufferPointer(start: filled.assumingMemoryBound(to: UInt8.self), count: length), { filled.deallocate() })
    }
}

#if canImport(Glibc)
private let mapPopulate = MAP_POPULATE
#else
private let mapPopulate: Int32 = 0
#endif

/// `read(2)`, named apart from `TraceReader.read(contentsOf:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

extension FormatVersion {
    /// Parses `"MAJOR.MINOR"`; nil for anything else.
    init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) })
        else { return nil }
        self.init(major: major, minor: minor)
    }
}
