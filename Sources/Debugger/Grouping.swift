/// Integers grouped by a small non-negative integer key, all in one flat array: the groups of
/// a million-event tape without an array (or a dictionary entry) per key.
struct Grouping: Sendable {
    /// Where each key's values start in `values`; one more entry than there are keys.
    private let starts: [Int]
    private let values: [Int]

    /// Groups `values[i]` under `keys[i]`, keeping each group in the order given.
    init(keys: [Int], values: [Int]) {
        let (starts, order) = Self.stableOrder(keys: keys, keyCount: (keys.max() ?? -1) + 1)
        self.starts = starts
        self.values = order.map { values[$0] }
    }

    /// The values grouped under `key`, empty when there are none.
    subscript(key: Int) -> [Int] {
        guard key >= 0, key + 1 < starts.count else { return [] }
        return Array(values[starts[key]..<starts[key + 1]])
    }

    /// A stable counting sort of entries by key (keys in `0..<keyCount`): `order` lists the entry
    /// indexes grouped by key, each group in entry order, and key `k`'s group is
    /// `order[starts[k]..<starts[k + 1]]`. Linear time, the one sort behind every per-key index.
    static func stableOrder(keys: [Int], keyCount: Int) -> (starts: [Int], order: [Int]) {
        var starts = [Int](repeating: 0, count: keyCount + 1)
        for key in keys { starts[key + 1] += 1 }
        for key in 0..<keyCount { starts[key + 1] += starts[key] }
        var next = starts
        let order = [Int](unsafeUninitializedCapacity: keys.count) { buffer, initialized in
            for (entry, key) in keys.enumerated() {
                buffer[next[key]] = entry
                next[key] += 1
            }
            initialized = keys.count
        }
        return (starts, order)
    }
}
