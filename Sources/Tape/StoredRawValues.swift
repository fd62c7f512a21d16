// The enums whose raw values compact storage holds (an event's kind byte, each field's tag, a
// field's type in the schema) are read once per field of every event a scan touches. Their
// synthesized `init?(rawValue:)` is an out-of-line call; these are one compare. Each enum
// declares its cases with the implicit raw values 0..<count in order, which is also the order
// Swift numbers the cases of an enum without payloads, so the byte is the case
// (`StoredRawValuesTests` checks every case of the three).

extension TraceField {
    /// The field whose raw value is `raw`, nil past the last case.
    @inlinable @inline(__always)
    init?(stored raw: UInt8) {
        guard raw <= TraceField.code.rawValue else { return nil }
        self = unsafeBitCast(raw, to: TraceField.self)
    }
}

extension Event.Kind {
    /// The kind whose raw value is `raw`, nil past the last case.
    @inlinable @inline(__always)
    init?(stored raw: UInt8) {
        guard raw <= Event.Kind.exit.rawValue else { return nil }
        self = unsafeBitCast(raw, to: Event.Kind.self)
    }
}

extension FieldType {
    /// The type whose raw value is `raw`, nil past the last case.
    @inline(__always)
    init?(stored raw: UInt8) {
        guard raw <= FieldType.grads.rawValue else { return nil }
        self = unsafeBitCast(raw, to: FieldType.self)
    }
}
