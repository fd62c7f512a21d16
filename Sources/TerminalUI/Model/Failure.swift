import Debugger

/// A diagnosis placed on the Tape pane: the step where the replay stops for it and the step of its culprit.
public struct Failure: Hashable, Sendable {
    public var diagnosis: Diagnosis
    /// The failing node of a replayed backward call, the raising op's error row, or (for a
    /// warning) the backward call that used the corrupted value.
    public var step: Int
    /// The culprit's step: the in-place op, or the earlier backward call that freed the graph.
    public var culpritStep: Int?

    /// The diagnoses of `debugger` placed on `index`'s steps, in step order.
    public static func all(_ diagnoses: [Diagnosis], debugger: Debugger, index: StepIndex) -> [Failure] {
        diagnoses.compactMap { diagnosis in
            guard let step = failingStep(of: diagnosis, debugger: debugger, index: index) else { return nil }
            let culprit = diagnosis.culprit?.op.flatMap { index.step(ofOp: $0) }
                ?? diagnosis.culprit?.backward.flatMap { index.step(ofBackward: $0) }
            return Failure(diagnosis: diagnosis, step: step, culpritStep: culprit)
        }.sorted { $0.step < $1.step }
    }

    private static func failingStep(of diagnosis: Diagnosis, debugger: Debugger, index: StepIndex) -> Int? {
        if diagnosis.kind.isUnpackError, let backward = diagnosis.backward, let call = index.step(ofBackward: backward),
           backward < debugger.replays.count, let node = diagnosis.node?.id {
            let nodes = debugger.replays[backward].steps
            if let last = nodes.lastIndex(where: { $0.node == node }) {
                return call + 1 + last
            }
        }
        if let error = index.steps.firstIndex(where: { $0.kind == .error && $0.event == diagnosis.event }) {
            return error
        }
        if let backward = diagnosis.backward, let call = index.step(ofBackward: backward) {
            return call
        }
        return index.steps.lastIndex { $0.event <= diagnosis.event }
    }

    /// The culprit's source line in the traced program, when known.
    public var culpritLine: Int? {
        guard let site = diagnosis.culprit?.site, site.file == nil, site.line > 0 else { return nil }
        return site.line
    }

    /// `RuntimeError: one of the variables needed…`, or `warning: …` for a warning.
    public var headline: String {
        diagnosis.errorType.map { "\($0): \(diagnosis.message)" } ?? "warning: \(diagnosis.message)"
    }
}
