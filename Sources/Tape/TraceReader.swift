/// Reads a JSON Lines trace (docs/trace-format.md) into a `Tape`.
///
/// One pass over the bytes, linear in the file size, a MiB at a time (`TraceLoader`): a
/// hand-written scanner reads each value and stores it straight into the tape's compact form
/// (names interned from the bytes, no `String` per field, no intermediate `Event`). Unknown
/// fields and unknown event kinds are skipped; anything malformed fails with the file, the
/// 1-based line and what was expected.
public enum TraceReader {
    /// Reads the trace at `path` and range-checks it (`TraceValidator`); errors name `path` as given.
    public static func read(contentsOf path: String) throws(TraceError) -> Tape {
        try TraceLoader(contentsOf: path).finish()
    }

    /// Decodes a trace held in memory and range-checks every id, index and count in it, as
    /// `read(contentsOf:)` does; `file` names it in error messages.
    public static func load(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(TraceError) -> Tape {
        try TraceLoader(bytes: bytes, file: file, validates: true).finish()
    }

    /// `load(_:file:)` for bytes in an array.
    public static func load(_ bytes: [UInt8], file: String) throws(TraceError) -> Tape {
        try bytes.withUnsafeBufferPointer { buffer throws(TraceError) in try load(buffer, file: file) }
    }

    /// Decodes a trace held in memory without range-checking its ids (the codec alone, for
    /// round trips of arbitrary events); `file` names it in error messages. `chunkSize` is the
    /// bytes read per chunk (small in tests, so that lines straddle chunk boundaries).
    public static func decode(_ bytes: [UInt8], file: String) throws(TraceError) -> Tape {
        try decode(bytes, file: file, chunkSize: TraceLoader.defaultChunkSize)
    }

    static func decode(_ bytes: [UInt8], file: String, chunkSize: Int, validates: Bool = false) throws(TraceError) -> Tape {
        try bytes.withUnsafeBufferPointer { buffer throws(TraceError) in
            try TraceLoader(bytes: buffer, file: file, validates: validates, chunkSize: chunkSize).finish()
        }
    }

    static func readHeader(_ s: inout TraceScanner) throws(TraceError) -> TraceHeader {
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
