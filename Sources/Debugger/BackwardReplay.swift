import Tape

/// One `backward()` call replayed from the tape alone, in PyTorch's engine order.
public struct BackwardReplay: Hashable, Sendable {
    /// How the call ended.
    public enum Outcome: Hashable, Sendable {
        /// Every reachable node ran.
        case completed
        /// A node's saved variable could not be unpacked; that node is the last step.
        case failed(UnpackFailure)
        /// The call raised before running any node (`grad can be implicitly created only for
        /// scalar outputs`, ...), with that message.
        case rejected(message: String)
    }

    public var call: BackwardCall
    /// The position of the `backward` event.
    public var event: Int
    /// The nodes in the order the engine runs them, each with its saved variables as unpacked.
    public var steps: ReplaySteps
    public var outcome: Outcome

    init(call: BackwardCall, event: Int, steps: ReplaySteps, outcome: Outcome) {
        self.call = call
        self.event = event
        self.steps = steps
        self.outcome = outcome
    }

    /// The unpack failure that stopped the call, if any.
    public var failure: UnpackFailure? {
        if case let .failed(failure) = outcome { return failure }
        return nil
    }
}

/// A node the engine runs during a replayed backward call: its id, with its name and saved
/// variables read from the index when asked (see `ReplaySteps`).
public struct ReplayStep: Hashable, Sendable {
    let indexReference: IndexReference
    public let node: Int
    /// The saved variables as unpacked, when one of them was not fresh (a failing step).
    let unpacked: [SavedValue]?

    init(index: IndexReference, node: Int, unpacked: [SavedValue]?) {
        indexReference = index
        self.node = node
        self.unpacked = unpacked
    }

    /// `grad_fn.name()`.
    public var name: String { indexReference.index.name(ofNode: node) }

    public var sequenceNr: UInt64 { indexReference.index.graph.sequenceNrs[node] }

    /// Its saved variables in unpack order, as seen when it runs (for `CopySlices`, those of the
    /// node it wraps). A step without stored values unpacked them all fresh.
    public var saved: [SavedValue] {
        if let unpacked { return unpacked }
        let index = indexReference.index
        return index.unpackedSaves(of: node).map { SavedValue(fresh: $0, slot: index.slotName(of: $0)) }
    }

    public static func == (lhs: ReplayStep, rhs: ReplayStep) -> Bool {
        lhs.node == rhs.node && lhs.name == rhs.name && lhs.sequenceNr == rhs.sequenceNr && lhs.saved == rhs.saved
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(node)
        hasher.combine(name)
        hasher.combine(sequenceNr)
        hasher.combine(saved)
    }
}

/// The first saved variable of the first executed node that could not be unpacked.
public struct UnpackFailure: Hashable, Sendable {
    /// The node that owns the failing saved variable: the running node, or the node a running
    /// `CopySlices` wraps.
    public var node: Int
    /// The failing slot: stale (version error) or freed (backward twice).
    public var saved: SavedValue
    /// The error PyTorch raises, rebuilt from the tape.
    public var message: String

    public init(node: Int, saved: SavedValue, message: String) {
        self.node = node
        self.saved = saved
        self.message = message
    }
}
