/// Range-checks every id, index and count of a loaded trace, so nothing read from a file can
/// make a later stage index out of bounds: ids are non-negative and dense in order of first
/// appearance, every reference names a tensor, node, op or backward call the trace announces,
/// versions and counts are non-negative, shapes have a representable element count.
///
/// Each chunk is checked once it is parsed and appended (the two parser threads cannot see each
/// other's ids). The parser notes what the checks need as it reads (`RangeNotes`), so a
/// well-formed chunk is checked from those notes in time proportional to its tensors, bumps and
/// ops; a chunk whose notes show or may hide a broken rule is checked by decoding its compact
/// events one by one, which finds the first bad event. A failure names the event's real line in the file.
struct TraceValidator {
    /// What a field's value must be, by `(kind << 6 | field)`; fields without a rule are free.
    /// The parser threads read it too, to note what the checks need (`RangeNotes`).
    static let rules: [Rule?] = {
        var rules = [Rule?](repeating: nil, count: Event.Kind.allCases.count << 6)
        func set(_ kind: Event.Kind, _ pairs: [(TraceField, Rule)]) {
            for (field, rule) in pairs { rules[Int(kind.rawValue) << 6 | Int(field.rawValue)] = rule }
        }
        let site: [(TraceField, Rule)] = [(.line, .count), (.column, .count), (.endColumn, .count)]
        set(.tensor, [(.tensor, .announces(.tensor)), (.counter, .newOrKnown(.counter)), (.storage, .newOrKnown(.storage)),
                      (.shape, .shape), (.base, .tensorOrSelf)])
        set(.op, site + [(.index, .announces(.op)), (.inputs, .tensorVersions), (.out, .tensorVersions)])
        set(.node, [(.node, .announces(.node)), (.op, .laterOp), (.next, .earlierEdges), (.variable, .refers(.tensor))])
        set(.gradFn, [(.tensor, .refers(.tensor)), (.node, .refers(.node)), (.outputNr, .count), (.version, .count)])
        set(.save, [(.node, .refers(.node)), (.tensor, .refers(.tensor)), (.version, .count), (.outputNr, .count), (.shape, .shape)])
        set(.bump, [(.counter, .counterOfTensor), (.tensor, .refers(.tensor)), (.from, .count), (.to, .count), (.op, .laterOp)])
        set(.values, [(.tensor, .refers(.tensor)), (.shape, .shape)])
        set(.binding, [(.tensor, .refers(.tensor)), (.line, .count)])
        set(.error, site + [(.backward, .refers(.backward))])
        set(.backward, site + [(.backward, .announces(.backward)), (.roots, .rootEdges)])
        set(.nodeRun, [(.backward, .refers(.backward)), (.node, .refers(.node)), (.grads, .gradients)])
        set(.nodeResult, [(.backward, .refers(.backward)), (.node, .refers(.node)), (.grads, .gradients)])
        set(.release, [(.node, .refers(.node))])
        set(.backwardEnd, [(.backward, .refers(.backward)), (.failedNode, .refers(.node))])
        return rules
    }()

    /// The rule a field's value obeys.
    enum Rule {
        /// A new id: the next dense id of its space.
        case announces(Space)
        /// An id some earlier event announced.
        case refers(Space)
        /// An earlier id, or the next one (a tensor's counter or storage may be new).
        case newOrKnown(Space)
        /// A view's base: an earlier tensor or the tensor itself.
        case tensorOrSelf
        /// An op index, which may be recorded just after the node or bump that names it.
        case laterOp
        /// The version counter of the tensor the bump writes through.
        case counterOfTensor
        /// A non-negative number: version, output number, line, column.
        case count
        /// Non-negative sizes whose product fits in an `Int`.
        case shape
        /// `[[tensor, version]]`.
        case tensorVersions
        /// `next_functions`: `[[node, input_nr] or null]`, each node created before this one.
        case earlierEdges
        /// Backward roots: `[[node, input_nr]]`.
        case rootEdges
        /// Gradients: each an optional tensor (-1 when absent) and a shape.
        case gradients
    }

    /// The id spaces a trace numbers densely.
    enum Space: Int, CaseIterable {
        case tensor, node, op, backward, counter, storage

        var noun: String {
            switch self {
            case .tensor: "tensor"
            case .node: "node"
            case .op: "op"
            case .backward: "backward call"
            case .counter: "version counter"
            case .storage: "storage"
            }
        }

        /// How the trace format spells an id of this space: `t4`, `n2`, `op #7`, `b0`, `vc3`, `st1`.
        func spell(_ id: Int) -> String {
            switch self {
            case .tensor: "t\(id)"
            case .node: "n\(id)"
            case .op: "op #\(id)"
            case .backward: "b\(id)"
            case .counter: "vc\(id)"
            case .storage: "st\(id)"
            }
        }

        /// The event that announces an id of this space.
        var announcer: String {
            switch self {
            case .tensor, .counter, .storage: "\"tensor\""
            case .node: "\"node\""
            case .op: "\"op\""
            case .backward: "\"backward\""
            }
        }
    }

    private let file: String
    /// `rules` and the schema's field types, held here: a static read from the per-field loop
    /// costs a `swift_once` call each time.
    private let fieldRules = Self.rules
    private let schema = TraceSchema.shared
    /// The line map of the tape being checked, during `check` only (the validator must not
    /// keep the tape: the reader appends to it after each chunk, and a second owner would make
    /// it copy its arrays).
    private var lines = TraceLines()
    /// How many ids of each space have been announced so far.
    private var counts = [Int](repeating: 0, count: Space.allCases.count)
    /// Each tensor's version counter, for checking bumps: 4 bytes a tensor (at 8 they were
    /// 3.2 MiB of the peak memory while the 420,000 tensors of the recorded RNN trace load).
    /// A counter that does not fit is `UInt32.max` here and its value in `wideCounters`.
    private var tensorCounters: [UInt32] = []
    private var wideCounters: [Int: Int] = [:]
    /// Ops named by nodes and bumps before any event recorded them, in event order:
    /// `(op, event, field, line)`. Resolved ones are dropped after each chunk.
    private var opReferences: [(op: Int, event: Int, name: FieldName, line: Int)] = []

    /// Throws the first range error of `tape`, read from `file`.
    static func check(_ tape: Tape, file: String) throws(TraceError) {
        var validator = TraceValidator(file: file)
        try validator.check(tape, events: 0..<tape.count)
        try validator.finish(header: tape.header)
    }

    /// A validator that has seen no events yet; errors name `file`.
    init(file: String) {
        self.file = file
    }

    /// Checks events `events` of `tape` against the ids announced by the events before them,
    /// which this validator has checked already (the trace reader calls it after each chunk):
    /// from `notes`, what the thread that parsed them noted, when they show the events well
    /// formed, else by decoding each event, with the same first error either way.
    mutating func check(_ tape: Tape, events: Range<Int>, notes: RangeNotes? = nil) throws(TraceError) {
        lines = tape.lines
        defer { lines = TraceLines() }
        if !admits(notes, first: events.lowerBound) {
            let store = tape.store
            try store.bytes.withUnsafeBufferPointer { buffer throws(TraceError) in
                for event in events {
                    let range = store.fieldRange(of: event)
                    var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
                    try check(event, store.kind(at: event), &c)
                }
            }
        }
        let recorded = counts[Space.op.rawValue]
        opReferences.removeAll { $0.op < recorded }
    }

    /// Takes in a chunk whose events start at event `first`, from its notes: true when every
    /// rule holds (the counts, tensor counters and pending op references then include the
    /// chunk), false, with nothing changed, when there are no notes or they show or may hide a
    /// broken rule (the caller then decodes the events).
    private mutating func admits(_ notes: RangeNotes?, first: Int) -> Bool {
        guard let notes, !notes.suspect else { return false }
        for space in 0..<4 {
            if notes.hasBase & (1 << space) != 0 && notes.base(space) != counts[space] { return false }
            if notes.maxReference(space) >= counts[space] { return false }
        }
        if notes.maxViewBase > counts[Space.tensor.rawValue] { return false }
        var newCounts = counts
        let counters = Space.counter.rawValue, storages = Space.storage.rawValue
        let tensors = notes.tensors
        for index in stride(from: 0, to: tensors.count, by: 2) {
            let counter = tensors[index], storage = tensors[index + 1]
            guard counter <= newCounts[counters], storage <= newCounts[storages] else { return false }
            if counter == newCounts[counters] { newCounts[counters] += 1 }
            if storage == newCounts[storages] { newCounts[storages] += 1 }
        }
        let known = tensorCounters.count
        let bumps = notes.bumps
        for index in stride(from: 0, to: bumps.count, by: 2) {
            let tensor = bumps[index]
            guard tensor < known + tensors.count / 2 else { return false }
            let expected = tensor < known ? counter(of: tensor) : max(tensors[2 * (tensor - known)], 0)
            guard bumps[index + 1] == expected else { return false }
        }
        for index in stride(from: 0, to: tensors.count, by: 2) { noteCounter(max(tensors[index], 0)) }
        for space in 0..<4 { newCounts[space] += notes.announced(space) }
        let ops = notes.laterOps
        for index in stride(from: 0, to: ops.count, by: 4) where ops[index + 2] >= counts[Space.op.rawValue] {
            let event = first + ops[index]
            let kind = Event.Kind(rawValue: UInt8(ops[index + 3]))!
            opReferences.append((ops[index + 1], event, FieldName(field: .op, kind: kind), line(of: event)))
        }
        counts = newCounts
        return true
    }

    /// The first event that names an op no event checked so far records; the events before it
    /// form a tape whose references all resolve (nil: all of them do).
    var firstUnresolvedEvent: Int? { opReferences.first?.event }

    /// Throws if an event named an op that no event of the whole trace records, or the header's
    /// `dropped` versions name a counter no `tensor` event announces.
    func finish(header: TraceHeader) throws(TraceError) {
        if let reference = opReferences.first {
            throw .malformed(file: file, line: reference.line,
                             message: "\(reference.name) refers to \(Space.op.spell(reference.op)), which no \"op\" event records")
        }
        for counter in (header.dropped?.versions.keys.sorted()) ?? [] where counter >= counts[Space.counter.rawValue] {
            throw .malformed(file: file, line: 1, message: "\"versions\" of \"dropped\" names \(Space.counter.spell(counter)), which no \"tensor\" event announces")
        }
    }

    /// Checks one event's fields against the ids announced before it, then counts the ids it announces.
    private mutating func check(_ event: Int, _ kind: Event.Kind, _ c: inout EventCursor) throws(TraceError) {
        var announced: UInt8 = 0
        var counter = 0, bumpTensor = 0
        while let field = c.field() {
            let name = FieldName(field: field, kind: kind)
            guard let rule = fieldRules[Int(kind.rawValue) << 6 | Int(field.rawValue)] else {
                if let type = schema.type(of: field, in: kind) { c.skip(type) }
                continue
            }
            switch rule {
            case .announces(let space):
                let id = c.int()
                guard id == counts[space.rawValue] else {
                    throw fail(event, "\(name) is \(id), but the next new \(space.noun) id is \(counts[space.rawValue]) (ids are dense, in order of first appearance)")
                }
                announced |= 1 << space.rawValue
            case .refers(let space):
                let id = c.int()
                try refer(id, space, name, event)
                if space == .tensor { bumpTensor = id }
            case .newOrKnown(let space):
                let id = c.int()
                guard id >= 0, id <= counts[space.rawValue] else {
                    throw fail(event, "\(name) is \(id), but the next new \(space.noun) id is \(counts[space.rawValue]) (ids are dense, in order of first appearance)")
                }
                if field == .counter { counter = id }
                if id == counts[space.rawValue] { announced |= 1 << space.rawValue }
            case .tensorOrSelf:
                let id = c.int()
                guard id >= 0, id <= counts[Space.tensor.rawValue] else { throw unknown(id, .tensor, name, event) }
            case .laterOp:
                let op = c.int()
                guard op >= 0 else { throw negative(op, name, event) }
                if op >= counts[Space.op.rawValue] { opReferences.append((op, event, name, line(of: event))) }
            case .counterOfTensor:
                counter = c.int()
                guard counter >= 0 else { throw negative(counter, name, event) }
            case .count:
                let value = c.int()
                guard value >= 0 else { throw negative(value, name, event) }
            case .shape:
                try shape(&c, name, event)
            case .tensorVersions:
                for _ in 0..<Int(c.varint()) {
                    try refer(c.int(), .tensor, name, event)
                    let version = c.int()
                    guard version >= 0 else { throw fail(event, "\(name) has version \(version); versions are non-negative") }
                }
            case .earlierEdges:
                for _ in 0..<Int(c.varint()) where c.bool() {
                    try refer(c.int(), .node, name, event)
                    try inputNr(c.int(), name, event)
                }
            case .rootEdges:
                for _ in 0..<Int(c.varint()) {
                    try refer(c.int(), .node, name, event)
                    try inputNr(c.int(), name, event)
                }
            case .gradients:
                for _ in 0..<Int(c.varint()) where c.bool() {
                    let tensor = c.int()
                    if tensor != -1 { try refer(tensor, .tensor, FieldName(field: .tensor, kind: kind, inGradient: true), event) }
                    try shape(&c, FieldName(field: .shape, kind: kind, inGradient: true), event)
                    c.skip(.doubles)
                }
            }
        }
        if kind == .tensor { noteCounter(counter) }
        if kind == .bump { try checkBump(event, counter: counter, tensor: bumpTensor) }
        while announced != 0 {
            counts[announced.trailingZeroBitCount] += 1
            announced &= announced - 1
        }
    }

    /// Notes the counter of the next tensor.
    private mutating func noteCounter(_ counter: Int) {
        guard counter < Int(UInt32.max) else {
            wideCounters[tensorCounters.count] = counter
            return tensorCounters.append(.max)
        }
        tensorCounters.append(UInt32(counter))
    }

    /// The counter of tensor `tensor`.
    private func counter(of tensor: Int) -> Int {
        let counter = tensorCounters[tensor]
        return counter == .max ? wideCounters[tensor]! : Int(counter)
    }

    /// A bump's counter must be the one its tensor uses.
    private func checkBump(_ event: Int, counter: Int, tensor: Int) throws(TraceError) {
        let expected = self.counter(of: tensor)
        guard counter == expected else {
            throw fail(event, "field \"vc\" of \"bump\" is \(counter), but tensor \(Space.tensor.spell(tensor)) uses \(Space.counter.spell(expected))")
        }
    }

    private func refer(_ id: Int, _ space: Space, _ name: FieldName, _ event: Int) throws(TraceError) {
        guard id >= 0, id < counts[space.rawValue] else { throw unknown(id, space, name, event) }
    }

    private func inputNr(_ value: Int, _ name: FieldName, _ event: Int) throws(TraceError) {
        guard value >= 0 else { throw fail(event, "\(name) has input number \(value); input numbers are non-negative") }
    }

    private func shape(_ c: inout EventCursor, _ name: FieldName, _ event: Int) throws(TraceError) {
        var elements = 1
        var overflow = false
        for _ in 0..<Int(c.varint()) {
            let size = c.int()
            guard size >= 0 else { throw fail(event, "\(name) has size \(size); sizes are non-negative") }
            if !overflow { (elements, overflow) = elements.multipliedReportingOverflow(by: size) }
        }
        if overflow { throw fail(event, "\(name) has 2^63 or more elements") }
    }

    private func unknown(_ id: Int, _ space: Space, _ name: FieldName, _ event: Int) -> TraceError {
        if id < 0 { return negative(id, name, event) }
        return fail(event, "\(name) refers to \(space.noun) \(space.spell(id)), which no earlier \(space.announcer) event announced")
    }

    private func negative(_ value: Int, _ name: FieldName, _ event: Int) -> TraceError {
        fail(event, "\(name) must be a non-negative integer, found \(value)")
    }

    private func fail(_ event: Int, _ message: String) -> TraceError {
        .malformed(file: file, line: line(of: event), message: message)
    }

    private func line(of event: Int) -> Int { lines.line(of: event) ?? event + 2 }
}
