/// What the range checks (`TraceValidator`) need from one chunk's events, noted by the parser
/// thread as it stores each value, so that a well-formed chunk is checked without decoding its
/// events a second time.
///
/// A parser thread does not know how many ids the events before its chunk announce (the other
/// thread may still be parsing them), so ids are noted relative to the chunk: an id minus the
/// ids of its space that the chunk announced before that event. In a well-formed trace every
/// announcement's relative id is the count of its space before the chunk and every reference's
/// is below it, so `TraceValidator` compares a few numbers per space with its counts. A
/// tensor's version counter and storage (new or known), a bump's counter and an op named before
/// it is recorded depend on the counts at their event, so they are listed, in order, and checked
/// there. A value that breaks a rule by itself (a negative id, count or size, a shape of 2^63
/// elements, a tensor's counter or storage twice) makes the chunk `suspect`: the validator then checks it by
/// decoding its events, which finds the first bad event and its message exactly as before.
struct RangeNotes {
    /// What noting an integer field does, by its rule (`TraceValidator.Rule`), in one byte so
    /// the parser's per-field table holds it beside the field's type.
    enum Action: UInt8 {
        case none
        case announcesTensor, announcesNode, announcesOp, announcesBackward
        case refersTensor, refersNode, refersBackward
        case counter, storage, viewBase, laterOp, bumpCounter, count
        /// Array fields, noted by `shape`, `pairs` and `gradient`.
        case shape, tensorVersions, nodeEdges, gradients

        /// Each field's action by `(kind << 6 | field)`, like `TraceValidator.rules`.
        static let table: [Action] = {
            var table = [Action](repeating: .none, count: TraceValidator.rules.count)
            for kind in Event.Kind.allCases {
                for field in TraceField.allCases {
                    let index = Int(kind.rawValue) << 6 | Int(field.rawValue)
                    table[index] = Action(TraceValidator.rules[index], field: field)
                }
            }
            return table
        }()

        private init(_ rule: TraceValidator.Rule?, field: TraceField) {
            switch rule {
            case nil: self = .none
            case .announces(.tensor): self = .announcesTensor
            case .announces(.node): self = .announcesNode
            case .announces(.op): self = .announcesOp
            case .announces(.backward): self = .announcesBackward
            case .refers(.tensor): self = .refersTensor
            case .refers(.node): self = .refersNode
            case .refers(.backward): self = .refersBackward
            case .newOrKnown: self = field == .counter ? .counter : .storage
            case .tensorOrSelf: self = .viewBase
            case .laterOp: self = .laterOp
            case .counterOfTensor: self = .bumpCounter
            case .count: self = .count
            case .shape: self = .shape
            case .tensorVersions: self = .tensorVersions
            case .earlierEdges, .rootEdges: self = .nodeEdges
            case .gradients: self = .gradients
            case .announces, .refers:
                preconditionFailure("no rule announces or refers to counters or storages, nor refers to ops")
            }
        }
    }

    private static let tensor = TraceValidator.Space.tensor.rawValue
    private static let node = TraceValidator.Space.node.rawValue
    private static let op = TraceValidator.Space.op.rawValue
    private static let backward = TraceValidator.Space.backward.rawValue

    /// Per space (tensor, node, op, backward: `TraceValidator.Space` raw values 0–3), three
    /// rows of four: the ids the chunk announced before the event being read; the relative id
    /// of the chunk's first announcement (every later one must have the same; valid where the
    /// space's bit of `hasBase` is set); the largest relative id referred to (`Int.min` when
    /// none), which must be below the count.
    private let slots = UnsafeMutablePointer<Int>.allocate(capacity: 12)
    private(set) var hasBase: UInt8 = 0
    /// Every id and count noted, or-ed: negative when one was (which breaks every rule).
    private var signs = 0
    /// A value broke a rule by itself, or a field came twice.
    private var broken = false
    /// The largest relative id of a view's base; may equal the count (the tensor is its own base).
    private(set) var maxViewBase = Int.min
    /// Per `tensor` event: its version counter and storage (-1 when absent; the validator's
    /// counter of a tensor without one is 0).
    private(set) var tensors = ScratchBuffer<Int>()
    /// Per `bump` event: its tensor and version counter (0 when absent, as in the validator).
    private(set) var bumps = ScratchBuffer<Int>()
    /// Per op index named by a `node` or `bump`: the event (in the chunk), the op, its relative
    /// id and the event's kind.
    private(set) var laterOps = ScratchBuffer<Int>()

    /// The event being read: its index in the chunk, kind, the space it announces (-1: none)
    /// and the values kept until it ends.
    private var event = 0
    private var kind = Event.Kind.exit
    private var announcing = -1
    private var counter = 0, storage = 0, tensor = 0

    init() { reset() }

    /// The chunk may break a rule: the validator must decode it to find out.
    var suspect: Bool { broken || signs < 0 }

    /// Makes the validator decode the chunk (its last event was dropped half noted).
    mutating func distrust() { broken = true }

    func announced(_ space: Int) -> Int { slots[space] }
    func base(_ space: Int) -> Int { slots[4 + space] }
    func maxReference(_ space: Int) -> Int { slots[8 + space] }

    /// Forgets the last chunk (a new chunk starts with no ids announced).
    mutating func reset() {
        slots.update(repeating: 0, count: 8)
        (slots + 8).update(repeating: .min, count: 4)
        hasBase = 0
        signs = 0
        broken = false
        maxViewBase = .min
        tensors.removeAll()
        bumps.removeAll()
        laterOps.removeAll()
    }

    /// Frees the lists; the notes must not be used again.
    func deallocate() {
        slots.deallocate()
        tensors.deallocate()
        bumps.deallocate()
        laterOps.deallocate()
    }

    /// Starts event `event` (its index in the chunk) of `kind`.
    @inline(__always)
    mutating func begin(_ kind: Event.Kind, event: Int) {
        self.kind = kind
        self.event = event
        announcing = -1
        counter = kind == .tensor ? -1 : 0
        storage = -1
        tensor = 0
    }

    /// Ends the event: its announcement counts from the next event on (an event's references
    /// see the ids before it, as in the validator).
    @inline(__always)
    mutating func end() {
        if announcing >= 0 { slots[announcing] += 1 }
        if kind == .tensor {
            tensors.append(counter)
            tensors.append(storage)
        } else if kind == .bump {
            bumps.append(tensor)
            bumps.append(counter)
        }
    }

    /// Notes an integer field's value. Every rule of an integer wants it non-negative. The
    /// references, a few per event, are noted here; the rest, about one per event, apart.
    @inline(__always)
    mutating func note(_ value: Int, _ action: Action) {
        guard action != .none else { return }
        signs |= value
        switch action {
        case .refersTensor:
            refer(value, Self.tensor)
            tensor = value
        case .refersNode: refer(value, Self.node)
        case .refersBackward: refer(value, Self.backward)
        case .count: break
        default: noteOther(value, action)
        }
    }

    @inline(never)
    private mutating func noteOther(_ value: Int, _ action: Action) {
        switch action {
        case .announcesTensor: announce(value, Self.tensor)
        case .announcesNode: announce(value, Self.node)
        case .announcesOp: announce(value, Self.op)
        case .announcesBackward: announce(value, Self.backward)
        case .counter:
            // A second copy: the validator checks each, the notes keep one.
            if counter != -1 { broken = true }
            counter = value
        case .storage:
            if storage != -1 { broken = true }
            storage = value
        case .bumpCounter: counter = value
        case .viewBase: maxViewBase = max(maxViewBase, value &- slots[Self.tensor])
        case .laterOp:
            laterOps.append(event)
            laterOps.append(value)
            laterOps.append(value &- slots[Self.op])
            laterOps.append(Int(kind.rawValue))
        case .none, .refersTensor, .refersNode, .refersBackward, .count: break
        case .shape, .tensorVersions, .nodeEdges, .gradients:
            // Actions of array fields, never an integer's; the decoding check would judge it.
            broken = true
        }
    }

    /// Notes the pairs of an array field, from the reader's `(present, first, second)` triples:
    /// `[tensor, version]`, or `[node, input_nr]` (edges, roots); the second number is non-negative.
    @inline(__always)
    mutating func pairs(_ triples: ScratchBuffer<Int>, _ action: Action) {
        let space: Int
        switch action {
        case .tensorVersions: space = Self.tensor
        case .nodeEdges: space = Self.node
        case .none: return
        default:
            // Actions of other fields, never a pair array's; the decoding check would judge it.
            return broken = true
        }
        for index in stride(from: 0, to: triples.count, by: 3) where triples[index] != 0 {
            refer(triples[index + 1], space)
            signs |= triples[index + 1] | triples[index + 2]
        }
    }

    /// Notes a shape: non-negative sizes whose product fits in an `Int`.
    @inline(__always)
    mutating func shape(_ sizes: ScratchBuffer<Int>, count: Int) {
        var elements = 1
        var overflow = false
        for index in 0..<count {
            let size = sizes[index]
            signs |= size
            if !overflow { (elements, overflow) = elements.multipliedReportingOverflow(by: size) }
        }
        if overflow { broken = true }
    }

    /// Notes a gradient's tensor: -1 (none) or a tensor id.
    @inline(__always)
    mutating func gradientTensor(_ id: Int) {
        guard id != -1 else { return }
        signs |= id
        refer(id, Self.tensor)
    }

    @inline(__always)
    private mutating func announce(_ id: Int, _ space: Int) {
        let relative = id &- slots[space]
        let bit: UInt8 = 1 << space
        if hasBase & bit == 0 {
            slots[4 + space] = relative
            hasBase |= bit
        } else if slots[4 + space] != relative {
            broken = true
        }
        announcing = space
    }

    /// A relative id, wrapping when `id` is negative: the chunk is then suspect anyway.
    @inline(__always)
    private func refer(_ id: Int, _ space: Int) {
        slots[8 + space] = max(slots[8 + space], id &- slots[space])
    }
}
