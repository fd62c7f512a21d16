/// Values that change at known event positions, answering "what was it before position p" in O(log n).
struct Timeline<Value: Sendable>: Sendable {
    private(set) var positions: [Int] = []
    private(set) var values: [Value] = []

    /// Records `value` as of event `position`; positions must be appended in increasing order.
    mutating func append(_ value: Value, at position: Int) {
        positions.append(position)
        values.append(value)
    }

    /// The number of entries recorded at event indexes below `position`.
    func count(before position: Int) -> Int {
        var low = 0
        var high = positions.count
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The last value recorded at an event index below `position`, nil if none.
    func value(before position: Int) -> Value? {
        let n = count(before: position)
        return n == 0 ? nil : values[n - 1]
    }

    /// The most recent value.
    var last: Value? { values.last }
}
