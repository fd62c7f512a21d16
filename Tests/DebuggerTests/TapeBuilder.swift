import Tape

/// Records events the way the engine does for a small program, so debugger tests can build
/// tapes by hand: ids handed out in order, versions tracked per counter, sites from line numbers.
final class TapeBuilder {
    private let recorder: TapeRecorder
    private var versions: [Int: Int] = [:]
    private var infos: [Int: TensorInfo] = [:]
    private var nextSequenceNr: UInt64 = 0

    init(source: String, path: String = "program.py") {
        recorder = TapeRecorder(header: TraceHeader(producer: "tests", path: path, source: source))
    }

    var tape: Tape { recorder.tape }

    /// A new tensor with its own counter and storage, or sharing another's (`view`, `data`, `detach`).
    @discardableResult
    func tensor(
        _ name: String? = nil, shape: [Int], dtype: String = "float32", requiresGrad: Bool = false,
        viewOf base: Int? = nil, sharingStorageOf storageSource: Int? = nil, sharingCounterOf counterSource: Int? = nil,
        line: Int = 0
    ) -> Int {
        let id = recorder.newTensorID()
        let counter = (base ?? counterSource).map { infos[$0]!.counter } ?? recorder.newCounterID()
        let storage = (base ?? storageSource ?? counterSource).map { infos[$0]!.storage } ?? recorder.newStorageID()
        let root = base.map { infos[$0]!.base ?? $0 }
        let info = TensorInfo(id: id, counter: counter, storage: storage, shape: shape, dtype: dtype, requiresGrad: requiresGrad, base: root)
        infos[id] = info
        recorder.record(.tensor(info))
        if let name { recorder.record(.binding(Binding(name: name, tensor: id, line: line))) }
        return id
    }

    func version(_ tensor: Int) -> Int { versions[infos[tensor]!.counter] ?? 0 }

    /// A forward op on `line`; the columns span the line's text from `column` for `length` characters.
    @discardableResult
    func op(
        _ name: String, call: String, line: Int, column: Int = 1, length: Int = 0, inputs: [Int], outputs: [Int],
        inPlace: Bool = false, view: Bool = false, gradMode: Bool = true, frame: String? = nil
    ) -> Int {
        let index = recorder.newOpIndex()
        let site = CallSite(line: line, column: column, endColumn: length > 0 ? column + length : 0, frame: frame)
        let inputVersions = inputs.map { TensorVersion(tensor: $0, version: version($0)) }
        let outputVersions = outputs.map { TensorVersion(tensor: $0, version: version($0) + (inPlace && $0 == inputs.first ? 1 : 0)) }
        recorder.record(.op(OpRecord(
            index: index, name: name, call: call, site: site, gradMode: gradMode, inputs: inputVersions,
            outputs: outputVersions, isInPlace: inPlace, isView: view)))
        if inPlace, let target = inputs.first {
            bump(target, op: index)
        }
        return index
    }

    func bump(_ tensor: Int, op: Int) {
        let counter = infos[tensor]!.counter
        let from = versions[counter] ?? 0
        versions[counter] = from + 1
        recorder.record(.bump(VersionBump(counter: counter, tensor: tensor, from: from, to: from + 1, op: op)))
    }

    /// A write by `op` through `tensor` that moved no version counter (a fused optimizer kernel).
    func unbumpedWrite(_ tensor: Int, op: Int) {
        let counter = infos[tensor]!.counter
        let version = versions[counter] ?? 0
        recorder.record(.bump(VersionBump(counter: counter, tensor: tensor, from: version, to: version, op: op)))
    }

    /// A grad_fn node with the next sequence number (AccumulateGrad gets UInt64.max).
    @discardableResult
    func node(_ name: String, op: Int?, next: [Int?], inputNrs: [Int]? = nil) -> Int {
        let id = recorder.newNodeID()
        let edges = next.enumerated().map { i, node in node.map { Edge(node: $0, inputNr: inputNrs?[i] ?? 0) } }
        recorder.record(.node(NodeRecord(id: id, name: name, sequenceNr: nextSequenceNr, op: op, next: edges)))
        nextSequenceNr += 1
        return id
    }

    @discardableResult
    func accumulateGrad(_ leaf: Int) -> Int {
        let id = recorder.newNodeID()
        recorder.record(.node(NodeRecord(
            id: id, name: "torch::autograd::AccumulateGrad", sequenceNr: NodeRecord.accumulateGradSequenceNr,
            op: nil, next: [], variable: leaf)))
        return id
    }

    func gradFn(_ tensor: Int, _ node: Int?, outputNr: Int = 0) {
        recorder.record(.gradFn(GradFnChange(
            tensor: tensor, node: node, outputNr: outputNr, requiresGrad: true, version: version(tensor))))
    }

    func save(_ node: Int, _ slot: String, _ tensor: Int, output: Bool = false, outputNr: Int = 0) {
        recorder.record(.save(SavedSlot(
            node: node, slot: slot, tensor: tensor, savedVersion: version(tensor), isOutput: output,
            outputNr: outputNr, shape: infos[tensor]!.shape)))
    }

    @discardableResult
    func backward(roots: [Int], line: Int, retainGraph: Bool = false) -> Int {
        let id = recorder.newBackwardID()
        recorder.record(.backward(BackwardCall(
            id: id, roots: roots.map { Edge(node: $0, inputNr: 0) }, site: CallSite(line: line), retainGraph: retainGraph)))
        return id
    }

    func error(_ message: String, line: Int, backward: Int? = nil, type: String = "RuntimeError") {
        recorder.record(.error(RaisedError(type: type, message: message, site: CallSite(line: line), backward: backward)))
    }

    func record(_ event: Event) { recorder.record(event) }
}
