/// A perfect hash from names packed by `TraceField.pack` (at most 8 bytes in one word) to a
/// byte: a multiplier, found once at start-up, that sends every name to its own one of 256
/// slots (its product's top byte), so a lookup is one multiplication, one shift and one
/// comparison. Trace keys and event kinds are read through one each.
struct PackedNameTable: Sendable {
    private let multiplier: UInt64
    /// The packed name in its slot, 0 in the empty ones.
    private let names: [UInt64]
    /// The value of the name in its slot.
    private let values: [UInt8]

    /// The table of `entries`: at most 256 distinct non-zero names.
    init(_ entries: [(name: UInt64, value: UInt8)]) {
        var multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        while true {
            var names = [UInt64](repeating: 0, count: 256)
            var values = [UInt8](repeating: 0, count: 256)
            var collided = false
            for (name, value) in entries {
                let slot = Int(truncatingIfNeeded: (name &* multiplier) >> 56)
                if names[slot] != 0 { collided = true; break }
                names[slot] = name
                values[slot] = value
            }
            if !collided {
                self.multiplier = multiplier
                self.names = names
                self.values = values
                return
            }
            multiplier = multiplier &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        }
    }

    /// The value of the name packed as `packed`; nil for 0 and for names the table lacks.
    @inline(__always)
    func value(of packed: UInt64) -> UInt8? {
        let slot = Int(truncatingIfNeeded: (packed &* multiplier) >> 56)
        guard names[slot] == packed, packed != 0 else { return nil }
        return values[slot]
    }
}
