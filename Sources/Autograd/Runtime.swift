import Tape

/// The state one program run shares: grad mode, the sequence-number counter, the random
/// generator, and the tape recorder every tensor, op, node and backward call reports to.
///
/// Create one per run and pass it to the factories; every tensor keeps a reference to it.
public final class Runtime {
    /// Where events go. The interpreter sets its `site` and `call` before each expression.
    public let recorder: TapeRecorder
    /// Whether `torch.autograd.set_detect_anomaly(True)` is on; it changes the version-error hint.
    public var isAnomalyDetectionEnabled = false
    /// `set_detect_anomaly(True, check_nan=)`: with anomaly detection on, a node whose gradient
    /// contains NaN raises "Function 'X' returned nan values in its Nth output.".
    public var anomalyChecksNaN = true

    var gradModes = GradModeStack()
    var generator = MersenneTwister()
    /// The second Box-Muller sample, kept for the next scalar normal draw (as the CPU generator does).
    var cachedNormal: Double?
    private var nextSequenceNr: UInt64 = 0
    private var openOps: [OpRecording] = []

    public init(recorder: TapeRecorder) {
        self.recorder = recorder
    }

    /// A runtime with a recorder of its own, for uses that do not need the tape.
    public convenience init() {
        self.init(recorder: TapeRecorder(header: TraceHeader(producer: "tapedeck", path: "", source: "")))
    }

    // MARK: Grad mode

    /// `torch.is_grad_enabled()`.
    public var isGradEnabled: Bool { gradModes.isEnabled }

    /// Enters `torch.no_grad()` (false) or `torch.enable_grad()` (true) until the matching `popGradMode()`.
    public func pushGradMode(_ enabled: Bool) { gradModes.push(enabled) }

    /// Leaves the innermost grad-mode block.
    public func popGradMode() { gradModes.pop() }

    /// Runs `body` with grad mode set to `enabled`, restoring the previous mode afterwards.
    @discardableResult
    public func withGradMode<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
        pushGradMode(enabled)
        defer { popGradMode() }
        return try body()
    }

    // MARK: Random numbers

    /// `torch.manual_seed(seed)`.
    public func manualSeed(_ seed: UInt64) {
        generator = MersenneTwister(seed: seed)
        cachedNormal = nil
    }

    // MARK: Autograd bookkeeping

    /// The next `sequence_nr`; later nodes get larger numbers (NOTE [ Sequence Number ]).
    func takeSequenceNr() -> UInt64 {
        defer { nextSequenceNr += 1 }
        return nextSequenceNr
    }

    // MARK: Recording

    /// Runs one forward op and records it, with its nodes, saves and bumps, once it has succeeded.
    ///
    /// Inputs are announced first, so a tensor first seen here shows its values before the op.
    /// `body` returns the op's result and the tensors to list as outputs. Nothing is recorded
    /// when it throws, matching PyTorch where a failing op leaves no trace.
    func recordOp<T>(
        _ name: String, inputs: [Tensor], inPlace: Bool = false, view: Bool = false,
        _ body: () throws -> (T, [Tensor])
    ) rethrows -> T {
        for input in inputs { _ = tapeID(of: input) }
        let recording = OpRecording(name: name, inputs: inputs.map { ($0, $0.version) }, gradMode: isGradEnabled)
        openOps.append(recording)
        let result: T
        let outputs: [Tensor]
        do {
            (result, outputs) = try body()
        } catch {
            openOps.removeLast()
            throw error
        }
        openOps.removeLast()
        finish(recording, outputs: outputs, inPlace: inPlace, view: view)
        return result
    }

    /// Notes a node created now; it is recorded with its op, or at once outside any op.
    func noteNode(_ node: Node, fromOp: Bool) {
        if let open = openOps.last {
            open.nodes.append((node, fromOp))
        } else {
            _ = tapeID(of: node)
        }
    }

    /// Notes that `tensor`'s grad_fn was set or replaced just now.
    func noteGradFn(_ tensor: Tensor) {
        let change = PendingGradFn(tensor: tensor, node: tensor.gradFnStorage, outputNr: tensor.outputNr,
                                   requiresGrad: tensor.requiresGrad, version: tensor.version)
        if let open = openOps.last {
            open.gradFnChanges.append(change)
        } else {
            record(change)
        }
    }

    /// Notes that `node` saved `saved`.
    func noteSave(_ saved: SavedVariable, in node: Node) {
        if let open = openOps.last {
            open.saves.append((node, saved))
        } else {
            record(saved, in: node)
        }
    }

    /// Notes a version bump made through `tensor` by the op being recorded.
    func noteBump(_ tensor: Tensor, from: Int, to: Int) {
        openOps.last?.bumps.append((tensor, from, to))
    }

    private func finish(_ op: OpRecording, outputs: [Tensor], inPlace: Bool, view: Bool) {
        let index = recorder.newOpIndex()
        let inputs = op.inputs.map { TensorVersion(tensor: tapeID(of: $0.0), version: $0.1) }
        let outs = outputs.map { TensorVersion(tensor: tapeID(of: $0), version: $0.version) }
        let call = recorder.call ?? Runtime.defaultCall(for: op.name)
        recorder.record(.op(OpRecord(index: index, name: op.name, call: call, site: recorder.site, gradMode: op.gradMode,
                                     inputs: inputs, outputs: outs, isInPlace: inPlace, isView: view)))
        for (node, fromOp) in op.nodes where fromOp { node.opIndex = index }
        for (node, _) in op.nodes { _ = tapeID(of: node) }
        for change in op.gradFnChanges { record(change) }
        for (node, saved) in op.saves { record(saved, in: node) }
        for (tensor, from, to) in op.bumps {
            recorder.record(.bump(VersionBump(counter: tapeID(of: tensor.counter), tensor: tapeID(of: tensor),
                                              from: from, to: to, op: index)))
        }
        if inPlace {
            for tensor in outputs { recorder.record(.values(preview(of: tensor))) }
        }
    }

    /// `aten::mul.Tensor` → `torch.mul`, the spelling used when the interpreter gave none.
    static func defaultCall(for name: String) -> String {
        var base = name.hasPrefix("aten::") ? String(name.dropFirst(6)) : name
        if let dot = base.firstIndex(of: ".") { base = String(base[..<dot]) }
        return "torch." + base
    }

    private func record(_ change: PendingGradFn) {
        recorder.record(.gradFn(GradFnChange(tensor: tapeID(of: change.tensor), node: change.node.map(tapeID(of:)),
                                             outputNr: change.outputNr, requiresGrad: change.requiresGrad,
                                             version: change.version)))
    }

    private func record(_ saved: SavedVariable, in node: Node) {
        guard let tensor = saved.recordedTensor else { return }
        recorder.record(.save(SavedSlot(node: tapeID(of: node), slot: saved.slot, tensor: tapeID(of: tensor),
                                        savedVersion: saved.savedVersion, isOutput: saved.isOutput,
                                        outputNr: saved.outputNr, shape: saved.shapeAtSave)))
    }

    // MARK: Tape ids

    /// The tensor's tape id, announcing it with a `.tensor` event the first time; the
    /// interpreter uses it for `.binding` events.
    public func tapeID(of tensor: Tensor) -> Int {
        if let id = tensor.tapeID { return id }
        let base = tensor.viewBase.map(tapeID(of:))
        let id = recorder.newTensorID()
        tensor.tapeID = id
        recorder.record(.tensor(TensorInfo(
            id: id, counter: tapeID(of: tensor.counter), storage: tapeID(of: tensor.storage), shape: tensor.shape,
            dtype: tensor.dtype.rawValue, requiresGrad: tensor.requiresGrad, base: base,
            isParameter: tensor.isParameter, values: Array(tensor.contiguousValues().prefix(TensorValues.previewLimit)))))
        return id
    }

    /// The node's tape id, announcing it (after the nodes it points to) the first time.
    public func tapeID(of node: Node) -> Int {
        if let id = node.tapeID { return id }
        let next = node.nextEdges.map { edge in edge.map { Edge(node: tapeID(of: $0.node), inputNr: $0.inputNr) } }
        let variable = node.variable.map(tapeID(of:))
        let id = recorder.newNodeID()
        node.tapeID = id
        recorder.record(.node(NodeRecord(id: id, name: node.name, sequenceNr: node.sequenceNr, op: node.opIndex,
                                         next: next, variable: variable)))
        return id
    }

    func tapeID(of storage: Storage) -> Int {
        if let id = storage.tapeID { return id }
        let id = recorder.newStorageID()
        storage.tapeID = id
        return id
    }

    func tapeID(of counter: VersionCounter) -> Int {
        if let id = counter.tapeID { return id }
        let id = recorder.newCounterID()
        counter.tapeID = id
        return id
    }

    /// A bounded preview of a tensor's values for `.values` and gradient events.
    func preview(of tensor: Tensor) -> TensorValues {
        TensorValues(tensor: tapeID(of: tensor), shape: tensor.shape,
                     values: Array(tensor.contiguousValues().prefix(TensorValues.previewLimit)))
    }
}

/// What one op did, held until the op succeeds so it can be recorded in one piece.
final class OpRecording {
    let name: String
    let inputs: [(Tensor, Int)]
    let gradMode: Bool
    var nodes: [(Node, Bool)] = []
    var gradFnChanges: [PendingGradFn] = []
    var saves: [(Node, SavedVariable)] = []
    var bumps: [(Tensor, Int, Int)] = []

    init(name: String, inputs: [(Tensor, Int)], gradMode: Bool) {
        self.name = name
        self.inputs = inputs
        self.gradMode = gradMode
    }
}

/// A grad_fn change captured when it happened, recorded when its op finishes.
struct PendingGradFn {
    let tensor: Tensor
    let node: Node?
    let outputNr: Int
    let requiresGrad: Bool
    let version: Int
}
