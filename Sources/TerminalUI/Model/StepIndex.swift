import Debugger
import Tape

/// The steps of a run and the few lookups the panes need beyond what `Debugger` answers: op and
/// node rows, printed output, views and shared counters, and the gradients the engine reported.
///
/// Built once in a single pass over the tape; afterwards read-only and shared by every frame.
public final class StepIndex: Sendable {
    /// The rows of the Tape pane: forward ops, each backward call followed by its nodes in
    /// PyTorch's order (as the debugger replays them from the tape alone), and raised errors.
    public let steps: [Step]
    /// The debugger position each step shows: the state after the step and what it caused, or,
    /// for a backward call and its nodes, the state the call started from.
    public let positions: [Int]

    let opSteps: [Int: Int]
    let backwardSteps: [Int: Int]
    let nodeOfOp: [Int: Int]
    let bumpsOfOp: [Int: [VersionBump]]
    /// The `print` and `error` events: what a terminal would have shown while the program ran.
    let consoleEvents: [Int]
    let viewsOfBase: [Int: [Int]]
    let tensorsOfCounter: [Int: [Int]]
    /// For each version counter, the positions in save order (`Debugger.savedValues`) of the saves of its tensors.
    let savesOfCounter: [Int: [Int]]
    /// The `run` events the engine reported, by backward call and node (absent in some traces).
    let runEvents: [Int: [Int: Int]]
    /// The `result` events the engine reported, by backward call and node.
    let resultEvents: [Int: [Int: Int]]
    let accumulateRuns: [Int: [Int]]

    public init(debugger: Debugger) {
        let tape = debugger.tape
        var steps: [Step] = []
        var opSteps: [Int: Int] = [:]
        var backwardSteps: [Int: Int] = [:]
        var nodeOfOp: [Int: Int] = [:]
        var bumpsOfOp: [Int: [VersionBump]] = [:]
        var consoleEvents: [Int] = []
        var viewsOfBase: [Int: [Int]] = [:]
        var tensorsOfCounter: [Int: [Int]] = [:]
        var savesOfCounter: [Int: [Int]] = [:]
        var saveCount = 0
        var runEvents: [Int: [Int: Int]] = [:]
        var resultEvents: [Int: [Int: Int]] = [:]
        var accumulateRuns: [Int: [Int]] = [:]

        for index in 0..<tape.count {
            switch tape[index] {
            case .tensor(let info):
                tensorsOfCounter[info.counter, default: []].append(info.id)
                if let base = info.base {
                    viewsOfBase[base, default: []].append(info.id)
                }
            case .op(let op):
                opSteps[op.index] = steps.count
                steps.append(Step(kind: .op, event: index, line: op.site.line, backward: nil))
            case .node(let node):
                if let op = node.op, nodeOfOp[op] == nil {
                    nodeOfOp[op] = node.id
                }
            case .bump(let bump):
                bumpsOfOp[bump.op, default: []].append(bump)
            case .output:
                consoleEvents.append(index)
            case .error(let error):
                consoleEvents.append(index)
                steps.append(Step(kind: .error, event: index, line: error.site.line, backward: error.backward))
            case .backward(let call):
                backwardSteps[call.id] = steps.count
                steps.append(Step(kind: .backwardCall, event: index, line: call.site.line, backward: call.id))
                if call.id < debugger.replays.count {
                    for node in debugger.replays[call.id].steps.indices {
                        steps.append(Step(kind: .node(index: node), event: index, line: call.site.line, backward: call.id))
                    }
                }
            case .nodeRun(let run):
                runEvents[run.backward, default: [:]][run.node] = index
                if let variable = debugger.node(run.node).variable {
                    accumulateRuns[variable, default: []].append(index)
                }
            case .nodeResult(let result):
                resultEvents[result.backward, default: [:]][result.node] = index
            case .save(let slot):
                savesOfCounter[debugger.tensorInfo(slot.tensor).counter, default: []].append(saveCount)
                saveCount += 1
            case .binding, .gradFn, .values, .release, .backwardEnd, .exit:
                break
            }
        }
        var positions: [Int] = []
        positions.reserveCapacity(steps.count)
        for (index, step) in steps.enumerated() {
            switch step.kind {
            case .backwardCall, .node:
                positions.append(step.event)
            case .op, .error:
                positions.append(index + 1 < steps.count ? steps[index + 1].event : tape.count)
            }
        }
        self.steps = steps
        self.positions = positions
        self.opSteps = opSteps
        self.backwardSteps = backwardSteps
        self.nodeOfOp = nodeOfOp
        self.bumpsOfOp = bumpsOfOp
        self.consoleEvents = consoleEvents
        self.viewsOfBase = viewsOfBase
        self.tensorsOfCounter = tensorsOfCounter
        self.savesOfCounter = savesOfCounter
        self.runEvents = runEvents
        self.resultEvents = resultEvents
        self.accumulateRuns = accumulateRuns
    }

    /// The step of forward op `index`.
    public func step(ofOp index: Int) -> Int? { opSteps[index] }

    /// The step of backward call `id`; its nodes follow it.
    public func step(ofBackward id: Int) -> Int? { backwardSteps[id] }

    /// The node forward op `index` created, if any.
    public func node(ofOp index: Int) -> Int? { nodeOfOp[index] }

    /// The version bumps op `index` caused.
    public func bumps(ofOp index: Int) -> [VersionBump] { bumpsOfOp[index] ?? [] }

    /// What the program printed and raised before `position`, oldest first, at most `limit` events.
    public func console(before position: Int, limit: Int, in tape: Tape) -> [Event] {
        let end = consoleEvents.countBefore(position)
        return consoleEvents[max(0, end - limit)..<end].map { tape[$0] }
    }

    /// The tensors sharing version counter `counter` (views, `detach()`, unpacked saves).
    public func tensors(sharing counter: Int) -> [Int] { tensorsOfCounter[counter] ?? [] }

    /// The positions in save order of the saved tensors that share version counter `counter`.
    public func saves(sharing counter: Int) -> [Int] { savesOfCounter[counter] ?? [] }

    /// The tensors that are views of `base`.
    public func views(of base: Int) -> [Int] { viewsOfBase[base] ?? [] }

    /// The gradients the engine reported flowing into `node` (one per output) and out of it (one
    /// per `next_functions` entry) in backward call `backward`; nil when the tape has no such report.
    public func gradients(backward: Int, node: Int, in tape: Tape) -> (incoming: [TensorValues?]?, outgoing: [TensorValues?]?) {
        var incoming: [TensorValues?]?
        var outgoing: [TensorValues?]?
        if let event = runEvents[backward]?[node], case .nodeRun(let run) = tape[event], !run.incoming.isEmpty {
            incoming = run.incoming
        }
        if let event = resultEvents[backward]?[node], case .nodeResult(let result) = tape[event], !result.outgoing.isEmpty {
            outgoing = result.outgoing
        }
        return (incoming, outgoing)
    }

    /// The gradient accumulated into a leaf's `.grad` by the AccumulateGrad runs before `position`.
    public func grad(of tensor: Int, before position: Int, in tape: Tape) -> TensorValues? {
        guard let runs = accumulateRuns[tensor] else { return nil }
        var total: TensorValues?
        for run in runs.prefix(runs.countBefore(position)) {
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
}
