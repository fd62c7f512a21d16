/// The events of a tape in compact form: one byte string per event in a single flat buffer.
///
/// An event is its kind byte followed by `(field tag, value)` pairs: integers as zigzag
/// LEB128 varints (most ids and versions take one or two bytes), strings as ids in an interned
/// `StringTable`, arrays as a count and their elements, doubles as raw 4-byte floats when every
/// value of the array is exactly a `Float` and raw 8-byte doubles otherwise. `starts` holds
/// where each event begins (`EventOffsets`, 4 bytes an event), so decoding event `i` touches only its own bytes.
///
/// A tape's store keeps its bytes in a `[UInt8]`; the trace reader fills a `RawBytes` per thread
/// (no copy-on-write check per byte) and hands the bytes over as an array when done.
struct EventStore<Bytes: ByteSink>: Sendable {
    var bytes: Bytes
    var starts = EventOffsets()
    var strings = StringTable()
}

extension EventStore where Bytes == [UInt8] {
    init() {
        bytes = []
    }

    var count: Int { starts.count }

    /// Approximate memory held: the bytes and offsets in use (capacity reserved beyond them and
    /// never written is not counted: its pages are never touched) and the strings.
    var footprint: Int { bytes.count + starts.footprint + strings.footprint }

    func kind(at index: Int) -> Event.Kind {
        Event.Kind(stored: bytes[starts[index]])!
    }

    /// The byte range of event `index`, without its kind byte.
    @inline(__always)
    func fieldRange(of index: Int) -> Range<Int> {
        let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
        return starts[index] + 1..<end
    }

    /// Releases spare capacity after a bulk load (when more than an eighth is spare). Large
    /// arrays are left as they are: copying them would double their memory for a moment, and
    /// the reader reserves them from the file size without touching the spare pages, which
    /// therefore never become resident.
    mutating func trim() {
        if bytes.count < Self.trimLimit, bytes.capacity - bytes.count > bytes.count / 8 { bytes = bytes.exactCopy() }
        if starts.count * 4 < Self.trimLimit, starts.capacity - starts.count > starts.count / 8 { starts = starts.trimmed() }
    }

    /// Arrays of at least this many bytes are not trimmed.
    private static var trimLimit: Int { 1 << 20 }

    /// Makes room for `extra` more bytes and `events` more events, doubling when it must grow
    /// (so appending chunk after chunk copies each byte a bounded number of times).
    private mutating func reserve(extra: Int, events: Int) {
        if bytes.count + extra > bytes.capacity { bytes.reserveCapacity(max(bytes.count + extra, bytes.capacity * 2)) }
        if starts.count + events > starts.capacity { starts.reserveCapacity(max(starts.count + events, starts.capacity * 2)) }
    }

    /// Appends the events of `chunk`, parsed by a reader thread whose string ids are this
    /// store's (its string table was this one's while it parsed).
    mutating func append(sharingStrings chunk: EventStore<RawBytes>) {
        reserve(extra: chunk.bytes.count, events: chunk.starts.count)
        starts.append(contentsOf: chunk.starts, adding: bytes.count)
        chunk.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
    }

    /// Appends the events of `chunk`, parsed by a reader thread with a string table of its own,
    /// re-interning its strings here. `stringPositions` are the offsets in `chunk.bytes` of its
    /// string-id varints, in order, so only those bytes are rewritten; `remap` maps the thread's
    /// string ids to this store's and grows as the thread meets new strings.
    mutating func append(_ chunk: EventStore<RawBytes>, stringPositions: [Int], remap: inout [Int]) {
        for id in remap.count..<chunk.strings.count {
            remap.append(chunk.strings.withBytes(of: id) { strings.intern($0) })
        }
        reserve(extra: chunk.bytes.count + stringPositions.count * 4, events: chunk.starts.count)
        chunk.bytes.withUnsafeBufferPointer { source in
            var copied = 0
            var nextEvent = 0
            func copy(upTo end: Int) {
                while nextEvent < chunk.starts.count && chunk.starts[nextEvent] < end {
                    starts.append(bytes.count + chunk.starts[nextEvent] - copied)
                    nextEvent += 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied..<end]))
            }
            for position in stringPositions {
                copy(upTo: position)
                var cursor = EventCursor(base: source.baseAddress!, position: position, end: source.count)
                putStringID(remap[cursor.stringID()])
                copied = cursor.position
            }
            copy(upTo: source.count)
        }
    }
}

extension EventStore {
    // MARK: Writing

    /// Removes events `first...` and their bytes (a partial event of a cut-off last line).
    mutating func dropEvents(from first: Int) {
        guard first < starts.count else { return }
        bytes.removeLast(bytes.count - starts[first])
        starts.removeLast(starts.count - first)
    }

    mutating func begin(_ kind: Event.Kind) {
        starts.append(bytes.count)
        bytes.append(kind.rawValue)
    }

    @inline(__always)
    mutating func putVarint(_ value: UInt64) { bytes.putVarint(value) }

    /// Replaces the one-byte varint 0 at `position` with `count`, for a count written before
    /// the elements it counts were read.
    mutating func patchCount(_ count: Int, at position: Int) {
        if count < 0x80 { return bytes[position] = UInt8(count) }
        let tail = (position + 1..<bytes.count).map { bytes[$0] }
        bytes.removeLast(bytes.count - position)
        putVarint(UInt64(count))
        tail.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func putTag(_ field: TraceField) { bytes.append(field.rawValue) }

    @inline(__always)
    mutating func putInt(_ value: Int) { bytes.putVarint(UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))) }

    /// A sequence number, offset by one so AccumulateGrad's `UInt64.max` takes one byte.
    @inline(__always)
    mutating func putSequenceNr(_ value: UInt64) { putVarint(value &+ 1) }

    @inline(__always)
    mutating func putBool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    @inline(__always)
    mutating func putStringID(_ id: Int) { putVarint(UInt64(id)) }

    mutating func putString(_ string: String) { putStringID(strings.intern(string)) }

    mutating func putDoubles(_ values: UnsafeBufferPointer<Double>) {
        putVarint(UInt64(values.count))
        guard !values.isEmpty else { return }
        let narrow = values.allSatisfy { Double(Float($0)).bitPattern == $0.bitPattern }
        let width = narrow ? 4 : 8
        bytes.append(UInt8(width))
        withUnsafeTemporaryAllocation(byteCount: values.count * width, alignment: 8) { raw in
            for (index, value) in values.enumerated() {
                if narrow {
                    raw.storeBytes(of: Float(value).bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
                } else {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 8, as: UInt64.self)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(raw.bindMemory(to: UInt8.self)))
        }
    }

    // MARK: Tagged writing (used when appending an `Event`)

    mutating func put(_ field: TraceField, _ value: Int) { putTag(field); putInt(value) }
    mutating func put(_ field: TraceField, _ value: Bool) { putTag(field); putBool(value) }
    mutating func put(_ field: TraceField, _ value: String) { putTag(field); putString(value) }

    mutating func put(_ field: TraceField, _ values: [Int]) {
        putTag(field)
        putVarint(UInt64(values.count))
        for value in values { putInt(value) }
    }

    mutating func put(_ field: TraceField, _ values: [Double]) {
        putTag(field)
        values.withUnsafeBufferPointer { putDoubles($0) }
    }

    mutating func put(_ field: TraceField, pairs: [(Int, Int)]) {
        putTag(field)
        putVarint(UInt64(pairs.count))
        for (first, second) in pairs {
            putInt(first)
            putInt(second)
        }
    }
}
