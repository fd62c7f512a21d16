import Debugger
import Tape

/// The steps of a run, the rows of the Tape pane: forward ops, each backward call followed by its
/// nodes in PyTorch's order (as the debugger replays them from the tape alone), and raised errors.
///
/// Built from the debugger's index of the tape (it merges the positions of ops, errors and backward
/// calls, which the debugger keeps in tape order), without reading the tape again; every other
/// question a pane asks goes to the `Debugger`.
public final class StepIndex: Sendable {
    public let steps: [Step]
    /// The debugger position each step shows: the state after the step and what it caused, or,
    /// for a backward call and its nodes, the state the call started from.
    public let positions: [Int]

    /// The step of each forward op, by op index.
    let opSteps: [Int]
    /// The step of each backward call, by call id.
    let backwardSteps: [Int]

    public init(debugger: Debugger) {
        let errors = debugger.raisedErrors
        var steps: [Step] = []
        steps.reserveCapacity(debugger.opCount + errors.count + debugger.backwardCount
            + debugger.replays.reduce(0) { $0 + $1.steps.count })
        var opSteps: [Int] = []
        opSteps.reserveCapacity(debugger.opCount)
        var backwardSteps: [Int] = []
        backwardSteps.reserveCapacity(debugger.backwardCount)
        var (op, error, backward) = (0, 0, 0)
        let end = Int.max
        while true {
            let opAt = op < debugger.opCount ? debugger.position(ofOp: op) : end
            let errorAt = error < errors.count ? errors[error].position : end
            let backwardAt = backward < debugger.backwardCount ? debugger.position(ofBackward: backward) : end
            let next = min(opAt, errorAt, backwardAt)
            if next == end { break }
            if next == opAt {
                opSteps.append(steps.count)
                steps.append(Step(kind: .op, event: opAt, line: debugger.line(ofOp: op), backward: nil))
                op += 1
            } else if next == errorAt {
                let raised = errors[error].error
                steps.append(Step(kind: .error, event: errorAt, line: raised.site.line, backward: raised.backward))
                error += 1
            } else {
                let line = debugger.backwardCall(backward).site.line
                backwardSteps.append(steps.count)
                steps.append(Step(kind: .backwardCall, event: backwardAt, line: line, backward: backward))
                if backward < debugger.replays.count {
                    for node in debugger.replays[backward].steps.indices {
                        steps.append(Step(kind: .node(index: node), event: backwardAt, line: line, backward: backward))
                    }
                }
                backward += 1
            }
        }
        var positions: [Int] = []
        positions.reserveCapacity(steps.count)
        for (index, step) in steps.enumerated() {
            switch step.kind {
            case .backwardCall, .node:
                positions.append(step.event)
            case .op, .error:
                positions.append(index + 1 < steps.count ? steps[index + 1].event : debugger.eventCount)
            }
        }
        self.steps = steps
        self.positions = positions
        self.opSteps = opSteps
        self.backwardSteps = backwardSteps
    }

    /// The step of forward op `index`.
    public func step(ofOp index: Int) -> Int? { opSteps.indices.contains(index) ? opSteps[index] : nil }

    /// The step of backward call `id`; its nodes follow it.
    public func step(ofBackward id: Int) -> Int? { backwardSteps.indices.contains(id) ? backwardSteps[id] : nil }
}
