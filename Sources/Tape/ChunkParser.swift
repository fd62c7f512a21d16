/// One trace-reading thread: parses a range of event lines into a store of its own, reused from
/// chunk to chunk (its byte buffer keeps its capacity, its string table its strings).
struct ChunkParser {
    var store = EventStore(bytes: RawBytes(capacity: 1 << 20))
    var reader: EventLineReader
    /// The line of each event of the last chunk, counted from the chunk's first line.
    var lines = TraceLines()
    /// The number of complete lines (newlines) in the last chunk.
    var lineCount = 0
    /// The last chunk's final line, when the input ends in the middle of it; its partial event was dropped.
    var cutOffLine: Int?
    /// Why the last chunk failed to parse, with its line counted from the chunk's first line.
    var error: TraceError?

    init(recordsStrings: Bool) {
        reader = EventLineReader(recordsStrings: recordsStrings)
    }

    /// Parses the event lines of `bytes`, replacing the last chunk's events. When `isLast` (the
    /// input ends with these bytes), a final line without a newline that does not parse is taken
    /// as a recording cut off mid-write: the events before it are kept and `cutOffLine` notes it.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, isLast: Bool) {
        store.bytes.removeAll()
        store.starts.removeAll(keepingCapacity: true)
        reader.resetStringPositions()
        reader.notes.pointee.reset()
        lines = TraceLines()
        lineCount = 0
        cutOffLine = nil
        error = nil
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var scanner = TraceScanner(base: base, count: bytes.count, file: file)
        defer { scanner.deallocate() }
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
                    // The dropped event may be half noted: have the validator decode the chunk.
                    reader.notes.pointee.distrust()
                    break
                }
                if store.starts.count > events { lines.note(event: events, line: line) }
            }
        } catch {
            self.error = error
        }
        lineCount = scanner.line - 1
    }

    /// Frees the byte buffer; the parser must not be used again.
    func deallocate() {
        store.bytes.deallocate()
        reader.deallocate()
    }
}
