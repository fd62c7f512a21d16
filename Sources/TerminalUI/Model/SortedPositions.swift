extension Array where Element == Int {
    /// How many elements are `< value`, for an ascending array (binary search).
    func countBefore(_ value: Int) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

}
