import Tape

/// Linear-time indexes over a tape, built in one pass so that every question the debugger asks
/// ("which version was counter 3 at event 900?", "what did node 7 save?") is a lookup or a
/// binary search instead of a scan.
///
/// The pass is the index's one scan of the tape (`Tape.scan(into:)`, the index its visitor): it
/// reads only the fields it keeps (ids, versions, flags, interned names, an op's tensors and a
/// node's edges) straight from the compact storage into its handlers; it builds no `Event`, no
/// string and no array per event. Shapes, dtypes and other rarely asked fields are decoded from the event
/// when asked.
///
/// Ids, event positions and interned names are kept in 4 bytes (`init` checks that the tape's
/// events and strings fit, and every id is checked against the ids announced before it), nil as
/// -1: every page of the index is fresh memory, whose first touch costs a page fault, and on the
/// RNN trace those faults were half of `Debugger(tape:)`'s time (docs/benchmarks.md).
struct TapeIndex: Sendable {
    /// What the index keeps of a tensor's first sighting (decode its event for the rest).
    struct Tensor: Hashable, Sendable {
        private let storedCounter: Int32
        private let storedStorage: Int32
        /// The base as recorded: not checked against the tensors (`viewsOfBase` skips one that
        /// is not a tensor), so kept whole.
        private let storedBase: Int
        private let hasBase: Bool
        let requiresGrad: Bool

        init(counter: Int, storage: Int, base: Int?, requiresGrad: Bool) {
            storedCounter = Int32(truncatingIfNeeded: counter)
            storedStorage = Int32(truncatingIfNeeded: storage)
            storedBase = base ?? 0
            hasBase = base != nil
            self.requiresGrad = requiresGrad
        }

        var counter: Int { Int(storedCounter) }
        var storage: Int { Int(storedStorage) }
        var base: Int? { hasBase ? storedBase : nil }
    }

    /// What the index keeps of a grad_fn node; its sequence_nr and edges are in `graph`.
    struct Node: Hashable, Sendable {
        private let storedName: Int32
        private let storedOp: Int32
        private let storedVariable: Int32
        private let storedEvent: Int32

        init(name: Int?, op: Int?, variable: Int?, event: Int) {
            storedName = Int32(truncatingIfNeeded: name ?? -1)
            storedOp = Int32(truncatingIfNeeded: op ?? -1)
            storedVariable = Int32(truncatingIfNeeded: variable ?? -1)
            storedEvent = Int32(truncatingIfNeeded: event)
        }

        /// The interned id of its name, nil when the event had none.
        var name: Int? { storedName < 0 ? nil : Int(storedName) }
        var op: Int? { storedOp < 0 ? nil : Int(storedOp) }
        var variable: Int? { storedVariable < 0 ? nil : Int(storedVariable) }
        /// The position of the `node` event.
        var event: Int { Int(storedEvent) }
    }

    /// A saved slot with the position of its `save` event (its shape is decoded from the event).
    struct Save: Hashable, Sendable {
        private let storedNode: Int32
        private let storedSlot: Int32
        private let storedTensor: Int32
        private let storedEvent: Int32
        let savedVersion: Int
        let outputNr: Int
        let isOutput: Bool

        init(node: Int, slot: Int?, tensor: Int, savedVersion: Int, isOutput: Bool, outputNr: Int, event: Int) {
            storedNode = Int32(truncatingIfNeeded: node)
            storedSlot = Int32(truncatingIfNeeded: slot ?? -1)
            storedTensor = Int32(truncatingIfNeeded: tensor)
            storedEvent = Int32(truncatingIfNeeded: event)
            self.savedVersion = savedVersion
            self.outputNr = outputNr
            self.isOutput = isOutput
        }

        var node: Int { Int(storedNode) }
        /// The interned id of the slot's name, nil when the event had none.
        var slot: Int? { storedSlot < 0 ? nil : Int(storedSlot) }
        var tensor: Int { Int(storedTensor) }
        var event: Int { Int(storedEvent) }
    }

    /// A grad_fn change as a tensor's timeline keeps it: the tensor is the timeline's key, the
    /// node id fits in 4 bytes (-1 for none). Read as `GradFnChange`'s fields.
    struct GradFn: Hashable, Sendable {
        private let storedNode: Int32
        let requiresGrad: Bool
        let outputNr: Int
        let version: Int

        init(_ change: GradFnChange) {
            storedNode = Int32(truncatingIfNeeded: change.node ?? -1)
            requiresGrad = change.requiresGrad
            outputNr = change.outputNr
            version = change.version
        }

        var node: Int? { storedNode < 0 ? nil : Int(storedNode) }
    }

    /// A version bump with the position of its `bump` event (`bump(at:)`).
    struct Bump: Hashable, Sendable {
        var bump: VersionBump
        var event: Int
    }

    /// The tape itself: records needed only now and then (an op, a values preview) are decoded
    /// from it on demand instead of being kept twice.
    let tape: Tape
    private(set) var eventCount = 0

    /// Each tensor's counter, storage, base and requires_grad at its first sighting.
    private(set) var tensors = AppendBuffer<Tensor>()
    /// The position of each tensor's `tensor` event (4 bytes: `init` checks the tape's event count fits).
    private(set) var tensorEvents = AppendBuffer<Int32>()
    /// Each tensor's grad_fn changes.
    private(set) var gradFns = Timelines<GradFn>()
    /// The positions of each tensor's `values` events.
    private(set) var values = Timelines<Int>()
    /// The positions of the `bind` events that named each tensor (decode one for its name).
    private(set) var bindings = Timelines<Int>()
    /// The first op that returned each tensor, -1 for none (`producer(of:)`).
    private(set) var producers: [Int32] = []
    /// `producers` while indexing.
    private var producerBuffer = AppendBuffer<Int32>()

    /// The position of each op's `op` event.
    private(set) var opEvents = AppendBuffer<Int32>()
    /// One past the last event that belongs to each op: the op event and the node, grad_fn, save,
    /// bump, values and tensor events the engine records right after it.
    private(set) var opEnds = AppendBuffer<Int32>()
    /// While indexing, one past the last event of the latest op, appended to `opEnds` when the
    /// next op starts (a scalar, not a write into `opEnds` per event); -1 before the first op.
    private var openOpEnd = -1

    private(set) var nodes = AppendBuffer<Node>()
    /// Every node's sequence_nr and `next_functions`, for the replay.
    private(set) var graph = NodeGraph()
    /// Every save in tape order.
    private(set) var saveList = AppendBuffer<Save>()
    /// The saves grouped by node, each node's in the order they were saved (the order backward
    /// unpacks them), as positions in `saveList`: node `i`'s are
    /// `savesByNode[saveStarts[i]..<saveStarts[i + 1]]`.
    private var savesByNode: [Int32] = []
    private var saveStarts: [Int32] = []
    /// For a `CopySlices` node, the in-place op's node it wraps and runs inside its own apply
    /// (recorded by the same op, before it); its saved variables are unpacked when CopySlices runs.
    private(set) var wrapped: [Int: Int] = [:]
    /// The latest node each op created that is neither a `CopySlices` nor an `AccumulateGrad`:
    /// the node a `CopySlices` of the same op wraps.
    /// By op index, -1 for none; an op index past the tape's op count fails the check after indexing.
    private var plainNodeOfOp: [Int32] = []
    /// The interned id of `CopySlices`' name, nil when no event of the tape uses it.
    private let copySlicesName: Int?

    /// The observed value of each version counter over time (versions only grow).
    /// Indexed by counter id (dense, checked when a tensor introduces one).
    private(set) var counterVersions = Timelines<Int>()
    /// The latest version of each counter while indexing (`counterVersions` answers afterwards).
    private var latestVersions = AppendBuffer<Int>()
    /// Each counter's bumps (those that moved it), in tape order, as positions in `bumpList`
    /// (`bump(at:)`): 4 bytes an entry, where a 48-byte `Bump` kept here and in `storageBumps` was
    /// written and grouped twice more per bump.
    private(set) var counterBumps = Timelines<Int32>()
    /// Bumps by the storage of the tensor written through, to spot writes that bypass a counter
    /// (through `.data`, or a fused kernel's write that moved none), as positions in `bumpList`.
    /// Indexed by storage id (dense, checked when a tensor introduces one).
    private(set) var storageBumps = Timelines<Int32>()
    /// The number of storages the tensors introduced (ids are dense).
    private var storageCount = 0

    private(set) var backwardCalls: [BackwardCall] = []
    private(set) var backwardEvents: [Int] = []
    private(set) var backwardEnds: [Int: (end: BackwardEnd, event: Int)] = [:]

    /// Every version bump in tape order, with their positions in that order grouped by the op
    /// that caused them.
    private(set) var bumpList = AppendBuffer<VersionBump>()
    /// The position of each bump's event, in `bumpList`'s order.
    private var bumpEvents = AppendBuffer<Int32>()
    private(set) var bumpsOfOp = Grouping()
    /// The first node each op created, by op index, -1 for none (`firstNode(ofOp:)`).
    private(set) var firstNodeOfOp: [Int32] = []
    /// The `output` and `error` events: what a terminal would have shown while the program ran.
    private(set) var consoleEvents: [Int] = []
    /// The tensors that are views of each base tensor.
    private(set) var viewsOfBase = Grouping()
    /// The tensors of each version counter (views, `detach()`, unpacked saves).
    private(set) var tensorsOfCounter = Grouping()
    /// For each version counter, the positions in save order of the saves of its tensors.
    private(set) var savesOfCounter = Grouping()
    /// The positions of each node's `run` and `result` events, over all backward calls.
    private(set) var runsOfNode = Grouping()
    private(set) var resultsOfNode = Grouping()
    /// The positions of the `run` events of each leaf's AccumulateGrad nodes, by tensor.
    private(set) var accumulateRuns = Grouping()
    /// Keys and values collected while indexing for the groupings above.
    private var pending = PendingGroups()

    private(set) var errors: [(error: RaisedError, event: Int)] = []
    /// The first error raised inside each backward call.
    private(set) var firstErrorByBackward: [Int: RaisedError] = [:]
    private(set) var exitCode: Int?
    /// The number of op events on the tape, counted before the pass: op ids are dense, so once
    /// every op is indexed they are `0..<opTotal`.
    private var opTotal = 0
    /// The first node or bump, in tape order, naming an op outside `0..<opTotal`. Thrown only once
    /// the pass is done, as a list of references checked then would: such events may be
    /// recorded just before the op they name, and an error the pass finds comes first.
    private var unknownOpReference: (op: Int, event: Int)?

    /// Indexes `tape` in one scan (`Tape.scan(into:)`, the index its visitor); throws when the
    /// tape refers to a tensor, node, op or backward call it never announced, or holds more
    /// events or interned strings than 4-byte ids can number.
    init(_ tape: Tape) throws(DebuggerError) {
        guard tape.count <= Int(Int32.max), tape.internedStringCount <= Int(Int32.max) else {
            throw .tooLarge(events: tape.count, strings: tape.internedStringCount)
        }
        self.tape = tape
        copySlicesName = tape.internedID(of: Self.copySlices)
        reserveCapacity()
        try tape.scan(into: &self)
        eventCount = tape.count
        gradFns.finish(keyCount: tensors.count)
        values.finish(keyCount: tensors.count)
        bindings.finish(keyCount: tensors.count)
        counterVersions.finish(keyCount: latestVersions.count)
        counterBumps.finish(keyCount: latestVersions.count)
        storageBumps.finish(keyCount: storageCount)
        if openOpEnd >= 0 { opEnds.append(Int32(truncatingIfNeeded: openOpEnd)) }
        latestVersions = AppendBuffer()
        producers = producerBuffer.drain { Array($0) }
        // Nodes and bumps may be recorded just before the op event that caused them.
        if let (op, position) = unknownOpReference { throw .unknownOp(index: op, event: position) }
        plainNodeOfOp = []
        groupPending()
    }

    /// The (key, value) pairs gathered in one pass for the groupings built once indexing is done.
    private struct PendingGroups: Sendable {
        /// (node, position of the `run` event).
        let runs = AppendBuffer<(key: Int32, event: Int32)>()
        /// (node, position of the `result` event).
        let results = AppendBuffer<(key: Int32, event: Int32)>()
        /// (leaf tensor, position of the `run` event of its AccumulateGrad node).
        let accumulates = AppendBuffer<(key: Int32, event: Int32)>()
    }

    /// Builds the groupings, each with one counting sort, from what indexing gathered and from the
    /// tensors and saves already indexed.
    private mutating func groupPending() {
        let pending = self.pending
        self.pending = PendingGroups()
        let bumpList = self.bumpList
        bumpsOfOp = Grouping(count: bumpList.count, key: { bumpList[$0].op }, value: { $0 })
        runsOfNode = Self.grouping(pending.runs)
        resultsOfNode = Self.grouping(pending.results)
        accumulateRuns = Self.grouping(pending.accumulates)
        let tensors = self.tensors
        let views = tensors.indices.filter { tensors[$0].base.map(tensors.indices.contains) ?? false }
        viewsOfBase = Grouping(count: views.count, key: { tensors[views[$0]].base ?? 0 }, value: { views[$0] })
        tensorsOfCounter = Grouping(count: tensors.count, key: { tensors[$0].counter }, value: { $0 })
        let saveList = self.saveList
        savesOfCounter = Grouping(count: saveList.count, key: { tensors[saveList[$0].tensor].counter }, value: { $0 })
        (saveStarts, savesByNode) = Grouping.grouped(
            count: saveList.count, keyCount: nodes.count, key: { saveList[$0].node }, value: { Int32(truncatingIfNeeded: $0) })
    }

    /// The events of `pairs` grouped by their keys.
    private static func grouping(_ pairs: AppendBuffer<(key: Int32, event: Int32)>) -> Grouping {
        pairs.drain { pairs in Grouping(count: pairs.count, key: { Int(pairs[$0].key) }, value: { Int(pairs[$0].event) }) }
    }

    static let copySlices = "torch::autograd::CopySlices"

    // MARK: Lookups

    var opCount: Int { opEvents.count }

    /// The position of op `index`'s `op` event.
    func position(ofOp index: Int) -> Int { Int(opEvents[index]) }

    /// One past the last event of op `index` (`opEnds`).
    func endPosition(ofOp index: Int) -> Int { Int(opEnds[index]) }

    /// Op `index`, decoded from its event.
    func op(_ index: Int) -> OpRecord {
        guard case let .op(record) = tape[position(ofOp: index)] else { preconditionFailure("op event index out of sync") }
        return record
    }

    /// Tensor `id`'s first sighting with its values preview, decoded from its event.
    func tensorInfo(_ id: Int) -> TensorInfo {
        guard case let .tensor(info) = tape[Int(tensorEvents[id])] else { preconditionFailure("tensor event index out of sync") }
        return info
    }

    /// Tensor `id`'s first sighting without its values preview, decoded from its event.
    private func tensorInfoWithoutPreview(_ id: Int) -> TensorInfo {
        guard case let .tensor(info) = tape.eventWithoutPreview(at: Int(tensorEvents[id])) else {
            preconditionFailure("tensor event index out of sync")
        }
        return info
    }

    /// Tensor `id`'s dtype, decoded from its first sighting.
    func dtype(of id: Int) -> String { tensorInfoWithoutPreview(id).dtype }

    /// Node `id` as recorded, its edges and name read from the index.
    func node(_ id: Int) -> NodeRecord {
        let node = nodes[id]
        return NodeRecord(
            id: id, name: name(ofNode: id), sequenceNr: graph.sequenceNrs[id], op: node.op,
            next: Array(graph.next(of: id)), variable: node.variable)
    }

    /// Node `id`'s grad_fn name.
    func name(ofNode id: Int) -> String { nodes[id].name.map(tape.internedString) ?? "" }

    /// The name of a save's slot (`self` in `_saved_self`).
    func slotName(of save: Save) -> String { save.slot.map(tape.internedString) ?? "" }

    /// The shape the tensor of the save at `event` had when it was saved.
    func shapeAtSave(event: Int) -> [Int] {
        guard case let .save(slot) = tape.eventWithoutPreview(at: event) else { preconditionFailure("save event index out of sync") }
        return slot.shape
    }

    /// The saves of `node` in the order they were saved, which is the order backward unpacks them.
    func saves(of node: Int) -> [Save] {
        saveRange(of: node).map(save(at:))
    }

    /// Where the saves of `node` are among all saves grouped by node (`save(at:)`): the replay
    /// reads them one by one instead of slicing, which retains the array per node.
    func saveRange(of node: Int) -> Range<Int> {
        Int(saveStarts[node])..<Int(saveStarts[node + 1])
    }

    /// Save `i` of all saves grouped by node.
    func save(at i: Int) -> Save { saveList[Int(savesByNode[i])] }

    /// Whether `node` saved any variable.
    func hasSaves(_ node: Int) -> Bool { saveStarts[node] != saveStarts[node + 1] }

    /// The latest values preview of `tensor` before `position`, nil when none was recorded.
    func latestValues(of tensor: Int, before position: Int) -> TensorValues? {
        guard let event = values[tensor].value(before: position), case let .values(preview) = tape[event] else { return nil }
        return preview
    }

    /// The name `tensor` was last bound to before `position`, nil when it was not yet named.
    /// (A closure rather than `flatMap(name(bound:))`: the method reference copies the index.)
    func name(of tensor: Int, before position: Int) -> String? {
        bindings[tensor].value(before: position).flatMap { name(bound: $0) }
    }

    /// The last name `tensor` was bound to anywhere on the tape, nil when it never was.
    func lastName(of tensor: Int) -> String? {
        bindings[tensor].last.flatMap { name(bound: $0) }
    }

    private func name(bound position: Int) -> String? {
        guard case let .binding(binding) = tape.eventWithoutPreview(at: position) else { return nil }
        return binding.name
    }

    /// The saved variables unpacked when `node` runs: its own, then those of the node it wraps.
    func unpackedSaves(of node: Int) -> [Save] {
        var saves: [Save] = []
        _ = forEachUnpackedSave(of: node) { saves.append($0); return true }
        return saves
    }

    /// Calls `body` with each saved variable unpacked when `node` runs, in the order backward
    /// unpacks them: its own, then those of the node it wraps (a `CopySlices` runs the in-place
    /// op's node inside its own apply). Stops at the first for which `body` returns false and
    /// says whether it went through all. Reads the index slot by slot and allocates nothing: the
    /// replay and the blame ask it of every node they run.
    func forEachUnpackedSave(of node: Int, _ body: (Save) -> Bool) -> Bool {
        for i in saveRange(of: node) where !body(save(at: i)) { return false }
        guard !wrapped.isEmpty, let inner = wrapped[node] else { return true }
        for i in saveRange(of: inner) where !body(save(at: i)) { return false }
        return true
    }

    func counter(of tensor: Int) -> Int { tensors[tensor].counter }

    /// Bump `i` of `bumpList` with the position of its event (`counterBumps` and `storageBumps`
    /// hold such `i`).
    func bump(at i: Int32) -> Bump {
        Bump(bump: bumpList[Int(i)], event: Int(bumpEvents[Int(i)]))
    }

    /// The first op that returned `tensor`, nil when no op did.
    func producer(of tensor: Int) -> Int? {
        let op = producers[tensor]
        return op < 0 ? nil : Int(op)
    }

    /// The first node op `index` created, nil when it created none or is not an op of the tape.
    func firstNode(ofOp index: Int) -> Int? {
        guard firstNodeOfOp.indices.contains(index), firstNodeOfOp[index] >= 0 else { return nil }
        return Int(firstNodeOfOp[index])
    }

    /// The version `counter` had when the trace starts: above 0 when a step window dropped the
    /// bumps that moved it (`TraceHeader.dropped`).
    func startVersion(ofCounter counter: Int) -> Int {
        tape.header.dropped?.versions[counter] ?? 0
    }

    /// The value of `counter` after events `0..<position`.
    func version(ofCounter counter: Int, before position: Int) -> Int {
        counterVersions.value(for: counter, before: position) ?? 0
    }

    func version(of tensor: Int, before position: Int) -> Int {
        version(ofCounter: tensors[tensor].counter, before: position)
    }

    /// The tensor's shape after events `0..<position` (`t_()` and `resize_` change it).
    func shape(of tensor: Int, before position: Int) -> [Int] {
        latestValues(of: tensor, before: position)?.shape ?? tensorInfoWithoutPreview(tensor).shape
    }

    /// The number of tensors announced by events `0..<position` (ids are dense, in order).
    func tensorCount(before position: Int) -> Int {
        tensorEvents.countBefore(position)
    }

    func opCount(before position: Int) -> Int {
        opEvents.countBefore(position)
    }

    func saveCount(before position: Int) -> Int {
        saveList.lazy.map(\.event).countBefore(position)
    }

    func backwardCount(before position: Int) -> Int {
        backwardEvents.countBefore(position)
    }



    // MARK: Building

    /// Sizes the arrays from a count of the tape's event kinds (read without decoding), so that
    /// indexing a million events does not copy them over and over as they grow.
    private mutating func reserveCapacity() {
        let counts = tape.kindCounts()
        func count(_ kind: Event.Kind) -> Int { counts[Int(kind.rawValue)] }
        tensors.reserveCapacity(count(.tensor))
        tensorEvents.reserveCapacity(count(.tensor))
        // Each tensor may bring a new counter and storage; each bump and new counter a version.
        latestVersions.reserveCapacity(count(.tensor))
        counterBumps.reserveCapacity(count(.bump))
        storageBumps.reserveCapacity(count(.bump))
        counterVersions.reserveCapacity(count(.tensor) + count(.bump))
        opTotal = count(.op)
        producerBuffer.reserveCapacity(count(.tensor))
        opEvents.reserveCapacity(count(.op))
        opEnds.reserveCapacity(count(.op))
        nodes.reserveCapacity(count(.node))
        graph.reserveCapacity(nodes: count(.node))
        saveList.reserveCapacity(count(.save))
        bumpList.reserveCapacity(count(.bump))
        bumpEvents.reserveCapacity(count(.bump))
        pending.runs.reserveCapacity(count(.nodeRun))
        pending.results.reserveCapacity(count(.nodeResult))
        gradFns.reserveCapacity(count(.gradFn))
        values.reserveCapacity(count(.values))
        bindings.reserveCapacity(count(.binding))
        plainNodeOfOp = Array(repeating: -1, count: count(.op))
        firstNodeOfOp = Array(repeating: -1, count: count(.op))
    }

    /// Extends the latest op over the event at `position` when it comes right after the op's
    /// events: the node, grad_fn, save, bump, values and tensor events the engine records after
    /// an op belong to it (`opEnds`).
    @inline(__always)
    private mutating func extendOp(over position: Int) {
        if openOpEnd == position { openOpEnd = position + 1 }
    }
    /// Indexes a decoded event of one of the rare kinds whose payload the index keeps whole.
    private mutating func add(_ event: Event, at position: Int) throws(DebuggerError) {
        switch event {
        case let .error(error):
            if let backward = error.backward, backward >= backwardCalls.count {
                throw .unknownBackward(id: backward, event: position)
            }
            errors.append((error, position))
            consoleEvents.append(position)
            if let backward = error.backward, firstErrorByBackward[backward] == nil {
                firstErrorByBackward[backward] = error
            }
        case let .backward(call):
            guard call.id == backwardCalls.count else {
                throw .idOutOfOrder(kind: "backward", id: call.id, expected: backwardCalls.count, event: position)
            }
            for root in call.roots { try checkNode(root.node, at: position) }
            backwardCalls.append(call)
            backwardEvents.append(position)
        case let .backwardEnd(end):
            try checkBackward(end.backward, at: position)
            if let node = end.failedNode { try checkNode(node, at: position) }
            backwardEnds[end.backward] = (end, position)
        case let .exit(code):
            exitCode = code
        default:
            preconditionFailure("\(event.kind) events are indexed from their scanned fields")
        }
    }

    /// Notes a node's or bump's op, checked against the tape's op count.
    private mutating func reference(op: Int, at position: Int) {
        if unknownOpReference == nil, op < 0 || op >= opTotal { unknownOpReference = (op, position) }
    }

    private mutating func observe(_ seen: TensorVersion, at position: Int) throws(DebuggerError) {
        try checkTensor(seen.tensor, at: position)
        observe(counter: tensors[seen.tensor].counter, version: seen.version, at: position)
    }

    /// Records a counter's version only when it moves the counter forward (ops report their
    /// inputs' versions at start, which may trail a bump already recorded).
    private mutating func observe(counter: Int, version: Int, at position: Int) {
        guard version > latestVersions[counter] else { return }
        latestVersions[counter] = version
        counterVersions.append(version, for: counter, at: position)
    }

    private func checkTensor(_ id: Int, at position: Int) throws(DebuggerError) {
        guard id >= 0, id < tensors.count else { throw .unknownTensor(id: id, event: position) }
    }

    private func checkNode(_ id: Int, at position: Int) throws(DebuggerError) {
        guard id >= 0, id < nodes.count else { throw .unknownNode(id: id, event: position) }
    }

    private func checkBackward(_ id: Int, at position: Int) throws(DebuggerError) {
        guard id >= 0, id < backwardCalls.count else { throw .unknownBackward(id: id, event: position) }
    }
}

/// The index is the visitor of its tape's one scan: each kind's handler, inlined into the scan's
/// loop, takes the fields read from the stored bytes and appends to the index's arrays.
extension TapeIndex: TapeVisitor {
    @inline(__always)
    mutating func visitTensor(_ tensor: ScannedTensor, at position: Int) throws(DebuggerError) {
        extendOp(over: position)
        let (id, counter, storage) = (tensor.id, tensor.counter, tensor.storage)
        guard id == tensors.count else {
            throw .idOutOfOrder(kind: "tensor", id: id, expected: tensors.count, event: position)
        }
        guard counter >= 0, counter <= latestVersions.count else {
            throw .idOutOfOrder(kind: "version counter", id: counter, expected: latestVersions.count, event: position)
        }
        guard storage >= 0, storage <= storageCount else {
            throw .idOutOfOrder(kind: "storage", id: storage, expected: storageCount, event: position)
        }
        if counter == latestVersions.count {
            // A counter starts at its version when the trace starts; a tensor sharing an older
            // counter finds it there or later (versions only grow), so only a new one is observed.
            latestVersions.append(Int.min)
            observe(counter: counter, version: startVersion(ofCounter: counter), at: position)
        }
        if storage == storageCount { storageCount += 1 }
        tensorEvents.append(Int32(truncatingIfNeeded: position))
        tensors.append(Tensor(counter: counter, storage: storage, base: tensor.base, requiresGrad: tensor.requiresGrad))
        producerBuffer.append(-1)
    }

    @inline(__always)
    mutating func visitOp(_ op: ScannedOp, at position: Int) throws(DebuggerError) {
        let id = op.index
        guard id == opEvents.count else {
            throw .idOutOfOrder(kind: "op", id: id, expected: opEvents.count, event: position)
        }
        try op.inputs.forEach { (seen) throws(DebuggerError) in try observe(seen, at: position) }
        try op.outputs.forEach { (seen) throws(DebuggerError) in
            try observe(seen, at: position)
            if producerBuffer[seen.tensor] < 0 { producerBuffer[seen.tensor] = Int32(truncatingIfNeeded: id) }
        }
        opEvents.append(Int32(truncatingIfNeeded: position))
        if openOpEnd >= 0 { opEnds.append(Int32(truncatingIfNeeded: openOpEnd)) }
        openOpEnd = position + 1
    }

    @inline(__always)
    mutating func visitNode(_ node: ScannedNode, at position: Int) throws(DebuggerError) {
        extendOp(over: position)
        let id = node.id
        guard id == nodes.count else {
            throw .idOutOfOrder(kind: "node", id: id, expected: nodes.count, event: position)
        }
        if let op = node.op { reference(op: op, at: position) }
        if let variable = node.variable { try checkTensor(variable, at: position) }
        try node.edges.forEach { (edge) throws(DebuggerError) in
            if let edge, edge.node >= id { throw .unknownNode(id: edge.node, event: position) }
            graph.append(edge: edge)
        }
        if let op = node.op {
            if firstNodeOfOp.indices.contains(op), firstNodeOfOp[op] < 0 {
                firstNodeOfOp[op] = Int32(truncatingIfNeeded: id)
            }
            if plainNodeOfOp.indices.contains(op) {
                if node.name != nil, node.name == copySlicesName {
                    let inner = plainNodeOfOp[op]
                    if inner >= 0 { wrapped[id] = Int(inner) }
                } else if node.variable == nil {
                    plainNodeOfOp[op] = Int32(truncatingIfNeeded: id)
                }
            }
        }
        graph.closeNode(sequenceNr: node.sequenceNr)
        nodes.append(Node(name: node.name, op: node.op, variable: node.variable, event: position))
    }

    @inline(__always)
    mutating func visitGradFn(_ change: GradFnChange, at position: Int) throws(DebuggerError) {
        extendOp(over: position)
        try checkTensor(change.tensor, at: position)
        if let node = change.node { try checkNode(node, at: position) }
        gradFns.append(GradFn(change), for: change.tensor, at: position)
        try observe(TensorVersion(tensor: change.tensor, version: change.version), at: position)
    }

    @inline(__always)
    mutating func visitSave(_ save: ScannedSave, at position: Int) throws(DebuggerError) {
        extendOp(over: position)
        try checkNode(save.node, at: position)
        try checkTensor(save.tensor, at: position)
        saveList.append(Save(
            node: save.node, slot: save.slot, tensor: save.tensor, savedVersion: save.savedVersion, isOutput: save.isOutput,
            outputNr: save.outputNr, event: position))
        try observe(TensorVersion(tensor: save.tensor, version: save.savedVersion), at: position)
    }

    @inline(__always)
    mutating func visitBump(_ bump: VersionBump, at position: Int) throws(DebuggerError) {
        extendOp(over: position)
        try checkTensor(bump.tensor, at: position)
        reference(op: bump.op, at: position)
        guard bump.counter == tensors[bump.tensor].counter else {
            throw .counterMismatch(tensor: bump.tensor, counter: bump.counter, event: position)
        }
        let entry = Int32(truncatingIfNeeded: bumpList.count)
        // A write that left the counter where it was is no move of it: only `storageBumps` has it.
        if !bump.isUnbumped {
            counterBumps.append(entry, for: bump.counter, at: position)
        }
        bumpList.append(bump)
        bumpEvents.append(Int32(truncatingIfNeeded: position))
        storageBumps.append(entry, for: tensors[bump.tensor].storage, at: position)
        observe(counter: bump.counter, version: bump.to, at: position)
    }

    @inline(__always)
    mutating func visitValues(ofTensor tensor: Int, at position: Int) throws(DebuggerError) {
        extendOp(over: position)
        try checkTensor(tensor, at: position)
        values.append(position, for: tensor, at: position)
    }

    @inline(__always)
    mutating func visitBinding(ofTensor tensor: Int, at position: Int) throws(DebuggerError) {
        try checkTensor(tensor, at: position)
        bindings.append(position, for: tensor, at: position)
    }

    @inline(__always)
    mutating func visitOutput(at position: Int) throws(DebuggerError) {
        consoleEvents.append(position)
    }

    @inline(__always)
    mutating func visitRun(backward: Int, node: Int, at position: Int) throws(DebuggerError) {
        try checkBackward(backward, at: position)
        try checkNode(node, at: position)
        pending.runs.append((Int32(truncatingIfNeeded: node), Int32(truncatingIfNeeded: position)))
        if let variable = nodes[node].variable {
            pending.accumulates.append((Int32(truncatingIfNeeded: variable), Int32(truncatingIfNeeded: position)))
        }
    }

    @inline(__always)
    mutating func visitResult(backward: Int, node: Int, at position: Int) throws(DebuggerError) {
        try checkBackward(backward, at: position)
        try checkNode(node, at: position)
        pending.results.append((Int32(truncatingIfNeeded: node), Int32(truncatingIfNeeded: position)))
    }

    @inline(__always)
    mutating func visitRelease(node: Int, at position: Int) throws(DebuggerError) {
        try checkNode(node, at: position)
    }

    /// Errors, backward calls and their ends, and the exit: decoded whole.
    mutating func visitOther(_ kind: Event.Kind, at position: Int) throws(DebuggerError) {
        try add(tape.eventWithoutPreview(at: position), at: position)
    }
}
