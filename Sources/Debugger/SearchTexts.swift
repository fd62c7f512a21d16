import Tape

/// The texts of the tape that a search matches, interned once: each op's name and call and the
/// tensors it read and wrote, and each node's `grad_fn` name, as ids into `strings`.
///
/// A search over a million events then matches its needle against the few distinct texts and
/// scans integers, instead of decoding every op again and building a text per op (issue 9).
/// Views add their own texts (tensor names, error lines) with `intern`.
public struct SearchTexts: Sendable {
    /// The distinct texts, by id.
    public private(set) var strings: [String] = []
    private var ids: [String: Int32] = [:]
    /// Each op's name (`aten::mul.Tensor`), by op index.
    public private(set) var opNames: [Int32] = []
    /// Each op's call (`torch.mm`, `*`), by op index.
    public private(set) var opCalls: [Int32] = []
    /// Each node's `grad_fn` name, by node id.
    public private(set) var nodeNames: [Int32] = []
    /// The inputs then outputs of every op, back to back; op `i`'s end at `opTensorEnds[i]`.
    private var opTensors: [Int32] = []
    private var opTensorEnds: [Int] = []

    /// Reads every op's name, call and tensors, and every node's name, from the tape's compact
    /// events and the index: names are already interned there, so each distinct one is turned
    /// into a `String` once, and no op or node is decoded again.
    public init(debugger: Debugger) {
        let index = debugger.index
        let tape = index.tape
        opNames.reserveCapacity(index.opCount)
        opCalls.reserveCapacity(index.opCount)
        opTensorEnds.reserveCapacity(index.opCount)
        opTensors.reserveCapacity(index.opCount * 3)
        var fromTape: [Int: Int32] = [:]
        for op in 0..<index.opCount {
            let position = index.position(ofOp: op)
            let summary = tape.summary(at: position)
            opNames.append(intern(tapeString: summary.name, of: tape, cache: &fromTape))
            opCalls.append(intern(tapeString: summary.call, of: tape, cache: &fromTape))
            tape.forEachTensorVersion(ofOpAt: position) { seen, _ in opTensors.append(Int32(truncatingIfNeeded: seen.tensor)) }
            opTensorEnds.append(opTensors.count)
        }
        nodeNames.reserveCapacity(index.nodes.count)
        for node in index.nodes {
            nodeNames.append(intern(tapeString: node.name, of: tape, cache: &fromTape))
        }
    }

    /// The id here of the tape's interned string `id` (the empty text when the event lacks it, as
    /// the full decoder gives), remembered in `cache` so each is looked up once.
    private mutating func intern(tapeString id: Int?, of tape: Tape, cache: inout [Int: Int32]) -> Int32 {
        guard let id else { return intern("") }
        if let known = cache[id] { return known }
        let interned = intern(tape.internedString(id))
        cache[id] = interned
        return interned
    }

    /// The id of `text`, adding it when new.
    public mutating func intern(_ text: String) -> Int32 {
        if let id = ids[text] { return id }
        let id = Int32(truncatingIfNeeded: strings.count)
        strings.append(text)
        ids[text] = id
        return id
    }

    /// The tensors op `index` read, then those it wrote, as the op event lists them.
    public func tensors(ofOp index: Int) -> ArraySlice<Int32> {
        opTensors[(index == 0 ? 0 : opTensorEnds[index - 1])..<opTensorEnds[index]]
    }
}
