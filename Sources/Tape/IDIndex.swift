/// Maps an id (tensor, node, op index, backward call) to the event that introduced it.
///
/// Ids are dense from 0 in a well-formed tape, so a flat array of 4-byte event indexes serves
/// them; ids far outside the dense range (a hand-edited trace) go to a dictionary instead, so no
/// input can make the array huge.
struct IDIndex: Sendable {
    private static let absent = UInt32.max
    private var dense: [UInt32] = []
    private var sparse: [Int: Int] = [:]
    private var stored = 0

    /// The event that introduced `id`, nil when none did.
    subscript(id: Int) -> Int? {
        if id >= 0 && id < dense.count, dense[id] != Self.absent { return Int(dense[id]) }
        return sparse.isEmpty ? nil : sparse[id]
    }

    /// Records that `event` introduced `id`, unless an earlier event already did.
    mutating func recordFirst(_ id: Int, event: Int) {
        guard self[id] == nil else { return }
        stored += 1
        if id >= 0 && id < 2 * stored + 1024 && event < Int(Self.absent) {
            if id >= dense.count { dense.append(contentsOf: repeatElement(Self.absent, count: id + 1 - dense.count)) }
            dense[id] = UInt32(event)
        } else {
            sparse[id] = event
        }
    }

    /// Approximate heap bytes held.
    var footprint: Int { dense.capacity * 4 + sparse.capacity * 24 }
}
