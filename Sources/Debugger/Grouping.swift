/// Integers grouped by a small non-negative integer key, all in one flat array: the groups of
/// a million-event tape without an array (or a dictionary entry) per key. Starts and values take
/// 4 bytes each: they are ids and positions of a tape whose event count `TapeIndex` checked.
struct Grouping: Sendable {
    /// Where each key's values start in `values`; one more entry than there are keys.
    private let starts: [Int32]
    private let values: [Int32]

    /// No groups.
    init() {
        starts = []
        values = []
    }

    /// Groups `values[i]` under `keys[i]`, keeping each group in the order given.
    init(keys: [Int], values: [Int]) {
        self.init(count: keys.count, key: { keys[$0] }, value: { values[$0] })
    }

    /// Groups entries `0..<count`, entry `i` being `value(i)` under `key(i)`, each group in entry
    /// order: read through closures, so that grouping a field of the index's records makes no
    /// array of keys or values first.
    @inline(__always)
    init(count: Int, key: (Int) -> Int, value: (Int) -> Int) {
        var keyCount = 0
        for entry in 0..<count { keyCount = max(keyCount, key(entry) + 1) }
        (starts, values) = Self.grouped(count: count, keyCount: keyCount, key: key, value: { Int32(truncatingIfNeeded: value($0)) })
    }

    /// The values grouped under `key`, empty when there are none.
    subscript(key: Int) -> [Int] {
        guard key >= 0, key + 1 < starts.count else { return [] }
        return values[Int(starts[key])..<Int(starts[key + 1])].map(Int.init)
    }

    /// `value(i)` of entries `0..<count` (keys in `0..<keyCount`) grouped by `key(i)`, each group in
    /// entry order: key `k`'s group is `values[starts[k]..<starts[k + 1]]`.
    @inline(__always)
    static func grouped<Value>(
        count: Int, keyCount: Int, key: (Int) -> Int, value: (Int) -> Value
    ) -> (starts: [Int32], values: [Value]) {
        var starts: [Int32] = []
        let values = [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            starts = scatter(count: count, keyCount: keyCount, key: key) { entry, slot in
                (buffer.baseAddress! + slot).initialize(to: value(entry))
            }
            initialized = count
        }
        return (starts, values)
    }

    /// A stable counting sort of entries `0..<count` by `key(i)` (in `0..<keyCount`): calls
    /// `place(i, slot)` once per entry with its slot in grouped order, each group in entry order,
    /// and returns where each key's group starts (one more entry than there are keys). Linear
    /// time, the one sort behind every per-key index; the slots are handed out from the group
    /// starts themselves, shifted back afterwards, so no order array or second copy of the
    /// starts is made.
    @inline(__always)
    static func scatter(count: Int, keyCount: Int, key: (Int) -> Int, place: (Int, Int) -> Void) -> [Int32] {
        var starts = [Int32](repeating: 0, count: keyCount + 1)
        // Through a buffer pointer: the array's uniqueness was checked per access otherwise. Every
        // key is checked once, in the counting pass, before any slot is used.
        starts.withUnsafeMutableBufferPointer { starts in
            for entry in 0..<count {
                let k = key(entry)
                precondition(k >= 0 && k < keyCount, "grouping key out of range")
                starts[k + 1] += 1
            }
            for k in 0..<keyCount { starts[k + 1] += starts[k] }
            // starts[k] is key k's next free slot; once placed, it is where key k + 1 starts.
            for entry in 0..<count {
                let k = key(entry)
                place(entry, Int(starts[k]))
                starts[k] += 1
            }
            for k in stride(from: keyCount, to: 0, by: -1) { starts[k] = starts[k - 1] }
            starts[0] = 0
        }
        return starts
    }
}
