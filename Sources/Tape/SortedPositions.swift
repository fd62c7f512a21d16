extension RandomAccessCollection where Element: BinaryInteger {
    /// How many elements are `< value`, for an ascending collection: the one binary search behind
    /// every "what happened before position p" question of the debugger and its views (positions
    /// kept in 8 bytes or, in the debugger's timelines, 4), and behind the file line of an event
    /// (`TraceLines`). Inlinable so that callers in other modules get it specialized for their
    /// collection: called as generic code from the Debugger it made `explain()`'s blame 6× and a
    /// which-op-bumped query 7× slower.
    @inlinable
    public func countBefore(_ value: Int) -> Int {
        var low = startIndex
        var high = endIndex
        while low != high {
            let middle = index(low, offsetBy: distance(from: low, to: high) / 2)
            if Int(self[middle]) < value { low = index(after: middle) } else { high = middle }
        }
        return distance(from: startIndex, to: low)
    }
}
