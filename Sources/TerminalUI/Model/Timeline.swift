import Tape

/// A tape indexed for the debugger UI: its steps, and lookups that answer "what was true at
/// event `e`" by binary search, so any cursor position renders in time independent of tape length.
///
/// Built once in a single pass over the tape; afterwards read-only and shared by every frame.
public final class Timeline: Sendable {
    public let tape: Tape
    /// The rows of the Tape pane, in tape order.
    public let steps: [Step]
    /// The program's source, one sanitised line per entry.
    public let source: [String]
    /// The number of forward ops.
    public let opCount: Int

    let stepEvents: [Int]
    let tensors: [Int: TensorInfo]
    let nodes: [Int: NodeRecord]
    let nodeEvents: [Int: Int]
    let nodeOfOp: [Int: Int]
    let opSteps: [Int: Int]
    let savesOfNode: [Int: [Int]]
    let saveEvents: [Int]
    let bumpsOfCounter: [Int: [Int]]
    let bumpsOfOp: [Int: [Int]]
    let gradFnOfTensor: [Int: [Int]]
    let valuesOfTensor: [Int: [Int]]
    let bindingsOfName: [String: [Int]]
    let bindingsOfTensor: [Int: [Int]]
    /// Bound names in the order the program first bound them.
    let names: [String]
    let outputEvents: [Int]
    let releaseOfNode: [Int: Int]
    let nodeRunSteps: [Int: [Int]]
    let accumulateRuns: [Int: [Int]]
    let viewsOfBase: [Int: [Int]]
    let tensorsOfCounter: [Int: [Int]]

    public init(tape: Tape) {
        self.tape = tape
        source = Sanitizer.lines(tape.header.source)
        var steps: [Step] = []
        var tensors: [Int: TensorInfo] = [:]
        var nodes: [Int: NodeRecord] = [:]
        var nodeEvents: [Int: Int] = [:]
        var nodeOfOp: [Int: Int] = [:]
        var opSteps: [Int: Int] = [:]
        var savesOfNode: [Int: [Int]] = [:]
        var saveEvents: [Int] = []
        var bumpsOfCounter: [Int: [Int]] = [:]
        var bumpsOfOp: [Int: [Int]] = [:]
        var gradFnOfTensor: [Int: [Int]] = [:]
        var valuesOfTensor: [Int: [Int]] = [:]
        var bindingsOfName: [String: [Int]] = [:]
        var bindingsOfTensor: [Int: [Int]] = [:]
        var names: [String] = []
        var outputEvents: [Int] = []
        var releaseOfNode: [Int: Int] = [:]
        var nodeRunSteps: [Int: [Int]] = [:]
        var accumulateRuns: [Int: [Int]] = [:]
        var viewsOfBase: [Int: [Int]] = [:]
        var tensorsOfCounter: [Int: [Int]] = [:]
        var backwardLines: [Int: Int] = [:]
        var opCount = 0

        for index in 0..<tape.count {
            switch tape[index] {
            case .tensor(let info):
                tensors[info.id] = info
                tensorsOfCounter[info.counter, default: []].append(info.id)
                if let base = info.base {
                    viewsOfBase[base, default: []].append(info.id)
                }
            case .op(let op):
                opSteps[op.index] = steps.count
                steps.append(Step(kind: .op, event: index, line: op.site.line, backward: nil))
                opCount += 1
            case .node(let node):
                nodes[node.id] = node
                nodeEvents[node.id] = index
                if let op = node.op, nodeOfOp[op] == nil {
                    nodeOfOp[op] = node.id
                }
            case .gradFn(let change):
                gradFnOfTensor[change.tensor, default: []].append(index)
            case .save(let slot):
                savesOfNode[slot.node, default: []].append(index)
                saveEvents.append(index)
            case .bump(let bump):
                bumpsOfCounter[bump.counter, default: []].append(index)
                bumpsOfOp[bump.op, default: []].append(index)
            case .values(let values):
                valuesOfTensor[values.tensor, default: []].append(index)
            case .binding(let binding):
                if bindingsOfName[binding.name] == nil {
                    names.append(binding.name)
                }
                bindingsOfName[binding.name, default: []].append(index)
                bindingsOfTensor[binding.tensor, default: []].append(index)
            case .output:
                outputEvents.append(index)
            case .error(let error):
                steps.append(Step(kind: .error, event: index, line: error.site.line, backward: error.backward))
            case .backward(let call):
                backwardLines[call.id] = call.site.line
                steps.append(Step(kind: .backwardCall, event: index, line: call.site.line, backward: call.id))
            case .nodeRun(let run):
                nodeRunSteps[run.backward, default: []].append(steps.count)
                if let variable = nodes[run.node]?.variable {
                    accumulateRuns[variable, default: []].append(index)
                }
                steps.append(Step(kind: .nodeRun, event: index, line: backwardLines[run.backward] ?? 0, backward: run.backward))
            case .release(let node):
                releaseOfNode[node] = index
            case .nodeResult, .backwardEnd, .exit:
                break
            }
        }
        self.steps = steps
        self.stepEvents = steps.map(\.event)
        self.tensors = tensors
        self.nodes = nodes
        self.nodeEvents = nodeEvents
        self.nodeOfOp = nodeOfOp
        self.opSteps = opSteps
        self.savesOfNode = savesOfNode
        self.saveEvents = saveEvents
        self.bumpsOfCounter = bumpsOfCounter
        self.bumpsOfOp = bumpsOfOp
        self.gradFnOfTensor = gradFnOfTensor
        self.valuesOfTensor = valuesOfTensor
        self.bindingsOfName = bindingsOfName
        self.bindingsOfTensor = bindingsOfTensor
        self.names = names
        self.outputEvents = outputEvents
        self.releaseOfNode = releaseOfNode
        self.nodeRunSteps = nodeRunSteps
        self.accumulateRuns = accumulateRuns
        self.viewsOfBase = viewsOfBase
        self.tensorsOfCounter = tensorsOfCounter
        self.opCount = opCount
    }

    // MARK: Lookups at an event

    /// The tensor's metadata as first seen.
    public func tensor(_ id: Int) -> TensorInfo? { tensors[id] }

    /// The grad_fn node with this id.
    public func node(_ id: Int) -> NodeRecord? { nodes[id] }

    /// The step at or before `event` (the step whose event the cursor last passed).
    public func step(atOrBefore event: Int) -> Int? {
        let position = stepEvents.countAtOrBefore(event)
        return position > 0 ? position - 1 : nil
    }

    /// The step of forward op `index`.
    public func step(ofOp index: Int) -> Int? { opSteps[index] }

    /// The value of version counter `counter` after event `event` (0 before any bump).
    public func version(counter: Int, at event: Int) -> Int {
        guard let bump = bumpsOfCounter[counter]?.lastAtOrBefore(event), case .bump(let record) = tape[bump] else {
            return 0
        }
        return record.to
    }

    /// A tensor's `_version` after `event`.
    public func version(tensor: Int, at event: Int) -> Int {
        tensors[tensor].map { version(counter: $0.counter, at: event) } ?? 0
    }

    /// A tensor's grad_fn (node id, nil for a leaf) and `requires_grad` after `event`.
    public func gradFn(of tensor: Int, at event: Int) -> (node: Int?, requiresGrad: Bool) {
        if let change = gradFnOfTensor[tensor]?.lastAtOrBefore(event), case .gradFn(let record) = tape[change] {
            return (record.node, record.requiresGrad)
        }
        return (nil, tensors[tensor]?.requiresGrad ?? false)
    }

    /// A tensor's latest value preview after `event`.
    public func values(of tensor: Int, at event: Int) -> [Double] {
        if let update = valuesOfTensor[tensor]?.lastAtOrBefore(event), case .values(let record) = tape[update] {
            return record.values
        }
        return tensors[tensor]?.values ?? []
    }

    /// The gradient accumulated into a leaf's `.grad` by the AccumulateGrad runs up to `event`.
    public func grad(of tensor: Int, at event: Int) -> TensorValues? {
        guard let runs = accumulateRuns[tensor] else { return nil }
        var total: TensorValues?
        for run in runs.prefix(runs.countAtOrBefore(event)) {
            guard case .nodeRun(let record) = tape[run], let incoming = record.incoming.first ?? nil else { continue }
            if var sum = total, sum.values.count == incoming.values.count {
                for index in sum.values.indices {
                    sum.values[index] += incoming.values[index]
                }
                total = sum
            } else {
                total = incoming
            }
        }
        return total
    }

    /// The name the program last gave `tensor` at or before `event`.
    public func name(of tensor: Int, at event: Int) -> String? {
        guard let binding = bindingsOfTensor[tensor]?.lastAtOrBefore(event), case .binding(let record) = tape[binding] else {
            return nil
        }
        return record.name
    }

    /// Each bound name with the tensor it refers to after `event`, in order of first binding.
    public func boundTensors(at event: Int) -> [(name: String, tensor: Int)] {
        names.compactMap { name in
            guard let binding = bindingsOfName[name]?.lastAtOrBefore(event), case .binding(let record) = tape[binding] else {
                return nil
            }
            return (name, record.tensor)
        }
    }

    /// The number of `save` events at or before `event`.
    public func savedCount(at event: Int) -> Int { saveEvents.countAtOrBefore(event) }

    /// The `position`-th saved slot of the run.
    public func savedSlot(_ position: Int) -> (event: Int, slot: SavedSlot)? {
        guard position >= 0, position < saveEvents.count, case .save(let slot) = tape[saveEvents[position]] else { return nil }
        return (saveEvents[position], slot)
    }

    /// The slots `node` saved, in order.
    public func saves(of node: Int) -> [(event: Int, slot: SavedSlot)] {
        (savesOfNode[node] ?? []).compactMap { event in
            guard case .save(let slot) = tape[event] else { return nil }
            return (event, slot)
        }
    }

    /// Whether `node`'s saved variables were freed at or before `event`.
    public func isReleased(_ node: Int, at event: Int) -> Bool {
        releaseOfNode[node].map { $0 <= event } ?? false
    }

    /// The node forward op `index` created, if any.
    public func node(ofOp index: Int) -> Int? { nodeOfOp[index] }

    /// The version bumps op `index` caused.
    public func bumps(ofOp index: Int) -> [VersionBump] {
        (bumpsOfOp[index] ?? []).compactMap { event in
            guard case .bump(let bump) = tape[event] else { return nil }
            return bump
        }
    }

    /// The bumps of `counter` after `event`, in order: the writes that followed a save.
    public func bumps(ofCounter counter: Int, after event: Int) -> [(event: Int, bump: VersionBump)] {
        guard let events = bumpsOfCounter[counter] else { return [] }
        return events[events.countAtOrBefore(event)...].compactMap { index in
            guard case .bump(let bump) = tape[index] else { return nil }
            return (index, bump)
        }
    }

    /// The tensors sharing version counter `counter` (views, `detach()`, unpacked saves).
    public func tensors(sharing counter: Int) -> [Int] { tensorsOfCounter[counter] ?? [] }

    /// The tensors that are views of `base`.
    public func views(of base: Int) -> [Int] { viewsOfBase[base] ?? [] }

    /// The text the program printed up to `event`, newest last, at most `limit` output events.
    public func outputs(upTo event: Int, limit: Int) -> [String] {
        let end = outputEvents.countAtOrBefore(event)
        return outputEvents[max(0, end - limit)..<end].compactMap { index in
            guard case .output(let text) = tape[index] else { return nil }
            return text
        }
    }

    /// The node-run steps of backward call `backward`, in the engine's order.
    public func nodeRuns(of backward: Int) -> [Int] { nodeRunSteps[backward] ?? [] }

    /// A tensor written `t3`, or `t3 x` when the program named it.
    public func label(_ tensor: Int, at event: Int) -> String {
        name(of: tensor, at: event).map { "t\(tensor) \($0)" } ?? "t\(tensor)"
    }
}
