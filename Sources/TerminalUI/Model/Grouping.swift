/// Integers grouped by a small non-negative integer key, all in one flat array: the groups of
/// a million-event tape without an array (or a dictionary entry) per key.
struct Grouping: Sendable {
    /// Where each key's values start in `values`; one more entry than there are keys.
    private let starts: [Int]
    private let values: [Int]

    /// Groups `values[i]` under `keys[i]`, keeping each group in the order given.
    init(keys: [Int], values: [Int]) {
        let keyCount = (keys.max() ?? -1) + 1
        var starts = [Int](repeating: 0, count: keyCount + 1)
        for key in keys { starts[key + 1] += 1 }
        for key in 0..<keyCount { starts[key + 1] += starts[key] }
        var next = starts
        var grouped = [Int](repeating: 0, count: values.count)
        for (key, value) in zip(keys, values) {
            grouped[next[key]] = value
            next[key] += 1
        }
        self.starts = starts
        self.values = grouped
    }

    /// The values grouped under `key`, empty when there are none.
    subscript(key: Int) -> [Int] {
        guard key >= 0, key + 1 < starts.count else { return [] }
        return Array(values[starts[key]..<starts[key + 1]])
    }
}
