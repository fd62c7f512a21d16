/// Reads the tagged values of one event written by `EventStore`.
@usableFromInline
struct EventCursor {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline var position: Int
    @usableFromInline let end: Int

    @inlinable
    init(base: UnsafePointer<UInt8>, position: Int, end: Int) {
        self.base = base
        self.position = position
        self.end = end
    }

    /// The next field tag, nil at the end of the event.
    @inlinable @inline(__always)
    mutating func field() -> TraceField? {
        guard position < end else { return nil }
        defer { position += 1 }
        return TraceField(stored: base[position])
    }

    /// Steps past the tag of `field` when it is the event's next field; false (the cursor
    /// unmoved) when the event ends here or another field comes next. The in-order reads of a
    /// whole-tape scan (`EventCursor+InOrder`) test each expected tag with it instead of dispatching on
    /// the tag they find.
    @inlinable @inline(__always)
    mutating func take(_ field: TraceField) -> Bool {
        guard position < end, base[position] == field.rawValue else { return false }
        position &+= 1
        return true
    }

    /// Whether every field of the event has been read.
    @inlinable var isAtEnd: Bool { position == end }

    // Skips of a field when it is the event's next field, for the in-order reads: each false
    // (the cursor unmoved) when another field comes next. One function per type rather than
    // one switching on a constant type, which the compiler left a call (≈ 60 instructions an
    // event of the Debugger's index).

    /// Skips the integer or interned string `field`.
    @inlinable @inline(__always)
    mutating func skipVarint(_ field: TraceField) -> Bool {
        guard take(field) else { return false }
        while base[position] >= 0x80 { position &+= 1 }
        position &+= 1
        return true
    }

    /// Skips the flag `field`.
    @inlinable @inline(__always)
    mutating func skipFlag(_ field: TraceField) -> Bool {
        guard take(field) else { return false }
        position &+= 1
        return true
    }

    /// Skips the integer list `field` (a shape).
    @inlinable @inline(__always)
    mutating func skipInts(_ field: TraceField) -> Bool {
        guard take(field) else { return false }
        skipVarints(Int(varint()))
        return true
    }

    /// Skips the number list `field` (a values preview).
    @inlinable @inline(__always)
    mutating func skipDoubles(_ field: TraceField) -> Bool {
        guard take(field) else { return false }
        skipDoubles()
        return true
    }

    /// Skips the gradients `field`.
    @inlinable @inline(__always)
    mutating func skipGrads(_ field: TraceField) -> Bool {
        guard take(field) else { return false }
        skipGrads()
        return true
    }

    /// A LEB128 varint; most ids and versions take one byte, read without entering the loop.
    /// (Wrapping arithmetic: the store's varints are at most ten bytes, written by `EventStore`.)
    @inlinable @inline(__always)
    mutating func varint() -> UInt64 {
        let first = base[position]
        position &+= 1
        guard first >= 0x80 else { return UInt64(first) }
        var result = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            let byte = base[position]
            position &+= 1
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return result }
            shift &+= 7
        }
    }

    @inlinable @inline(__always)
    mutating func int() -> Int {
        let raw = varint()
        return Int(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
    }

    @inlinable @inline(__always)
    mutating func sequenceNr() -> UInt64 { varint() &- 1 }

    @inlinable @inline(__always)
    mutating func bool() -> Bool {
        defer { position += 1 }
        return base[position] != 0
    }

    @inlinable @inline(__always)
    mutating func stringID() -> Int { Int(varint()) }

    /// `count` values made by `element`, without intermediate arrays.
    @inline(__always)
    private mutating func array<T>(_ element: (inout EventCursor) -> T) -> [T] {
        let count = Int(varint())
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(element(&self)) }
        return result
    }

    mutating func ints() -> [Int] { array { $0.int() } }

    mutating func pairs() -> [(Int, Int)] { array { ($0.int(), $0.int()) } }

    mutating func tensorVersions() -> [TensorVersion] { array { TensorVersion(tensor: $0.int(), version: $0.int()) } }

    mutating func rootEdges() -> [Edge] { array { Edge(node: $0.int(), inputNr: $0.int()) } }

    mutating func doubles() -> [Double] {
        let count = Int(varint())
        guard count > 0 else { return [] }
        let width = Int(base[position])
        position += 1
        let raw = UnsafeRawPointer(base + position)
        position += count * width
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                buffer[index] = width == 4
                    ? Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))))
                    : Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
            }
            initialized = count
        }
    }

    /// Edges of `next_functions`: a presence byte, then node and input number.
    mutating func edges() -> [Edge?] {
        array { $0.bool() ? Edge(node: $0.int(), inputNr: $0.int()) : nil }
    }

    /// Gradients: a presence byte, then tensor, shape and values.
    mutating func grads() -> [TensorValues?] {
        array { c in
            guard c.bool() else { return nil }
            let tensor = c.int()
            let shape = c.ints()
            return TensorValues(tensor: tensor, shape: shape, values: c.doubles())
        }
    }

    /// Skips a value of `type` without building it.
    @inline(__always)
    mutating func skip(_ type: FieldType) {
        switch type {
        case .int, .uint64, .string: skipVarints(1)
        case .bool: position += 1
        case .ints: skipVarints(Int(varint()))
        case .pairs: skipVarints(2 * Int(varint()))
        case .edges: skipEdges()
        case .doubles: skipDoubles()
        case .grads: skipGrads()
        }
    }

    @inlinable @inline(__always)
    mutating func skipVarints(_ count: Int) {
        for _ in 0..<count {
            while base[position] >= 0x80 { position &+= 1 }
            position &+= 1
        }
    }

    @inlinable @inline(__always)
    mutating func skipEdges() {
        for _ in 0..<Int(varint()) where bool() { skipVarints(2) }
    }

    @inlinable @inline(__always)
    mutating func skipDoubles() {
        let count = Int(varint())
        guard count > 0 else { return }
        position &+= 1 &+ count &* Int(base[position])
    }

    @inlinable @inline(__always)
    mutating func skipGrads() {
        for _ in 0..<Int(varint()) where bool() {
            skipVarints(1)
            skipVarints(Int(varint()))
            skipDoubles()
        }
    }
}
