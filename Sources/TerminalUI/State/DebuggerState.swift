import Tape

/// Everything the debugger screen shows, as a value: `reduce` applies keys to it, `render` draws it.
///
/// Pure: no terminal, no I/O. The ncurses backend only feeds keys in and writes frames out, so the
/// whole UI is tested headlessly.
public struct DebuggerState: Sendable {
    public let timeline: Timeline
    /// The failures on the tape, in order of their failing steps.
    public let diagnoses: [Diagnosis]
    public let keyMap: KeyMap
    public var glyphs: Glyphs
    /// The selected step (a row of the Tape pane).
    public internal(set) var cursor: Int = 0
    public internal(set) var focus: Pane = .tape
    public internal(set) var mode: Mode = .normal
    /// The selected row of each pane that has its own rows; the Console's is its scroll-back.
    public internal(set) var rows: [Pane: Int] = [:]
    /// The last committed search and the steps it matched.
    public internal(set) var search: (query: String, matches: [Int])?
    /// A one-off remark in the status bar ("no more errors"), cleared by the next key.
    public internal(set) var message: String?
    public internal(set) var zoomed = false
    /// The left column's share of the width, in percent.
    public internal(set) var leftPercent = 45
    /// The top band's share of the height, in percent.
    public internal(set) var topPercent = 44
    /// The screen size of the last frame, used to map mouse clicks to panes.
    public internal(set) var screen = (width: 80, height: 24)
    /// Set by `q`; the run loop ends.
    public internal(set) var isFinished = false

    /// A state over `timeline` at its first step; `diagnoses` default to those the tape records.
    public init(timeline: Timeline, diagnoses: [Diagnosis]? = nil, glyphs: Glyphs = .unicode, keyMap: KeyMap = .standard) {
        self.timeline = timeline
        self.diagnoses = (diagnoses ?? Diagnosis.all(in: timeline)).sorted { $0.failingStep < $1.failingStep }
        self.glyphs = glyphs
        self.keyMap = keyMap
    }

    /// A state over `tape`, indexing it first.
    public init(tape: Tape, glyphs: Glyphs = .unicode) {
        self.init(timeline: Timeline(tape: tape), glyphs: glyphs)
    }

    // MARK: Derived

    /// The number of steps.
    public var stepCount: Int { timeline.steps.count }

    /// The selected step, nil on a tape without steps.
    public var step: Step? { timeline.steps.indices.contains(cursor) ? timeline.steps[cursor] : nil }

    /// The tape position the panes describe: the selected step and everything it caused (the node it
    /// created, the tensors it saved, the versions it bumped, the names bound to its results), up to
    /// the next step.
    public var event: Int {
        cursor + 1 < stepCount ? timeline.steps[cursor + 1].event - 1 : timeline.tape.count - 1
    }

    /// The diagnoses whose failure the cursor has reached: their culprits are known and shown.
    public var revealed: [Diagnosis] { diagnoses.filter { $0.failingStep <= cursor } }

    /// The diagnosis whose failure is at the selected step, if any (the banner shows it).
    public var failureHere: Diagnosis? { diagnoses.first { $0.failingStep == cursor } }

    /// The tensors the Tensors pane lists: those the selected step touches, then every named tensor.
    public var listedTensors: [Int] {
        var seen = Set<Int>()
        var result: [Int] = []
        for tensor in stepTensors + timeline.boundTensors(at: event).map(\.tensor) where seen.insert(tensor).inserted {
            result.append(tensor)
        }
        return result
    }

    /// The tensors the selected step reads, writes or unpacks.
    public var stepTensors: [Int] {
        guard let step else { return [] }
        switch timeline.tape[step.event] {
        case .op(let op):
            return op.inputs.map(\.tensor) + op.outputs.map(\.tensor)
        case .nodeRun(let run):
            let saved = timeline.saves(of: run.node).map(\.slot.tensor)
            return saved + (timeline.node(run.node)?.variable.map { [$0] } ?? [])
        default:
            return []
        }
    }

    /// The grad_fn node the Graph pane is rooted at for the selected step.
    public var graphRoot: Int? {
        guard let step else { return nil }
        switch timeline.tape[step.event] {
        case .op(let op):
            return timeline.node(ofOp: op.index) ?? op.outputs.first.flatMap { timeline.gradFn(of: $0.tensor, at: step.event).node }
        case .nodeRun(let run):
            return run.node
        case .backward(let call):
            return call.roots.first?.node
        case .error:
            return failureHere?.failedNode
        default:
            return nil
        }
    }

    /// The selected row in a pane with its own rows, clamped to `count`.
    func row(_ pane: Pane, count: Int) -> Int? {
        guard count > 0 else { return nil }
        if pane == .saved, rows[pane] == nil {
            return count - 1
        }
        return min(max(0, rows[pane] ?? 0), count - 1)
    }
}
