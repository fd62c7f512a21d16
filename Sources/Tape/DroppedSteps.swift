/// What a recording with a step window (`python3 -m tapedeck_torch --keep-steps N`) left out: the
/// header's `dropped` field (trace format 1.1). The trace keeps the last steps, plus the tensors,
/// nodes, saved tensors and errors of the dropped ones that the kept steps still need.
public struct DroppedSteps: Hashable, Sendable {
    /// How many steps (optimizer steps, or backward calls in a program without an optimizer) were dropped.
    public var steps: Int
    /// How many events they held.
    public var events: Int
    /// How many exceptions they raised; their `error` events are kept in the trace.
    public var errors: Int
    /// Each version counter's version at the end of the dropped steps, by counter id, where it is
    /// not 0: the bumps that moved it were dropped with their steps.
    public var versions: [Int: Int]

    public init(steps: Int, events: Int, errors: Int, versions: [Int: Int]) {
        self.steps = steps
        self.events = events
        self.errors = errors
        self.versions = versions
    }
}
