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
    public var steps: [ReplayStep]
    public var outcome: Outcome

    public init(call: BackwardCall, event: Int, steps: [ReplayStep], outcome: Outcome) {
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

/// A node the engine runs during a replayed backward call.
public struct ReplayStep: Hashable, Sendable {
    public var node: Int
    /// `grad_fn.name()`.
    public var name: String
    public var sequenceNr: UInt64
    /// Its saved variables in unpack order, as seen when it runs (for `CopySlices`, those of the
    /// node it wraps).
    public var saved: [SavedValue]

    public init(node: Int, name: String, sequenceNr: UInt64, saved: [SavedValue]) {
        self.node = node
        self.name = name
        self.sequenceNr = sequenceNr
        self.saved = saved
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
