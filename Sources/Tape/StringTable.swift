/// Interned strings: each distinct string is stored once and events refer to it by a small id.
///
/// Interning hashes raw UTF-8 bytes, so the trace reader interns names straight from the file
/// without making a `String` for every occurrence (only the first).
struct StringTable: Sendable {
    private(set) var strings: [String] = []
    /// The UTF-8 bytes of every string, back to back; string `i` spans `ends[i - 1]..<ends[i]`.
    private var arena: [UInt8] = []
    private var ends: [Int] = []
    /// Open-addressing hash table of string ids, -1 when empty; its size is a power of two.
    private var slots = [Int32](repeating: -1, count: 64)

    var count: Int { strings.count }

    subscript(id: Int) -> String { strings[id] }

    /// Approximate heap bytes held.
    var footprint: Int {
        arena.capacity + ends.capacity * 8 + slots.capacity * 4
            + strings.reduce(strings.capacity * 16) { $0 + ($1.utf8.count > 15 ? $1.utf8.count + 32 : 0) }
    }

    /// Calls `body` with the UTF-8 bytes string `id` was interned from.
    func withBytes<R>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = id == 0 ? 0 : ends[id - 1]
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<ends[id]])) }
    }

    mutating func intern(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { intern($0) }
    }

    /// The id of the string whose UTF-8 bytes are `bytes`, adding it if new. Invalid UTF-8 is
    /// repaired with U+FFFD in the `String`.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = slots.count - 1
        var slot = Self.hash(bytes) & mask
        while true {
            let id = Int(slots[slot])
            if id < 0 { break }
            if matches(id, bytes) { return id }
            slot = (slot + 1) & mask
        }
        let id = strings.count
        strings.append(String(decoding: bytes, as: UTF8.self))
        arena.append(contentsOf: bytes)
        ends.append(arena.count)
        slots[slot] = Int32(truncatingIfNeeded: id)
        if strings.count * 2 > slots.count { rehash(size: slots.count * 2) }
        return id
    }

    /// The id of `string` when it was interned, nil otherwise (the table is not changed).
    func id(of string: String) -> Int? {
        var string = string
        return string.withUTF8 { bytes in
            let mask = slots.count - 1
            var slot = Self.hash(bytes) & mask
            while slots[slot] >= 0 {
                let id = Int(slots[slot])
                if matches(id, bytes) { return id }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    private func matches(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = id == 0 ? 0 : ends[id - 1]
        guard ends[id] - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            bytes.isEmpty || memoryEqual(arena.baseAddress! + start, bytes.baseAddress!, bytes.count)
        }
    }

    private mutating func rehash(size: Int) {
        slots = [Int32](repeating: -1, count: size)
        let mask = size - 1
        arena.withUnsafeBufferPointer { arena in
            var start = 0
            for id in 0..<ends.count {
                let bytes = UnsafeBufferPointer(rebasing: arena[start..<ends[id]])
                start = ends[id]
                var slot = Self.hash(bytes) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(truncatingIfNeeded: id)
            }
        }
    }

    /// FNV-1a over the bytes, folded so the low bits used for the slot depend on every byte.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for offset in 0..<count where a[offset] != b[offset] { return false }
    return true
}
