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
    private(set) var gradFns: [Timeline<GradFnChange>] = []
    /// The positions of each tensor's `values` events.
    private(set) var values: [Timeline<Int>] = []
    private(set) var names: [Timeline<String>] = []
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
    private var nodesByOp: [Int: [Int]] = [:]
    /// Every save in tape order, as (node, position in that node's saves).
    private(set) var saveOrder: [(node: Int, slot: Int)] = []
    private(set) var saveEvents: [Int] = []

    /// The observed value of each version counter over time (versions only grow).
    /// Indexed by counter id (dense, checked when a tensor introduces one).
    private(set) var counterVersions: [Timeline<Int>] = []
    private(set) var counterBumps: [[Bump]] = []
    /// Bumps by the storage of the tensor written through, to spot writes that bypass a counter.
    /// Indexed by storage id (dense, checked when a tensor introduces one).
    private(set) var storageBumps: [[Bump]] = []

    private(set) var backwardCalls: [BackwardCall] = []
    private(set) var backwardEvents: [Int] = []
    private(set) var backwardEnds: [Int: (end: BackwardEnd, event: Int)] = [:]
    /// The nodes the engine itself reported running, per backward call (empty for traces without them).
    private(set) var engineRuns: [Int: [Int]] = [:]
    /// The positions of those `run` events (their `incoming` gradients are decoded on demand).
    private(set) var engineRunEvents: [Int: [Int]] = [:]

    private(set) var errors: [(error: RaisedError, event: Int)] = []
    /// The first error raised inside each backward call.
    private(set) var firstErrorByBackward: [Int: RaisedError] = [:]
    private(set) var exitCode: Int?
    private var opReferences: [(op: Int, event: Int)] = []

    init(_ tape: Tape) throws(DebuggerError) {
        self.tape = tape
        for position in 0..<tape.count {
            try add(tape[position], at: position)
        }
        eventCount = tape.count
        // Nodes and bumps may be recorded just before the op event that caused them.
        for (op, position) in opReferences where op < 0 || op >= opEvents.count {
            throw .unknownOp(index: op, event: position)
        }
        opReferences = []
        nodesByOp = [:]
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

    /// The saved variables unpacked when `node` runs: its own, then those of the node it wraps.
    func unpackedSaves(of node: Int) -> [Save] {
        guard let inner = wrapped[node] else { return saves[node] }
        return saves[node] + saves[inner]
    }

    func counter(of tensor: Int) -> Int { tensors[tensor].counter }

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
        countBelow(tensorEvents, position)
    }

    func opCount(before position: Int) -> Int {
        countBelow(opEvents, position)
    }

    func saveCount(before position: Int) -> Int {
        countBelow(saveEvents, position)
    }

    func backwardCount(before position: Int) -> Int {
        countBelow(backwardEvents, position)
    }

    /// The bumps in `bumps` (sorted by event) recorded strictly between `start` and `end`.
    func bumps(_ bumps: [Bump], after start: Int, before end: Int) -> ArraySlice<Bump> {
        var low = 0
        var high = bumps.count
        while low < high {
            let mid = (low + high) / 2
            if bumps[mid].event <= start { low = mid + 1 } else { high = mid }
        }
        var stop = low
        while stop < bumps.count && bumps[stop].event < end { stop += 1 }
        return bumps[low..<stop]
    }

    private func countBelow(_ positions: [Int], _ position: Int) -> Int {
        var low = 0
        var high = positions.count
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: Building

    private mutating func add(_ event: Event, at position: Int) throws(DebuggerError) {
        switch event {
        case .node, .gradFn, .save, .bump, .values, .tensor:
            if let last = opEnds.indices.last, opEnds[last] == position { opEnds[last] = position + 1 }
        default:
            break
        }
        switch event {
        case var .tensor(info):
            guard info.id == tensors.count else {
                throw .idOutOfOrder(kind: "tensor", id: info.id, expected: tensors.count, event: position)
            }
            guard info.counter >= 0, info.counter <= counterVersions.count else {
                throw .idOutOfOrder(kind: "version counter", id: info.counter, expected: counterVersions.count, event: position)
            }
            guard info.storage >= 0, info.storage <= storageBumps.count else {
                throw .idOutOfOrder(kind: "storage", id: info.storage, expected: storageBumps.count, event: position)
            }
            if info.counter == counterVersions.count {
                counterVersions.append(Timeline())
                counterBumps.append([])
            }
            if info.storage == storageBumps.count { storageBumps.append([]) }
            info.values = []
            tensors.append(info)
            tensorEvents.append(position)
            gradFns.append(Timeline())
            values.append(Timeline())
            names.append(Timeline())
            producers.append(nil)
            counterVersions[info.counter].append(0, at: position, ifAbove: true)
        case let .op(op):
            guard op.index == opEvents.count else {
                throw .idOutOfOrder(kind: "op", id: op.index, expected: opEvents.count, event: position)
            }
            for seen in op.inputs + op.outputs {
                try observe(seen, at: position)
            }
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
            for edge in node.next.compactMap({ $0 }) where edge.node >= node.id {
                throw .unknownNode(id: edge.node, event: position)
            }
            if let op = node.op {
                if node.name == Self.copySlices,
                   let inner = nodesByOp[op]?.last(where: { nodes[$0].name != Self.copySlices && nodes[$0].variable == nil }) {
                    wrapped[node.id] = inner
                }
                nodesByOp[op, default: []].append(node.id)
            }
            nodes.append(node)
            nodeEvents.append(position)
            saves.append([])
        case let .gradFn(change):
            try checkTensor(change.tensor, at: position)
            if let node = change.node { try checkNode(node, at: position) }
            gradFns[change.tensor].append(change, at: position)
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
            storageBumps[tensors[bump.tensor].storage].append(entry)
            counterVersions[bump.counter].append(bump.to, at: position, ifAbove: true)
        case let .values(preview):
            try checkTensor(preview.tensor, at: position)
            values[preview.tensor].append(position, at: position)
        case let .binding(binding):
            try checkTensor(binding.tensor, at: position)
            names[binding.tensor].append(binding.name, at: position)
        case let .error(error):
            if let backward = error.backward, backward >= backwardCalls.count {
                throw .unknownBackward(id: backward, event: position)
            }
            errors.append((error, position))
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
        case let .nodeRun(run):
            try checkBackward(run.backward, at: position)
            try checkNode(run.node, at: position)
            engineRuns[run.backward, default: []].append(run.node)
            engineRunEvents[run.backward, default: []].append(position)
        case let .nodeResult(result):
            try checkBackward(result.backward, at: position)
            try checkNode(result.node, at: position)
        case let .release(node):
            try checkNode(node, at: position)
        case let .backwardEnd(end):
            try checkBackward(end.backward, at: position)
            if let node = end.failedNode { try checkNode(node, at: position) }
            backwardEnds[end.backward] = (end, position)
        case .output:
            break
        case let .exit(code):
            exitCode = code
        }
    }

    private mutating func observe(_ seen: TensorVersion, at position: Int) throws(DebuggerError) {
        try checkTensor(seen.tensor, at: position)
        counterVersions[tensors[seen.tensor].counter].append(seen.version, at: position, ifAbove: true)
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

extension Timeline where Value == Int {
    /// Appends a version only when it moves the counter forward (ops report their inputs' versions
    /// at start, which may trail a bump already recorded).
    mutating func append(_ version: Int, at position: Int, ifAbove: Bool) {
        if let last, version <= last { return }
        append(version, at: position)
    }
}
