import Tape

/// Values that change at known event positions, answering "what was it before position p" in O(log n).
///
/// A view into a `Timelines` table: the entries of one key, in position order.
struct Timeline<Value: Sendable>: Sendable {
    /// Event positions in 4 bytes (`Timelines`).
    let positions: ArraySlice<Int32>
    let values: ArraySlice<Value>

    /// The number of entries recorded at event indexes below `position`.
    func count(before position: Int) -> Int { positions.countBefore(position) }

    /// The last value recorded at an event index below `position`, nil if none.
    func value(before position: Int) -> Value? {
        let n = count(before: position)
        return n == 0 ? nil : values[values.startIndex + n - 1]
    }

    /// The most recent value.
    var last: Value? { values.last }
}

/// One timeline per key (a tensor or a version counter), all held in flat arrays rather than
/// two arrays per key: appended in position order while a tape is indexed, then grouped by key
/// once by `finish` (a stable counting sort, so each key's entries stay in position order).
/// Keys, positions and group starts take 4 bytes each (`TapeIndex` checks that the tape's event
/// count fits): every page of the index is a fresh one, whose first touch is a page fault.
struct Timelines<Value: Sendable>: Sendable {
    /// An entry as appended: its key, position and value side by side, so that an append is one
    /// store instead of three.
    private struct Entry: Sendable {
        var key: Int32
        var position: Int32
        var value: Value
    }

    /// The entries while indexing, in tape order; emptied by `finish`.
    private var entries = AppendBuffer<Entry>()
    /// Each entry's position and value, grouped by key once finished.
    private var positions: [Int32] = []
    private var values: [Value] = []
    /// Where each key's entries start, once finished; one more entry than there are keys, or
    /// none when no key has an entry (a table of starts per tensor for nothing otherwise).
    private var starts: [Int32] = []

    /// Makes room for `count` entries, when the tape says how many there will be.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// Records `value` for `key` as of event `position`; positions must not decrease, and both
    /// must fit in 4 bytes (the index's check).
    @inline(__always)
    mutating func append(_ value: Value, for key: Int, at position: Int) {
        entries.append(Entry(key: Int32(truncatingIfNeeded: key), position: Int32(truncatingIfNeeded: position), value: value))
    }

    /// Groups the entries by key, for keys `0..<keyCount`; call once, after the last `append`.
    mutating func finish(keyCount: Int) {
        entries.drain { entries in group(entries, keyCount: keyCount) }
    }

    private mutating func group(_ entries: UnsafeBufferPointer<Entry>, keyCount: Int) {
        let count = entries.count
        guard count > 0 else { return }
        var starts: [Int32] = []
        positions = [Int32](unsafeUninitializedCapacity: count) { positions, initializedPositions in
            values = [Value](unsafeUninitializedCapacity: count) { values, initializedValues in
                starts = Grouping.scatter(count: count, keyCount: keyCount, key: { Int(entries[$0].key) }) { entry, slot in
                    (positions.baseAddress! + slot).initialize(to: entries[entry].position)
                    (values.baseAddress! + slot).initialize(to: entries[entry].value)
                }
                initializedValues = count
            }
            initializedPositions = count
        }
        self.starts = starts
    }

    /// The last value recorded for `key` at an event index below `position`, nil if none:
    /// `self[key].value(before: position)` without making the slices, which retain both arrays
    /// (the replay asks it per saved variable).
    func value(for key: Int, before position: Int) -> Value? {
        guard !starts.isEmpty else { return nil }
        let first = Int(starts[key])
        let count = firstIndex(atOrAfter: position, in: first..<Int(starts[key + 1]))
        return count == first ? nil : values[count - 1]
    }

    /// The values recorded for `key` at event indexes strictly between `start` and `end`, in
    /// position order, found without making a `Timeline` (the blame asks it per saved variable
    /// of every replayed node, most of them with nothing there).
    func values(for key: Int, after start: Int, before end: Int) -> ArraySlice<Value> {
        guard !starts.isEmpty else { return [] }
        let range = Int(starts[key])..<Int(starts[key + 1])
        let low = firstIndex(atOrAfter: start + 1, in: range)
        let high = max(low, firstIndex(atOrAfter: end, in: range))
        return low == high ? [] : values[low..<high]
    }

    /// The first index of `range` whose entry is at `position` or later (`range.upperBound` when
    /// none is): positions grow within a key.
    private func firstIndex(atOrAfter position: Int, in range: Range<Int>) -> Int {
        range.lowerBound + positions[range].countBefore(position)
    }

    /// The timeline of `key` (empty for a key without entries).
    subscript(key: Int) -> Timeline<Value> {
        guard !starts.isEmpty else { return Timeline(positions: [], values: []) }
        let range = Int(starts[key])..<Int(starts[key + 1])
        return Timeline(positions: positions[range], values: values[range])
    }
}
