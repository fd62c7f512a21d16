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
    /// Reads the trace at `path`; errors name `path` as given.
    public static func read(contentsOf path: String) throws(TraceError) -> Tape {
        let bytes = try readFile(path)
        defer { bytes.deallocate() }
        return try decode(UnsafeBufferPointer(bytes), file: path)
    }

    /// Decodes a trace held in memory; `file` names it in error messages.
    public static func decode(_ bytes: [UInt8], file: String) throws(TraceError) -> Tape {
        try bytes.withUnsafeBufferPointer { buffer throws(TraceError) in try decode(buffer, file: file) }
    }

    /// Decodes a trace held in memory; `file` names it in error messages.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(TraceError) -> Tape {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw .malformed(file: file, line: 1, message: "expected the trace header {\"format\":\"tapedeck-trace\",...}, found an empty file")
        }
        var scanner = TraceScanner(base: base, count: bytes.count, file: file)
        defer { scanner.deallocate() }
        var tape = Tape(header: try readHeader(&scanner))
        tape.store.bytes.reserveCapacity(bytes.count / 4)
        tape.store.starts.reserveCapacity(bytes.count / 64)
        var reader = EventLineReader()
        while true {
            scanner.skipBlankLines()
            if scanner.atEnd { break }
            if let keys = try reader.readEvent(&scanner, into: &tape.store) { tape.index(keys) }
            try scanner.endLine()
        }
        tape.trimCapacity()
        return tape
    }

    private static func readHeader(_ s: inout TraceScanner) throws(TraceError) -> TraceHeader {
        let what = "the trace header {\"format\":\"tapedeck-trace\",\"version\":...}"
        try s.expect(UInt8(ascii: "{"), what)
        var format: String?, version: String?, producer = "", path = "", source = ""
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
        return TraceHeader(version: parsed, producer: producer, path: path, source: source)
    }

    /// Reads the whole file into a buffer the caller deallocates (grown as needed, so pipes work too).
    private static func readFile(_ path: String) throws(TraceError) -> UnsafeMutableBufferPointer<UInt8> {
        func failure(_ action: String, _ code: Int32) -> TraceError {
            .io(file: path, reason: "cannot \(action): \(String(cString: strerror(code)))")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure("open", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("read", errno) }
        var capacity = max(Int(info.st_size), 0) + 1
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
        return UnsafeMutableBufferPointer(start: buffer.assumingMemoryBound(to: UInt8.self), count: length)
    }
}

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
