/// Hands out ids and appends events while a program runs.
///
/// The interpreter sets `site` and `call` before it evaluates each expression; the engine reads
/// them when it records an op, so every op carries the source span and Python spelling that issued it.
public final class TapeRecorder {
    public private(set) var tape: Tape
    /// Where the statement or expression being evaluated is.
    public var site: CallSite = .unknown
    /// The Python-level spelling of the call being evaluated (`+=`, `Tensor.add_`, `nn.ReLU`), if known.
    public var call: String?

    private var nextTensor = 0
    private var nextCounter = 0
    private var nextStorage = 0
    private var nextNode = 0
    private var nextOp = 0
    private var nextBackward = 0

    public init(header: TraceHeader) {
        tape = Tape(header: header)
    }

    public func record(_ event: Event) {
        tape.append(event)
    }

    public func newTensorID() -> Int { defer { nextTensor += 1 }; return nextTensor }
    public func newCounterID() -> Int { defer { nextCounter += 1 }; return nextCounter }
    public func newStorageID() -> Int { defer { nextStorage += 1 }; return nextStorage }
    public func newNodeID() -> Int { defer { nextNode += 1 }; return nextNode }
    public func newOpIndex() -> Int { defer { nextOp += 1 }; return nextOp }
    public func newBackwardID() -> Int { defer { nextBackward += 1 }; return nextBackward }
}
