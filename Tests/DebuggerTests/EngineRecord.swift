import Tape

/// What the engine that recorded a tape reported about each backward call: the nodes it ran, in
/// order (`run` events), and how the call ended (`bwend`). Read straight from the events, so the
/// replay tests compare the debugger's replay with the recording and not with the debugger's own
/// index of it.
struct EngineRecord {
    private var runs: [Int: [Int]] = [:]
    private var ends: [Int: BackwardEnd] = [:]

    init(tape: Tape) {
        for position in 0..<tape.count {
            switch tape[position] {
            case let .nodeRun(run): runs[run.backward, default: []].append(run.node)
            case let .backwardEnd(end): ends[end.backward] = end
            default: break
            }
        }
    }

    /// The nodes the engine ran in backward call `backward`, in order; empty when the tape has
    /// none (traces from real PyTorch may not).
    func runs(backward: Int) -> [Int] { runs[backward] ?? [] }

    /// How the engine reported backward call `backward` ended, if it did.
    func end(backward: Int) -> BackwardEnd? { ends[backward] }
}
