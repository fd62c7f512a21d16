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

    /// Decodes every op of `debugger`'s tape once and interns its texts.
    public init(debugger: Debugger) {
        opNames.reserveCapacity(debugger.opCount)
        opCalls.reserveCapacity(debugger.opCount)
        opTensorEnds.reserveCapacity(debugger.opCount)
        opTensors.reserveCapacity(debugger.opCount * 3)
        for index in 0..<debugger.opCount {
            let op = debugger.op(index)
            opNames.append(intern(op.name))
            opCalls.append(intern(op.call))
            for seen in op.inputs { opTensors.append(Int32(truncatingIfNeeded: seen.tensor)) }
            for seen in op.outputs { opTensors.append(Int32(truncatingIfNeeded: seen.tensor)) }
            opTensorEnds.append(opTensors.count)
        }
        nodeNames = (0..<debugger.nodeCount).map { intern(debugger.node($0).name) }
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
