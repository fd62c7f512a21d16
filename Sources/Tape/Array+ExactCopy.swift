extension Array {
    /// A copy whose capacity is its count: a tape's arrays are reserved large while a trace
    /// loads, and a small tape gives the spare back once it is complete.
    func exactCopy() -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                buffer.baseAddress!.initialize(from: base, count: source.count)
            }
            initialized = count
        }
    }
}
