/// Maps a source line to the events issued from it, in order.
struct LineIndex: Sendable {
    private var dense: [[UInt32]] = []
    private var sparse: [Int: [Int]] = [:]
    private var stored = 0

    /// The events recorded at `line`, in order.
    subscript(line: Int) -> [Int] {
        let near = line >= 0 && line < dense.count ? dense[line].map(Int.init) : []
        guard let far = sparse[line] else { return near }
        return near.isEmpty ? far : (near + far).sorted()
    }

    mutating func append(_ event: Int, line: Int) {
        stored += 1
        if line >= 0 && line < dense.count + 1024 && line < 2 * stored + 4096 && event < Int(UInt32.max) {
            if line >= dense.count { dense.append(contentsOf: repeatElement([], count: line + 1 - dense.count)) }
            dense[line].append(UInt32(event))
        } else {
            sparse[line, default: []].append(event)
        }
    }

    /// Approximate heap bytes held.
    var footprint: Int { dense.reduce(dense.capacity * 8) { $0 + $1.capacity * 4 + 32 } + sparse.capacity * 48 }
}
