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

    /// A multiply–xorshift hash over the bytes, eight at a time (names are mostly 5–20 bytes, and
    /// byte-at-a-time FNV-1a was ≈ 4 % of loading a trace): each word is mixed in with one
    /// multiplication, and the high half folded down so the low bits used for the slot depend on
    /// every byte. Ids never depend on the hash, only lookups do.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = bytes.baseAddress else { return Int(truncatingIfNeeded: hash) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= count {
            hash = mix(hash, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < count {
            // The last 1–7 bytes, read whole when the string has a word before them.
            let tail = count >= 8
                ? raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                : partialWord(base, count)
            hash = mix(hash, tail)
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    @inline(__always)
    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
        return product ^ (product >> 32)
    }

    /// The `count` (< 8) bytes at `base` in one word, without reading past them.
    @inline(__always)
    private static func partialWord(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var word: UInt64 = 0
        for index in 0..<count { word |= UInt64(base[index]) << (8 * index) }
        return word
    }
}

/// Whether `count` bytes at `a` and `b` are equal, compared eight at a time.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
    var offset = 0
    while offset + 8 <= count {
        guard rawA.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            == rawB.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
        offset += 8
    }
    while offset < count {
        guard a[offset] == b[offset] else { return false }
        offset += 1
    }
    return true
}
