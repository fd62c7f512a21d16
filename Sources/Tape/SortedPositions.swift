extension RandomAccessCollection where Element == Int {
    /// How many elements are `< value`, for an ascending collection: the one binary search behind
    /// every "what happened before position p" question of the debugger and its views, and behind
    /// the file line of an event (`TraceLines`).
    public func countBefore(_ value: Int) -> Int {
        var low = startIndex
        var high = endIndex
        while low != high {
            let middle = index(low, offsetBy: distance(from: low, to: high) / 2)
            if self[middle] < value { low = index(after: middle) } else { high = middle }
        }
        return distance(from: startIndex, to: low)
    }
}
