import Tape

/// What the UI shows about one failure: where the replay stops, PyTorch's message, the culprit
/// write and the story of the versions that led to it.
public struct Diagnosis: Hashable, Sendable {
    /// The step where the failure surfaces: the node whose unpack raised, or the raising op.
    public var failingStep: Int
    /// The exception type and message as PyTorch renders them: `RuntimeError: one of the variables…`.
    public var message: String
    /// The node whose saved slot was stale, for a backward failure.
    public var failedNode: Int?
    /// The stale slot's name (`self`, `other`, `result`).
    public var failedSlot: String?
    /// The step of the op that made the slot stale (the culprit), when the tape shows it.
    public var culpritStep: Int?
    /// The culprit's source line.
    public var culpritLine: Int?
    /// The blame chain, oldest first: the save, each write after it, the failing unpack.
    public var chain: [String]
    /// How to fix it, when known.
    public var hint: String?

    public init(
        failingStep: Int, message: String, failedNode: Int? = nil, failedSlot: String? = nil,
        culpritStep: Int? = nil, culpritLine: Int? = nil, chain: [String] = [], hint: String? = nil
    ) {
        self.failingStep = failingStep
        self.message = message
        self.failedNode = failedNode
        self.failedSlot = failedSlot
        self.culpritStep = culpritStep
        self.culpritLine = culpritLine
        self.chain = chain
        self.hint = hint
    }

    /// The failures the tape itself records, in order: every uncaught or caught exception, with a
    /// backward failure traced from the stale slot to the first write after it was saved.
    public static func all(in timeline: Timeline) -> [Diagnosis] {
        var result: [Diagnosis] = []
        var failures: [Int: BackwardEnd] = [:]
        let tape = timeline.tape
        for index in 0..<tape.count {
            if case .backwardEnd(let end) = tape[index], end.failedNode != nil {
                failures[end.backward] = end
            }
        }
        for (position, step) in timeline.steps.enumerated() where step.kind == .error {
            guard case .error(let error) = tape[step.event] else { continue }
            let message = "\(error.type): \(error.message)"
            if let backward = error.backward, let end = failures[backward], let node = end.failedNode {
                result.append(backwardFailure(in: timeline, backward: backward, node: node, slot: end.failedSlot, message: message, errorStep: position))
            } else {
                result.append(Diagnosis(failingStep: position, message: message, culpritStep: position, culpritLine: error.site.line))
            }
        }
        return result
    }

    private static func backwardFailure(
        in timeline: Timeline, backward: Int, node: Int, slot: String?, message: String, errorStep: Int
    ) -> Diagnosis {
        let runs = timeline.nodeRuns(of: backward)
        let failing = runs.last { run in
            if case .nodeRun(let record) = timeline.tape[timeline.steps[run].event] { return record.node == node }
            return false
        } ?? errorStep
        var diagnosis = Diagnosis(failingStep: failing, message: message, failedNode: node, failedSlot: slot)
        let nodeName = timeline.node(node)?.name ?? "node \(node)"
        guard let saved = timeline.saves(of: node).last(where: { $0.slot.slot == slot }), let info = timeline.tensor(saved.slot.tensor) else {
            return diagnosis
        }
        let tensor = timeline.label(saved.slot.tensor, at: saved.event)
        let savedAt = timeline.step(atOrBefore: saved.event).map { describe(step: $0, in: timeline) } ?? "set-up"
        diagnosis.chain.append("\(tensor) saved@v\(saved.slot.savedVersion) by \(nodeName).\(saved.slot.slot) at \(savedAt)")
        let writes = timeline.bumps(ofCounter: info.counter, after: saved.event)
        for (offset, write) in writes.enumerated() {
            let site = timeline.step(ofOp: write.bump.op).map { describe(step: $0, in: timeline) } ?? "op \(write.bump.op)"
            diagnosis.chain.append("\(timeline.label(write.bump.tensor, at: write.event)) v\(write.bump.from)→v\(write.bump.to) by \(site)\(offset == 0 ? "  ← culprit" : "")")
        }
        if let first = writes.first, let step = timeline.step(ofOp: first.bump.op) {
            diagnosis.culpritStep = step
            diagnosis.culpritLine = timeline.steps[step].line
        }
        let now = timeline.version(counter: info.counter, at: timeline.steps[failing].event)
        diagnosis.chain.append("backward: \(nodeName) unpacks \(saved.slot.slot) expecting v\(saved.slot.savedVersion), finds v\(now)")
        return diagnosis
    }

    private static func describe(step: Int, in timeline: Timeline) -> String {
        let line = timeline.steps[step].line
        if case .op(let op) = timeline.tape[timeline.steps[step].event] {
            return "op \(op.index) \(op.call) (line \(line))"
        }
        return "step \(step + 1) (line \(line))"
    }
}
