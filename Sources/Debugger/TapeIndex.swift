import Tape

/// Linear-time indexes over a tape, built in one pass so that every question the debugger asks
/// ("which version was counter 3 at event 900?", "what did node 7 save?") is a lookup or a
/// binary search instead of a scan.
struct TapeIndex: Sendable {
    /// A saved slot with the position of its `save` event.
    struct Save: Hashable, Sendable {
        var slot: SavedSlot
        var event: Int
    }

    /// A version bump with the position of its `bump` event.
    struct Bump: Hashable, Sendable {
        var bump: VersionBump
        var event: Int
    }

    /// The tape itself: records needed only now and then (an op, a values preview) are decoded
    /// from it on demand instead of being kept twice.
    let tape: Tape
    private(set) var eventCount = 0

    /// Each tensor's first sighting, without its values preview (decode `tensorEvents` for it).
    private(set) var tensors: [TensorInfo] = []
    private(set) var tensorEvents: [Int] = []
    /// Each tensor's grad_fn changes.
    private(set) var gradFns = Timelines<GradFnChange>()
    /// The positions of each tensor's `values` events.
    private(set) var values = Timelines<Int>()
    /// The positions of the `bind` events that named each tensor (decode one for its name).
    private(set) var bindings = Timelines<Int>()
    /// The first op that returned each tensor.
    private(set) var producers: [Int?] = []

    private(set) var opEvents: [Int] = []
    /// One past the last event that belongs to each op: the op event and the node, grad_fn, save,
    /// bump, values and tensor events the engine records right after it.
    private(set) var opEnds: [Int] = []

    private(set) var nodes: [NodeRecord] = []
    private(set) var nodeEvents: [Int] = []
    /// Each node's saved slots in the order they were saved, which is the order backward unpacks them.
    private(set) var saves: [[Save]] = []
    /// For a `CopySlices` node, the in-place op's node it wraps and runs inside its own apply
    /// (recorded by the same op, before it); its saved variables are unpacked when CopySlices runs.
    private(set) var wrapped: [Int: Int] = [:]
    /// The latest node each op created that is neither a `CopySlices` nor an `AccumulateGrad`:
    /// the node a `CopySlices` of the same op wraps.
    /// By op index; an op index past the tape's op count fails the check after indexing.
    private var plainNodeOfOp: [Int?] = []
    /// Every save in tape order, as (node, position in that node's saves).
    private(set) var saveOrder: [(node: Int, slot: Int)] = []
    private(set) var saveEvents: [Int] = []

    /// The observed value of each version counter over time (versions only grow).
    /// Indexed by counter id (dense, checked when a tensor introduces one).
    private(set) var counterVersions = Timelines<Int>()
    /// The latest version of each counter while indexing (`counterVersions` answers afterwards).
    private var latestVersions: [Int] = []
    private(set) var counterBumps: [[Bump]] = []
    /// Bumps by the storage of the tensor written through, to spot writes that bypass a counter.
    /// Indexed by storage id (dense, checked when a tensor introduces one).
    private(set) var storageBumps: [[Bump]] = []

    private(set) var backwardCalls: [BackwardCall] = []
    private(set) var backwardEvents: [Int] = []
    private(set) var backwardEnds: [Int: (end: BackwardEnd, event: Int)] = [:]
    /// The nodes the engine itself reported running, per backward call (empty for traces without them).
    private(set) var engineRuns: [Int: [Int]] = [:]

    /// Every version bump in tape order, with their positions in that order grouped by the op
    /// that caused them.
    private(set) var bumpList: [VersionBump] = []
    private(set) var bumpsOfOp = Grouping(keys: [], values: [])
    /// The first node each op created, by op index.
    private(set) var firstNodeOfOp: [Int?] = []
    /// The `output` and `error` events: what a terminal would have shown while the program ran.
    private(set) var consoleEvents: [Int] = []
    /// The tensors that are views of each base tensor.
    private(set) var viewsOfBase = Grouping(keys: [], values: [])
    /// The tensors of each version counter (views, `detach()`, unpacked saves).
    private(set) var tensorsOfCounter = Grouping(keys: [], values: [])
    /// For each version counter, the positions in save order of the saves of its tensors.
    private(set) var savesOfCounter = Grouping(keys: [], values: [])
    /// The positions of each node's `run` and `result` events, over all backward calls.
    private(set) var runsOfNode = Grouping(keys: [], values: [])
    private(set) var resultsOfNode = Grouping(keys: [], values: [])
    /// The positions of the `run` events of each leaf's AccumulateGrad nodes, by tensor.
    private(set) var accumulateRuns = Grouping(keys: [], values: [])
    /// Keys and values collected while indexing for the groupings above.
    private var pending = PendingGroups()

    private(set) var errors: [(error: RaisedError, event: Int)] = []
    /// The first error raised inside each backward call.
    private(set) var firstErrorByBackward: [Int: RaisedError] = [:]
    private(set) var exitCode: Int?
    private var opReferences: [(op: Int, event: Int)] = []

    init(_ tape: Tape) throws(DebuggerError) {
        self.tape = tape
        reserveCapacity()
        for position in 0..<tape.count {
            try add(at: position)
        }
        eventCount = tape.count
        gradFns.finish(keyCount: tensors.count)
        values.finish(keyCount: tensors.count)
        bindings.finish(keyCount: tensors.count)
        counterVersions.finish(keyCount: latestVersions.count)
        latestVersions = []
        // Nodes and bumps may be recorded just before the op event that caused them.
        for (op, position) in opReferences where op < 0 || op >= opEvents.count {
            throw .unknownOp(index: op, event: position)
        }
        opReferences = []
        plainNodeOfOp = []
        groupPending()
    }

    /// The (key, value) pairs gathered in one pass for the groupings built once indexing is done.
    private struct PendingGroups: Sendable {
        var bumpOps: [Int] = []
        var runNodes: [Int] = []
        var runEvents: [Int] = []
        var resultNodes: [Int] = []
        var resultEvents: [Int] = []
        var accumulateTensors: [Int] = []
        var accumulateEvents: [Int] = []
    }

    /// Builds the groupings, each with one counting sort, from what indexing gathered and from the
    /// tensors and saves already indexed.
    private mutating func groupPending() {
        bumpsOfOp = Grouping(keys: pending.bumpOps, values: Array(pending.bumpOps.indices))
        runsOfNode = Grouping(keys: pending.runNodes, values: pending.runEvents)
        resultsOfNode = Grouping(keys: pending.resultNodes, values: pending.resultEvents)
        accumulateRuns = Grouping(keys: pending.accumulateTensors, values: pending.accumulateEvents)
        pending = PendingGroups()
        let views = tensors.filter { $0.base.map(tensors.indices.contains) ?? false }
        viewsOfBase = Grouping(keys: views.map { $0.base ?? 0 }, values: views.map(\.id))
        tensorsOfCounter = Grouping(keys: tensors.map(\.counter), values: Array(tensors.indices))
        let saveCounters = saveOrder.map { tensors[saves[$0.node][$0.slot].slot.tensor].counter }
        savesOfCounter = Grouping(keys: saveCounters, values: Array(saveCounters.indices))
    }

    static let copySlices = "torch::autograd::CopySlices"

    // MARK: Lookups

    var opCount: Int { opEvents.count }

    /// Op `index`, decoded from its event.
    func op(_ index: Int) -> OpRecord {
        guard case let .op(record) = tape[opEvents[index]] else { preconditionFailure("op event index out of sync") }
        return record
    }

    /// Tensor `id`'s first sighting with its values preview, decoded from its event.
    func tensorInfo(_ id: Int) -> TensorInfo {
        guard case let .tensor(info) = tape[tensorEvents[id]] else { preconditionFailure("tensor event index out of sync") }
        return info
    }

    /// The latest values preview of `tensor` before `position`, nil when none was recorded.
    func latestValues(of tensor: Int, before position: Int) -> TensorValues? {
        guard let event = values[tensor].value(before: position), case let .values(preview) = tape[event] else { return nil }
        return preview
    }

    /// The name `tensor` was last bound to before `position`, nil when it was not yet named.
    func name(of tensor: Int, before position: Int) -> String? {
        bindings[tensor].value(before: position).flatMap(name(bound:))
    }

    /// The last name `tensor` was bound to anywhere on the tape, nil when it never was.
    func lastName(of tensor: Int) -> String? {
        bindings[tensor].last.flatMap(name(bound:))
    }

    private func name(bound position: Int) -> String? {
        guard case let .binding(binding) = tape.eventWithoutPreview(at: position) else { return nil }
        return binding.name
    }

    /// The saved variables unpacked when `node` runs: its own, then those of the node it wraps.
    func unpackedSaves(of node: Int) -> [Save] {
        guard let inner = wrapped[node] else { return saves[node] }
        return saves[node] + saves[inner]
    }

    func counter(of tensor: Int) -> Int { tensors[tensor].counter }

    /// The version `counter` had when the trace starts: above 0 when a step window dropped the
    /// bumps that moved it (`TraceHeader.dropped`).
    func startVersion(ofCounter counter: Int) -> Int {
        tape.header.dropped?.versions[counter] ?? 0
    }

    /// The value of `counter` after events `0..<position`.
    func version(ofCounter counter: Int, before position: Int) -> Int {
        counterVersions[counter].value(before: position) ?? 0
    }

    func version(of tensor: Int, before position: Int) -> Int {
        version(ofCounter: tensors[tensor].counter, before: position)
    }

    /// The tensor's shape after events `0..<position` (`t_()` and `resize_` change it).
    func shape(of tensor: Int, before position: Int) -> [Int] {
        latestValues(of: tensor, before: position)?.shape ?? tensors[tensor].shape
    }

    /// The number of tensors announced by events `0..<position` (ids are dense, in order).
    func tensorCount(before position: Int) -> Int {
        tensorEvents.countBefore(position)
    }

    func opCount(before position: Int) -> Int {
        opEvents.countBefore(position)
    }

    func saveCount(before position: Int) -> Int {
        saveEvents.countBefore(position)
    }

    func backwardCount(before position: Int) -> Int {
        backwardEvents.countBefore(position)
    }

    /// The bumps in `bumps` (sorted by event) recorded strictly between `start` and `end`.
    func bumps(_ bumps: [Bump], after start: Int, before end: Int) -> ArraySlice<Bump> {
        let events = bumps.lazy.map(\.event)
        let low = events.countBefore(start + 1)
        return bumps[low..<max(low, events.countBefore(end))]
    }

    // MARK: Building

    /// Sizes the arrays from a count of the tape's event kinds (read without decoding), so that
    /// indexing a million events does not copy them over and over as they grow.
    private mutating func reserveCapacity() {
        var counts = [Int](repeating: 0, count: Event.Kind.allCases.count)
        for position in 0..<tape.count { counts[Int(tape.kind(at: position).rawValue)] += 1 }
        func count(_ kind: Event.Kind) -> Int { counts[Int(kind.rawValue)] }
        tensors.reserveCapacity(count(.tensor))
        tensorEvents.reserveCapacity(count(.tensor))
        producers.reserveCapacity(count(.tensor))
        opEvents.reserveCapacity(count(.op))
        opEnds.reserveCapacity(count(.op))
        nodes.reserveCapacity(count(.node))
        nodeEvents.reserveCapacity(count(.node))
        saves.reserveCapacity(count(.node))
        saveOrder.reserveCapacity(count(.save))
        saveEvents.reserveCapacity(count(.save))
        gradFns.reserveCapacity(count(.gradFn))
        values.reserveCapacity(count(.values))
        bindings.reserveCapacity(count(.binding))
        plainNodeOfOp = Array(repeating: nil, count: count(.op))
        firstNodeOfOp = Array(repeating: nil, count: count(.op))
    }

    /// Indexes event `position`: kinds whose payload the index does not keep are read through
    /// `Tape.summary(at:)`, which decodes no strings or arrays; the others are decoded in full.
    private mutating func add(at position: Int) throws(DebuggerError) {
        let kind = tape.kind(at: position)
        switch kind {
        case .node, .gradFn, .save, .bump, .values, .tensor:
            if let last = opEnds.indices.last, opEnds[last] == position { opEnds[last] = position + 1 }
        default:
            break
        }
        switch kind {
        case .values:
            let tensor = tape.summary(at: position).tensor ?? 0
            try checkTensor(tensor, at: position)
            values.append(position, for: tensor, at: position)
        case .nodeRun:
            let run = tape.summary(at: position)
            let (backward, node) = (run.backward ?? 0, run.node ?? 0)
            try checkBackward(backward, at: position)
            try checkNode(node, at: position)
            engineRuns[backward, default: []].append(node)
            pending.runNodes.append(node)
            pending.runEvents.append(position)
            if let variable = nodes[node].variable {
                pending.accumulateTensors.append(variable)
                pending.accumulateEvents.append(position)
            }
        case .nodeResult:
            let result = tape.summary(at: position)
            try checkBackward(result.backward ?? 0, at: position)
            try checkNode(result.node ?? 0, at: position)
            pending.resultNodes.append(result.node ?? 0)
            pending.resultEvents.append(position)
        case .release:
            try checkNode(tape.summary(at: position).node ?? 0, at: position)
        case .output:
            consoleEvents.append(position)
        case .binding:
            let tensor = tape.summary(at: position).tensor ?? 0
            try checkTensor(tensor, at: position)
            bindings.append(position, for: tensor, at: position)
        default:
            try add(tape.eventWithoutPreview(at: position), at: position)
        }
    }

    /// Indexes a decoded event of a kind whose payload the index keeps.
    private mutating func add(_ event: Event, at position: Int) throws(DebuggerError) {
        switch event {
        case let .tensor(info):
            guard info.id == tensors.count else {
                throw .idOutOfOrder(kind: "tensor", id: info.id, expected: tensors.count, event: position)
            }
            guard info.counter >= 0, info.counter <= latestVersions.count else {
                throw .idOutOfOrder(kind: "version counter", id: info.counter, expected: latestVersions.count, event: position)
            }
            guard info.storage >= 0, info.storage <= storageBumps.count else {
                throw .idOutOfOrder(kind: "storage", id: info.storage, expected: storageBumps.count, event: position)
            }
            if info.counter == latestVersions.count {
                latestVersions.append(Int.min)
                counterBumps.append([])
            }
            if info.storage == storageBumps.count { storageBumps.append([]) }
            tensors.append(info)
            tensorEvents.append(position)
            producers.append(nil)
            observe(counter: info.counter, version: tape.header.dropped?.versions[info.counter] ?? 0, at: position)
        case let .op(op):
            guard op.index == opEvents.count else {
                throw .idOutOfOrder(kind: "op", id: op.index, expected: opEvents.count, event: position)
            }
            for seen in op.inputs { try observe(seen, at: position) }
            for seen in op.outputs { try observe(seen, at: position) }
            for output in op.outputs where producers[output.tensor] == nil {
                producers[output.tensor] = op.index
            }
            opEvents.append(position)
            opEnds.append(position + 1)
        case let .node(node):
            guard node.id == nodes.count else {
                throw .idOutOfOrder(kind: "node", id: node.id, expected: nodes.count, event: position)
            }
            if let op = node.op { opReferences.append((op, position)) }
            if let variable = node.variable { try checkTensor(variable, at: position) }
            for case let edge? in node.next where edge.node >= node.id {
                throw .unknownNode(id: edge.node, event: position)
            }
            if let op = node.op {
                if firstNodeOfOp.indices.contains(op), firstNodeOfOp[op] == nil { firstNodeOfOp[op] = node.id }
                if plainNodeOfOp.indices.contains(op) {
                    if node.name == Self.copySlices {
                        if let inner = plainNodeOfOp[op] { wrapped[node.id] = inner }
                    } else if node.variable == nil {
                        plainNodeOfOp[op] = node.id
                    }
                }
            }
            nodes.append(node)
            nodeEvents.append(position)
            saves.append([])
        case let .gradFn(change):
            try checkTensor(change.tensor, at: position)
            if let node = change.node { try checkNode(node, at: position) }
            gradFns.append(change, for: change.tensor, at: position)
            try observe(TensorVersion(tensor: change.tensor, version: change.version), at: position)
        case let .save(slot):
            try checkNode(slot.node, at: position)
            try checkTensor(slot.tensor, at: position)
            saveOrder.append((slot.node, saves[slot.node].count))
            saveEvents.append(position)
            saves[slot.node].append(Save(slot: slot, event: position))
            try observe(TensorVersion(tensor: slot.tensor, version: slot.savedVersion), at: position)
        case let .bump(bump):
            try checkTensor(bump.tensor, at: position)
            opReferences.append((bump.op, position))
            let entry = Bump(bump: bump, event: position)
            guard bump.counter == tensors[bump.tensor].counter else {
                throw .counterMismatch(tensor: bump.tensor, counter: bump.counter, event: position)
            }
            counterBumps[bump.counter].append(entry)
            bumpList.append(bump)
            pending.bumpOps.append(bump.op)
            storageBumps[tensors[bump.tensor].storage].append(entry)
            observe(counter: bump.counter, version: bump.to, at: position)
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
        case .values, .nodeRun, .nodeResult, .release, .output, .binding:
            preconditionFailure("\(event.kind) events are indexed from their summary")
        }
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
