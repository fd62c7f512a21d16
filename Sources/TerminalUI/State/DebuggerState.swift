import Debugger
import Tape

/// Everything the debugger screen shows, as a value: `reduce` applies keys to it, `render` draws it.
///
/// Pure: no terminal, no I/O. The ncurses backend only feeds keys in and writes frames out, so the
/// whole UI is tested headlessly.
public struct DebuggerState: Sendable {
    public let debugger: Debugger
    public let index: StepIndex
    /// What `/` matches, built on the first search (see `searchTable`).
    private let searchCache = LazySearchTable()
    /// The Tape pane's rows already drawn (see `TapeRowCache`).
    let tapeRows = TapeRowCache()
    /// The diagnoses of the run placed on their failing steps, in step order.
    public let failures: [Failure]
    /// Clean, autograd errors or incomplete: the status bar says when the run stopped early, and
    /// `q` exits with its status.
    public let verdict: Verdict
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
    /// The failures (indexes into `failures`) the cursor has reached at least once: their culprits
    /// are known from then on, even after stepping back to the culprit.
    public internal(set) var reached: Set<Int> = []
    /// Set by `q`; the run loop ends.
    public internal(set) var isFinished = false
    /// The events read so far while the rest of the trace loads in the background; nil once the
    /// state covers the whole tape (see `DebuggerState+Loading`).
    public internal(set) var loading: Int?

    /// A state over `debugger` at its first step, showing the diagnoses of `debugger.explain()`.
    /// `loading`: the debugger holds the first events of a trace whose rest is still loading.
    public init(debugger: Debugger, glyphs: Glyphs = .unicode, keyMap: KeyMap = .standard, loading: Int? = nil) {
        self.debugger = debugger
        self.loading = loading
        index = StepIndex(debugger: debugger)
        let report = debugger.explain()
        failures = Failure.all(report.diagnoses, debugger: debugger, index: index)
        verdict = report.verdict
        self.glyphs = glyphs
        self.keyMap = keyMap
        reach()
    }

    // MARK: Derived

    public var tape: Tape { debugger.tape }

    /// What `/` matches, per step, so that a search only scans integers: built by the first
    /// search (all copies of this state share it), not with the steps.
    public var searchTable: StepSearch {
        searchCache.table { StepSearch(debugger: debugger, index: index) }
    }

    /// The number of steps.
    public var stepCount: Int { index.steps.count }

    /// The selected step, nil on a tape without steps.
    public var step: Step? { index.steps.indices.contains(cursor) ? index.steps[cursor] : nil }

    /// The debugger position the panes describe (see `StepIndex.positions`).
    public var position: Int { step != nil ? index.positions[cursor] : debugger.eventCount }

    /// Where the Console's output stops: at the next step, so that what the program prints after
    /// its last `backward()` shows at that call's last node.
    public var outputEnd: Int {
        cursor + 1 < stepCount ? max(position, index.steps[cursor + 1].event) : debugger.eventCount
    }

    /// The failures the cursor has reached: their culprits are known and shown.
    public var revealed: [Failure] { reached.sorted().map { failures[$0] } }

    /// Marks the failures at or before the cursor as reached.
    mutating func reach() {
        for (index, failure) in failures.enumerated() where failure.step <= cursor {
            reached.insert(index)
        }
    }

    /// The failure at the selected step, if any (the banner shows it).
    public var failureHere: Failure? { failures.first { $0.step == cursor } }

    /// The replayed node at the selected step, if it is one.
    public var replayStep: ReplayStep? {
        guard let step, case .node(let node) = step.kind, let backward = step.backward else { return nil }
        return debugger.replays[backward].steps[node]
    }

    /// The steps of backward call `backward`'s nodes, in the engine's order.
    public func nodeSteps(of backward: Int) -> Range<Int> {
        guard let call = index.step(ofBackward: backward) else { return 0..<0 }
        return (call + 1)..<(call + 1 + debugger.replays[backward].steps.count)
    }

    /// `t3`, or `t3 x` when the program had named the tensor (or assigned it to `x`) before `position`.
    public func label(_ tensor: Int, at position: Int) -> String {
        let name = debugger.label(of: tensor, at: position)
        return name == "t\(tensor)" ? name : "t\(tensor) \(Sanitizer.line(name))"
    }

    /// The rows of the Tensors pane: the step's tensors, then every other tensor alive, newest first.
    public var listedTensors: TensorList {
        // Tensors are announced just before the op that makes them, so an op step counts those up
        // to its own event: the next op's outputs are not alive yet.
        let end = step.map { $0.kind == .op ? $0.event + 1 : position } ?? position
        return TensorList(stepTensors: stepTensors, announced: debugger.tensorCount(at: end))
    }

    /// The tensors the selected step reads, writes or unpacks.
    public var stepTensors: [Int] {
        guard let step else { return [] }
        if let node = replayStep {
            return node.saved.map(\.tensor) + (debugger.node(node.node).variable.map { [$0] } ?? [])
        }
        if case .op(let op) = tape[step.event] {
            return op.inputs.map(\.tensor) + op.outputs.map(\.tensor)
        }
        return []
    }

    /// The grad_fn node the Graph pane is rooted at for the selected step.
    public var graphRoot: Int? {
        guard let step else { return nil }
        if let node = replayStep {
            return node.node
        }
        switch tape[step.event] {
        case .op(let op):
            return debugger.firstNode(ofOp: op.index) ?? op.outputs.first.flatMap { debugger.tensor($0.tensor, at: position).gradFn }
        case .backward(let call):
            return call.roots.first?.node
        case .error:
            return failureHere?.diagnosis.node?.id
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
