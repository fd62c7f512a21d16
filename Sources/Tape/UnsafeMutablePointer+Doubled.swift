extension UnsafeMutablePointer where Pointee: BitwiseCopyable {
    /// A buffer of twice `capacity` holding this buffer's first `count` values; this one is
    /// freed. The growth step of the loader's reused buffers (`ScratchBuffer`, `TraceChunks`).
    func doubled(capacity: Int, keeping count: Int) -> UnsafeMutablePointer<Pointee> {
        let larger = UnsafeMutablePointer<Pointee>.allocate(capacity: capacity * 2)
        larger.initialize(from: self, count: count)
        deallocate()
        return larger
    }
}
