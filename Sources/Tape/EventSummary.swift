/// The scalar fields of one event — the ids it names (tensor, node, op, backward call, version
/// counter, storage, base, leaf), its versions, flags and line, and its names (and an op's call)
/// as interned string ids — read from a tape's compact storage without building strings, arrays
/// or an `Event` (`Tape.summary(at:)`, for a view that asks one event's ids; names come from
/// `Tape.internedString(_:)`). A whole-tape scan (`Tape.scan(into:)`) reads an event whose fields
/// are out of the writers' order into one (`AnyOrderEvent`).
///
/// A field the event does not have is nil (or 0 / false for the non-optional ones, the default
/// the full decoder gives a missing field).
public struct EventSummary: Sendable {
    public internal(set) var kind: Event.Kind
    /// Which slots (`Slot`) the event had: bit `slot`. A slot's value is meaningful only here.
    @usableFromInline var present: UInt32 = 0
    /// The values by slot: integers as read, bools as 0 or 1, a sequence_nr by its bit pattern.
    @usableFromInline var values = InlineArray<19, Int>(repeating: 0)

    /// Where each kept field's value lives in `values` (the getters below name these numbers).
    enum Slot: Int {
        case tensor, node, op, backward, counter, base, line, storage, version, from, to, outputNr
        case sequenceNr, requiresGrad, isOutput, variable, name, slot, call
    }

    /// `t`: the tensor the event announces, changes, saves, writes through or previews.
    @inlinable public var tensor: Int? { value(0) }
    /// `n`: the node it creates, saves for, runs or releases.
    @inlinable public var node: Int? { value(1) }
    /// The op index of an `op` event (`i`), or the op that made a node or bump (`op`).
    @inlinable public var op: Int? { value(2) }
    /// `b`: the backward call.
    @inlinable public var backward: Int? { value(3) }
    /// `vc`: the version counter of a tensor or bump.
    @inlinable public var counter: Int? { value(4) }
    /// The base tensor of a view.
    @inlinable public var base: Int? { value(5) }
    /// The source line of an op, binding, error or backward call.
    @inlinable public var line: Int? { value(6) }
    /// `st`: a tensor's storage.
    @inlinable public var storage: Int { value(7) ?? 0 }
    /// `v`: the version a grad_fn change or a save recorded.
    @inlinable public var version: Int { value(8) ?? 0 }
    /// `from` and `to` of a version bump.
    @inlinable public var from: Int { value(9) ?? 0 }
    @inlinable public var to: Int { value(10) ?? 0 }
    /// `nr`: the output number of a grad_fn change or a saved output.
    @inlinable public var outputNr: Int { value(11) ?? 0 }
    /// `seq`: a node's sequence_nr.
    @inlinable public var sequenceNr: UInt64 { UInt64(bitPattern: Int64(value(12) ?? 0)) }
    /// `rg`: requires_grad of a tensor or grad_fn change.
    @inlinable public var requiresGrad: Bool { value(13) == 1 }
    /// `out` of a save: whether the saved tensor is an output of the saving node.
    @inlinable public var isOutput: Bool { value(14) == 1 }
    /// `var`: the leaf tensor of an AccumulateGrad node.
    @inlinable public var variable: Int? { value(15) }
    /// The interned id of `name` (an op's aten name, a node's grad_fn name, a bound name).
    @inlinable public var name: Int? { value(16) }
    /// The interned id of `slot` (a saved slot's name).
    @inlinable public var slot: Int? { value(17) }
    /// The interned id of an op's `call` (`torch.mm`, `*`).
    @inlinable public var call: Int? { value(18) }

    /// The value in `slot`, nil when the event did not have it. Always inlined: left a call in
    /// one of the Debugger's index handlers, it cost ≈ 34 instructions a call.
    @inlinable @inline(__always)
    func value(_ slot: Int) -> Int? {
        present & (1 << UInt32(slot)) != 0 ? values[slot] : nil
    }

    public init(kind: Event.Kind) {
        self.kind = kind
    }

    /// Reads `field` of an event of `kind` from `c` when it is one the summary keeps; false (and
    /// `c` unmoved) for a field to skip.
    @inline(__always)
    mutating func read(_ field: TraceField, of kind: Event.Kind, from c: inout EventCursor) -> Bool {
        let slot: Slot
        let value: Int
        switch field {
        case .tensor: (slot, value) = (.tensor, c.int())
        case .node: (slot, value) = (.node, c.int())
        case .index, .op: (slot, value) = (.op, c.int())
        case .backward: (slot, value) = (.backward, c.int())
        case .counter: (slot, value) = (.counter, c.int())
        case .base: (slot, value) = (.base, c.int())
        case .line: (slot, value) = (.line, c.int())
        case .storage: (slot, value) = (.storage, c.int())
        case .version: (slot, value) = (.version, c.int())
        case .from: (slot, value) = (.from, c.int())
        case .to: (slot, value) = (.to, c.int())
        case .outputNr: (slot, value) = (.outputNr, c.int())
        case .sequenceNr: (slot, value) = (.sequenceNr, Int(bitPattern: UInt(c.sequenceNr())))
        case .requiresGrad: (slot, value) = (.requiresGrad, c.bool() ? 1 : 0)
        case .out where kind == .save: (slot, value) = (.isOutput, c.bool() ? 1 : 0)
        case .variable: (slot, value) = (.variable, c.int())
        case .name: (slot, value) = (.name, c.stringID())
        case .slot: (slot, value) = (.slot, c.stringID())
        case .call where kind == .op: (slot, value) = (.call, c.stringID())
        default: return false
        }
        values[slot.rawValue] = value
        present |= 1 << UInt32(slot.rawValue)
        return true
    }
}

extension EventStore where Bytes == [UInt8] {
    /// The scalar fields of event `index`, skipping every list field without allocating.
    func summary(at index: Int) -> EventSummary {
        let range = fieldRange(of: index)
        let kind = self.kind(at: index)
        return bytes.withUnsafeBufferPointer { buffer in
            var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
            var summary = EventSummary(kind: kind)
            while let field = c.field() {
                if !summary.read(field, of: kind, from: &c), let type = TraceSchema.shared.type(of: field, in: kind) { c.skip(type) }
            }
            return summary
        }
    }

    /// The number of events of each kind, indexed by `Event.Kind.rawValue`. Counted through
    /// pointers, a counter per byte value (so no stored byte can index past them), and over the
    /// offsets' low words when none crosses 4 GiB: through the arrays, the offsets' wrap test,
    /// the overflow check and the counters' bounds checks were ≈ 14 instructions an event.
    func kindCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: 256)
        counts.withUnsafeMutableBufferPointer { counts in
            bytes.withUnsafeBufferPointer { buffer in
                starts.withUnsafeBufferPointer { starts in
                    if starts.wraps.isEmpty {
                        for offset in starts.low { counts[Int(buffer[Int(offset)])] &+= 1 }
                    } else {
                        for index in 0..<starts.low.count { counts[Int(buffer[starts[index]])] &+= 1 }
                    }
                }
            }
        }
        return Array(counts[..<Event.Kind.allCases.count])
    }

    /// Calls `body` with each input (`isOutput` false), then each output of op event `index`,
    /// read in place. Any other kind of event has none. A list stored twice counts once, by its
    /// last copy, as in the full decoder.
    func forEachTensorVersion<E: Error>(ofOpAt index: Int, _ body: (TensorVersion, _ isOutput: Bool) throws(E) -> Void) throws(E) {
        guard kind(at: index) == .op else { return }
        let range = fieldRange(of: index)
        try bytes.withUnsafeBufferPointer { buffer throws(E) in
            var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
            var inputs: Int?
            var outputs: Int?
            while let field = c.field() {
                if field == .inputs { inputs = c.position }
                if field == .out { outputs = c.position }
                if let type = TraceSchema.shared.type(of: field, in: .op) { c.skip(type) }
            }
            for pass in 0..<2 {
                let isOutput = pass == 1
                guard let start = isOutput ? outputs : inputs else { continue }
                c.position = start
                for _ in 0..<Int(c.varint()) {
                    let tensor = c.int()
                    try body(TensorVersion(tensor: tensor, version: c.int()), isOutput)
                }
            }
        }
    }
}
