/// Reads one event line of a trace into an `EventStore`, reusing scratch buffers across lines.
///
/// Values go straight from the file's bytes into the store as `(field tag, value)` pairs, in
/// the order the line has them; the schema says each field's type for the event's kind.
struct EventLineReader {
    private let schema = TraceSchema.shared
    private let keyTable = TraceField.byPackedKey
    private let kindNames = Event.Kind.byPackedName
    private let kindKey = TraceField.kind.packedKey
    /// Per `(kind << 6 | field)`: the field's stored type (`TraceSchema.types`) and what its
    /// value tells the range checks, read with one lookup per field.
    private let plans: [FieldPlan]
    /// Whether to note where string ids are stored (for `EventStore.append(_:stringPositions:)`).
    private let recordsStrings: Bool
    /// The offsets in the store of the string ids written, when `recordsStrings`.
    private(set) var stringPositions: [Int] = []
    /// What the range checks need from the events read since the last `reset()` of the notes;
    /// kept out of line, so the reader stays small to pass around in the per-field loop.
    let notes: UnsafeMutablePointer<RangeNotes> = {
        let notes = UnsafeMutablePointer<RangeNotes>.allocate(capacity: 1)
        notes.initialize(to: RangeNotes())
        return notes
    }()
    private var ints = ScratchBuffer<Int>()
    private var doubles = ScratchBuffer<Double>()
    /// Per event kind, `predictedKeys` slots: the `n`th key of the last line of that kind read
    /// (see `PredictedKey`). Writers put the keys of a kind in one order, so the next line of
    /// the kind usually has the same bytes at the same place; out of line like `notes`.
    private let predictions: UnsafeMutablePointer<PredictedKey> = {
        let count = Event.Kind.allCases.count * EventLineReader.predictedKeys
        let predictions = UnsafeMutablePointer<PredictedKey>.allocate(capacity: count)
        predictions.initialize(repeating: .never, count: count)
        return predictions
    }()
    /// How many keys of a line are predicted; later ones are always parsed.
    private static let predictedKeys = 16

    init(recordsStrings: Bool) {
        self.recordsStrings = recordsStrings
        plans = zip(TraceSchema.shared.types, RangeNotes.Action.table).map { FieldPlan(type: $0, action: $1) }
    }

    /// A field's stored type, `FieldType.rawValue + 1` (0 when the kind has no such field), and
    /// its range-check action.
    private struct FieldPlan {
        var type: UInt8
        var action: RangeNotes.Action

        /// For a key the kind has no field for: its value is skipped.
        static let skip = FieldPlan(type: 0, action: .none)
    }

    /// A key as it was last seen at one place in the lines of one kind: its bytes from where
    /// the key was expected up to and including the `:` after it (`"shape":`, any spaces
    /// before the key or the colon included), at most 16, as two little-endian words with the
    /// bytes past the end masked off; and what the key resolved to in that kind.
    ///
    /// Equal bytes parse to the same key, so when the bytes at the cursor match, the key, the
    /// `:` and both table lookups are skipped with the same outcome; any other bytes (another
    /// order, other spacing, an unknown or a longer key) go through `TraceScanner.key()` as
    /// before, which also gives every error its message, and replace the prediction.
    private struct PredictedKey {
        var low: UInt64
        var lowMask: UInt64
        var high: UInt64
        var highMask: UInt64
        /// How many bytes the key and its colon take.
        var length: UInt8
        /// `TraceField.rawValue`; meaningless when `plan.type` is 0 (the key is skipped).
        var field: UInt8
        var plan: FieldPlan

        /// Matches nothing: no byte masked with `0xFF` equals `0x100`.
        static let never = PredictedKey(
            low: 0x100, lowMask: 0xFF, high: 0, highMask: 0, length: 0, field: 0,
            plan: .skip)

        /// Whether the 16 bytes at `words` (loaded from the cursor) start with this key.
        @inline(__always)
        func matches(_ words: (UInt64, UInt64)) -> Bool {
            (words.0 & lowMask) == low && (words.1 & highMask) == high
        }

        /// The prediction for the `length` bytes whose first 16 are `words`; nil when longer than 16.
        @inline(__always)
        static func learn(_ words: (UInt64, UInt64), length: Int, field: UInt8, plan: FieldPlan) -> PredictedKey? {
            guard length <= 16 else { return nil }
            let lowMask: UInt64 = length >= 8 ? ~0 : (1 &<< UInt64(8 &* length)) &- 1
            let highMask: UInt64 = length <= 8 ? 0 : length == 16 ? ~0 : (1 &<< UInt64(8 &* (length &- 8))) &- 1
            return PredictedKey(
                low: words.0 & lowMask, lowMask: lowMask, high: words.1 & highMask, highMask: highMask,
                length: UInt8(length), field: field, plan: plan)
        }
    }

    /// Frees the scratch buffers; the reader must not be used again.
    func deallocate() {
        predictions.deinitialize(count: Event.Kind.allCases.count * Self.predictedKeys).deallocate()
        ints.deallocate()
        doubles.deallocate()
        notes.pointee.deallocate()
        notes.deinitialize(count: 1).deallocate()
    }

    /// Forgets every string position (a new chunk starts at byte 0).
    mutating func resetStringPositions() { stringPositions.removeAll(keepingCapacity: true) }

    /// Forgets the string positions at or after byte `end` (their event was dropped).
    mutating func dropStringPositions(from end: Int) {
        while let last = stringPositions.last, last >= end { stringPositions.removeLast() }
    }

    /// Reads the event object at the scanner's position into `store`; stores nothing when its
    /// kind is one this build does not know (the line is skipped).
    ///
    /// A line opening with `{"k":"NAME",` (a known kind, no spaces: every writer's lines) is
    /// read from two word loads; equal bytes parse as they would below, so the outcome is the same.
    mutating func readEvent(_ s: inout TraceScanner, into store: inout EventStore<RawBytes>) throws(TraceError) {
        if let (name, length) = s.kindOpening(), let kind = Self.kind(name, kindNames) {
            s.position &+= length
            begin(kind, &store)
            return try readFields(&s, kind, &store)
        }
        try s.expect(UInt8(ascii: "{"), "an event object {\"k\":...}")
        let fieldsStart = s.position
        if s.consume(UInt8(ascii: "}")) { throw Self.missingKind(s) }
        let firstKey = try s.key()
        try s.expect(UInt8(ascii: ":"), "':' after the key")
        if firstKey == kindKey {
            guard let kind = try Self.readKind(&s, kindNames) else {
                if s.consume(UInt8(ascii: ",")) { try Self.skipFields(&s) } else { try Self.closeObject(&s, "the event") }
                return
            }
            begin(kind, &store)
            if s.consume(UInt8(ascii: ",")) { return try readFields(&s, kind, &store) }
            return try finish(&s, kind, seen: 0)
        }
        try s.skipValue()
        var kind: Event.Kind?
        var found = false
        while s.consume(UInt8(ascii: ",")) {
            let key = try s.key()
            try s.expect(UInt8(ascii: ":"), "':' after the key")
            if key == kindKey {
                kind = try Self.readKind(&s, kindNames)
                found = true
            } else {
                try s.skipValue()
            }
        }
        try Self.closeObject(&s, "the event")
        guard found else { throw Self.missingKind(s) }
        guard let kind else { return }
        s.position = fieldsStart
        begin(kind, &store)
        return try readFields(&s, kind, &store)
    }

    @inline(__always)
    private mutating func begin(_ kind: Event.Kind, _ store: inout EventStore<RawBytes>) {
        store.begin(kind)
        notes.pointee.begin(kind, event: store.starts.count - 1)
    }

    private static func missingKind(_ s: TraceScanner) -> TraceError {
        s.fail("expected \"k\" (event kind) in object")
    }

    /// The kind named by a `"k"` value, nil when unknown. Static, with the names passed: a
    /// method would be handed a copy of the whole reader (144 bytes, a `memcpy`) per event.
    private static func readKind(_ s: inout TraceScanner, _ kindNames: PackedNameTable) throws(TraceError) -> Event.Kind? {
        kind(try s.packedString("field \"k\" (event kind)"), kindNames)
    }

    /// The kind named `packed`; nil for names no kind has.
    @inline(__always)
    private static func kind(_ packed: UInt64, _ kindNames: PackedNameTable) -> Event.Kind? {
        kindNames.value(of: packed).flatMap(Event.Kind.init(stored:))
    }

    private static func closeObject(_ s: inout TraceScanner, _ what: @autoclosure () -> String) throws(TraceError) {
        try s.expect(UInt8(ascii: "}"), "',' or '}' in \(what())")
    }

    private static func skipFields(_ s: inout TraceScanner) throws(TraceError) {
        repeat {
            _ = try s.string("a key")
            try s.expect(UInt8(ascii: ":"), "':' after the key")
            try s.skipValue()
        } while s.consume(UInt8(ascii: ","))
        try Self.closeObject(&s, "the event")
    }

    @inline(__always)
    private func field(_ packed: UInt64) -> TraceField? {
        keyTable.value(of: packed).flatMap(TraceField.init(stored:))
    }

    /// Reads `"key": value` pairs up to the closing `}`, storing the fields `kind` has.
    private mutating func readFields(
        _ s: inout TraceScanner, _ kind: Event.Kind, _ store: inout EventStore<RawBytes>
    ) throws(TraceError) {
        var seen: UInt64 = 0
        let kindBase = Int(kind.rawValue) << 6
        let predicted = predictions + Int(kind.rawValue) &* Self.predictedKeys
        var slot = 0
        repeat {
            let fieldRaw: UInt8
            let plan: FieldPlan
            let words = s.words()
            if slot < Self.predictedKeys, let words, predicted[slot].matches(words) {
                fieldRaw = predicted[slot].field
                plan = predicted[slot].plan
                s.position &+= Int(predicted[slot].length)
            } else {
                let start = s.position
                let packed = try s.key()
                try s.expect(UInt8(ascii: ":"), "':' after the key")
                if let field = field(packed) {
                    fieldRaw = field.rawValue
                    plan = plans[kindBase | Int(field.rawValue)]
                } else {
                    fieldRaw = 0
                    plan = .skip
                }
                if slot < Self.predictedKeys, let words,
                   let learned = PredictedKey.learn(words, length: s.position - start, field: fieldRaw, plan: plan) {
                    predicted[slot] = learned
                }
            }
            slot &+= 1
            guard plan.type != 0, let field = TraceField(stored: fieldRaw), let type = FieldType(stored: plan.type - 1) else {
                try s.skipValue()
                continue
            }
            let name = FieldName(field: field, kind: kind)
            let action = plan.action
            s.skipSpaces()
            if s.byte == UInt8(ascii: "n") && s.keyword("null") {
                if schema.requiredMasks[Int(kind.rawValue)] & (1 << UInt64(field.rawValue)) != 0 {
                    throw s.fail("\(name) must be \(type.expectation), found null")
                }
                continue
            }
            seen |= 1 << UInt64(field.rawValue)
            store.putTag(field)
            switch type {
            case .int:
                let value = try s.int("\(name)")
                store.putInt(value)
                notes.pointee.note(value, action)
            case .uint64:
                store.putSequenceNr(try s.uint64("\(name)"))
            case .bool:
                store.putBool(try s.bool("\(name)"))
            case .string:
                let id = store.strings.intern(try s.string("\(name)"))
                if recordsStrings { stringPositions.append(store.bytes.count) }
                store.putStringID(id)
            case .ints:
                try readInts(&s, name)
                store.putVarint(UInt64(ints.count))
                for index in 0..<ints.count { store.putInt(ints[index]) }
                if action == .shape { notes.pointee.shape(ints, count: ints.count) }
            case .pairs:
                try readPairs(&s, name, type, nullable: false)
                store.putVarint(UInt64(ints.count / 3))
                for index in stride(from: 0, to: ints.count, by: 3) {
                    store.putInt(ints[index + 1])
                    store.putInt(ints[index + 2])
                }
                notes.pointee.pairs(ints, action)
            case .edges:
                try readPairs(&s, name, type, nullable: true)
                store.putVarint(UInt64(ints.count / 3))
                for index in stride(from: 0, to: ints.count, by: 3) {
                    store.putBool(ints[index] != 0)
                    if ints[index] != 0 {
                        store.putInt(ints[index + 1])
                        store.putInt(ints[index + 2])
                    }
                }
                notes.pointee.pairs(ints, action)
            case .doubles:
                try readDoubles(&s, name)
                doubles.withUnsafeBufferPointer { store.putDoubles($0) }
            case .grads:
                try readGrads(&s, name, &store, noting: action == .gradients)
            }
        } while s.consume(UInt8(ascii: ","))
        try finish(&s, kind, seen: seen)
    }

    /// Closes the event, checks it has its required fields and ends its notes. Inlined: a
    /// method called from a mutating one is handed a copy of the reader (the helpers below are
    /// static for the same reason).
    @inline(__always)
    private func finish(_ s: inout TraceScanner, _ kind: Event.Kind, seen: UInt64) throws(TraceError) {
        try Self.closeObject(&s, "the \"\(kind.traceName)\" event")
        if schema.requiredMasks[Int(kind.rawValue)] & ~seen != 0,
           let spec = schema.fields[Int(kind.rawValue)].first(where: { $0.required && seen & (1 << UInt64($0.field.rawValue)) == 0 }) {
            throw s.fail("expected \"\(spec.field.key)\" (\(spec.meaning)) in \"\(kind.traceName)\" event")
        }
        notes.pointee.end()
    }

    private static func openArray(_ s: inout TraceScanner, _ name: FieldName, _ type: FieldType) throws(TraceError) {
        s.skipSpaces()
        guard s.byte == UInt8(ascii: "[") else { throw s.fail("\(name) must be \(type.expectation), \(s.found)") }
        s.position += 1
    }

    private static func closeArray(_ s: inout TraceScanner, _ name: FieldName) throws(TraceError) {
        try s.expect(UInt8(ascii: "]"), "',' or ']' in \(name)")
    }

    private mutating func readInts(_ s: inout TraceScanner, _ name: FieldName) throws(TraceError) {
        try Self.openArray(&s, name, .ints)
        ints.removeAll()
        if s.consume(UInt8(ascii: "]")) { return }
        repeat { ints.append(try s.int("each element of \(name)")) } while s.consume(UInt8(ascii: ","))
        try Self.closeArray(&s, name)
    }

    /// Reads `[[a, b], ...]` (with `null` entries when `nullable`) into `ints` as `(present, a, b)` triples.
    private mutating func readPairs(_ s: inout TraceScanner, _ name: FieldName, _ type: FieldType, nullable: Bool) throws(TraceError) {
        try Self.openArray(&s, name, type)
        ints.removeAll()
        if s.consume(UInt8(ascii: "]")) { return }
        repeat {
            if nullable && s.keyword("null") {
                ints.append(0)
                ints.append(0)
                ints.append(0)
                continue
            }
            try s.expect(UInt8(ascii: "["), "each element of \(name) to be \(type.expectation)")
            let first = try s.int("each element of \(name)")
            try s.expect(UInt8(ascii: ","), "',' in a pair of \(name)")
            let second = try s.int("each element of \(name)")
            try s.expect(UInt8(ascii: "]"), "']' closing a pair of \(name) (pairs have two integers)")
            ints.append(1)
            ints.append(first)
            ints.append(second)
        } while s.consume(UInt8(ascii: ","))
        try Self.closeArray(&s, name)
    }

    private mutating func readDoubles(_ s: inout TraceScanner, _ name: FieldName) throws(TraceError) {
        try Self.openArray(&s, name, .doubles)
        doubles.removeAll()
        if s.consume(UInt8(ascii: "]")) { return }
        repeat { doubles.append(try s.double("each element of \(name)")) } while s.consume(UInt8(ascii: ","))
        try Self.closeArray(&s, name)
    }

    /// Reads gradients, storing each as presence, tensor (-1 when absent), shape and values,
    /// after their count (patched in once known); notes each tensor and shape when `noting`.
    private mutating func readGrads(
        _ s: inout TraceScanner, _ name: FieldName, _ store: inout EventStore<RawBytes>, noting: Bool
    ) throws(TraceError) {
        try Self.openArray(&s, name, .grads)
        let countPosition = store.bytes.count
        store.putVarint(0)
        var count = 0
        if s.consume(UInt8(ascii: "]")) { return }
        repeat {
            count += 1
            if s.keyword("null") {
                store.putBool(false)
                continue
            }
            try s.expect(UInt8(ascii: "{"), "each element of \(name) to be {\"shape\":[...],\"val\":[...]} or null")
            var tensor = -1
            var shapeCount = 0
            doubles.removeAll()
            ints.removeAll()
            if !s.consume(UInt8(ascii: "}")) {
                repeat {
                    let key = try s.key()
                    try s.expect(UInt8(ascii: ":"), "':' after the key")
                    switch field(key) {
                    case .tensor: tensor = try s.int("\(FieldName(field: .tensor, kind: name.kind, inGradient: true))")
                    case .shape:
                        try readInts(&s, FieldName(field: .shape, kind: name.kind, inGradient: true))
                        shapeCount = ints.count
                    case .values: try readDoubles(&s, FieldName(field: .values, kind: name.kind, inGradient: true))
                    default: try s.skipValue(depth: 2)
                    }
                } while s.consume(UInt8(ascii: ","))
                try Self.closeObject(&s, "a gradient in \(name)")
            }
            if noting {
                notes.pointee.gradientTensor(tensor)
                notes.pointee.shape(ints, count: shapeCount)
            }
            store.putBool(true)
            store.putInt(tensor)
            store.putVarint(UInt64(shapeCount))
            for index in 0..<shapeCount { store.putInt(ints[index]) }
            doubles.withUnsafeBufferPointer { store.putDoubles($0) }
        } while s.consume(UInt8(ascii: ","))
        try Self.closeArray(&s, name)
        store.patchCount(count, at: countPosition)
    }
}

/// Names a field in error messages (`field "t" of "tensor"`) without building the text unless
/// an error needs it.
struct FieldName: CustomStringConvertible {
    var field: TraceField
    var kind: Event.Kind
    /// The field belongs to one gradient of a `grads` array.
    var inGradient = false

    var description: String {
        let owner = "\"\(kind.traceName)\""
        return inGradient
            ? "field \"\(field.key)\" of a gradient in field \"grads\" of \(owner)"
            : "field \"\(field.key)\" of \(owner)"
    }
}
