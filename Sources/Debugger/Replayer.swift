import Tape
import TorchRules

/// Replays backward calls and checks saved variables from the tape alone, the way
/// `SavedVariable::unpack` does in PyTorch: freed data first, then the version counter.
struct Replayer: Sendable {
    let indexReference: IndexReference
    var index: TapeIndex { indexReference.index }

    init(index: IndexReference) {
        indexReference = index
    }

    /// Replays every backward call in order; a call frees the saved variables of the nodes it ran
    /// unless it retained the graph, which later calls then find freed. `freedBy` is indexed by
    /// node id: the call that freed each node's saved variables, nil while they live.
    func replayAll() -> (replays: [BackwardReplay], freedBy: [Int?]) {
        var freedBy = [Int?](repeating: nil, count: index.nodes.count)
        var simulation = BackwardSimulation(nodeCount: index.graph.count)
        var replays: [BackwardReplay] = []
        replays.reserveCapacity(index.backwardCalls.count)
        for (position, call) in zip(index.backwardEvents, index.backwardCalls) {
            replays.append(replay(call, at: position, freedBy: &freedBy, simulation: &simulation))
        }
        return (replays, freedBy)
    }

    /// Replays one call from the saved state before `position`, recording the nodes it frees.
    /// A node's saved variables are only checked here; their values are built for the failing
    /// node alone (`ReplaySteps` derives the fresh ones of the others when asked).
    private func replay(
        _ call: BackwardCall, at position: Int, freedBy: inout [Int?], simulation: inout BackwardSimulation
    ) -> BackwardReplay {
        if let message = rejection(of: call) {
            let steps = ReplaySteps(index: indexReference, nodes: [], failingSaved: nil)
            return BackwardReplay(call: call, event: position, steps: steps, outcome: .rejected(message: message))
        }
        simulation.start(roots: call.roots, graph: index.graph)
        var nodes: [Int] = []
        while let node = simulation.next() {
            nodes.append(node)
            if let saved = failingSaves(of: node, at: position, freedBy: freedBy),
               let bad = saved.first(where: { $0.status != .fresh }) {
                let anomaly = anomalyDetection(in: call)
                let failure = UnpackFailure(node: bad.node, saved: bad, message: message(for: bad, at: position, anomalyDetection: anomaly))
                let steps = ReplaySteps(index: indexReference, nodes: nodes, failingSaved: saved)
                return BackwardReplay(call: call, event: position, steps: steps, outcome: .failed(failure))
            }
            if !call.retainGraph {
                // Frees the saved variables the node unpacked: its own and those of the node it wraps.
                _ = index.forEachUnpackedSave(of: node) { freedBy[$0.node] = call.id; return true }
            }
            simulation.finish(node, graph: index.graph)
        }
        return BackwardReplay(call: call, event: position, steps: ReplaySteps(index: indexReference, nodes: nodes, failingSaved: nil), outcome: .completed)
    }

    /// The saved variables `node` unpacks before `position` (its own, then those of the node
    /// it wraps), built only when one of them is not fresh (freed, or its counter moved past the
    /// saved version); nil when all are.
    private func failingSaves(of node: Int, at position: Int, freedBy: [Int?]) -> [SavedValue]? {
        let allFresh = index.forEachUnpackedSave(of: node) { save in
            freedBy[save.node] == nil && index.version(of: save.tensor, before: position) == save.savedVersion
        }
        if allFresh { return nil }
        return index.unpackedSaves(of: node).map { savedValue($0, at: position, freedBy: freedBy[$0.node]) }
    }

    /// A saved slot as unpacking would see it before `position`, where `freedBy` is the backward
    /// call that freed its node's saved variables before `position`, if one did.
    func savedValue(_ save: TapeIndex.Save, at position: Int, freedBy: Int?) -> SavedValue {
        let current = index.version(of: save.tensor, before: position)
        let status: SavedValue.Status
        if let backward = freedBy {
            status = .freed(byBackward: backward)
        } else if current != save.savedVersion {
            status = .stale
        } else {
            status = .fresh
        }
        return SavedValue(
            node: save.node, slot: index.slotName(of: save), tensor: save.tensor, savedVersion: save.savedVersion,
            currentVersion: current, isOutput: save.isOutput, outputNr: save.outputNr, status: status,
            event: save.event)
    }

    /// The error unpacking `saved` raises before `position`.
    func message(for saved: SavedValue, at position: Int, anomalyDetection: Bool = false) -> String {
        if case .freed = saved.status { return AutogradMessage.backwardTwice }
        let keepsOriginal = keepsOriginal(saved)
        return AutogradMessage.versionMismatch(
            dtype: index.dtype(of: saved.tensor),
            sizes: keepsOriginal ? index.shape(of: saved.tensor, before: position) : shapeAtSave(saved),
            gradFn: gradFnClause(for: saved, keepsOriginal: keepsOriginal, at: position),
            current: saved.currentVersion, saved: saved.savedVersion, anomalyDetection: anomalyDetection)
    }

    /// Whether anomaly detection was on during `call`. The tape has no event for the mode itself;
    /// the hint of the message the call raised, if it raised one, tells.
    private func anomalyDetection(in call: BackwardCall) -> Bool {
        let raised = index.firstErrorByBackward[call.id]?.message ?? index.backwardEnds[call.id]?.end.message
        return raised?.hasSuffix(AutogradMessage.anomalyOnHint) ?? false
    }

    /// Whether the SavedVariable holds the tensor object itself (`saved_original_`): inputs, and
    /// outputs that were leaves when saved (non-differentiable outputs such as `max` indices).
    private func keepsOriginal(_ saved: SavedValue) -> Bool {
        guard saved.isOutput else { return true }
        let history = index.gradFns[saved.tensor]
        let hadGradFn = history.value(before: saved.event)?.node != nil || history.values.contains { $0.node == saved.node }
        return !hadGradFn
    }

    private func shapeAtSave(_ saved: SavedValue) -> [Int] {
        index.shapeAtSave(event: saved.event)
    }

    /// The `, which is output N of OP,` clause: the current grad_fn of a kept original (N = 0),
    /// nothing when it has none and was a leaf at save time; the saving node (or, for an in-place
    /// op on a view, the view's grad_fn while it lives) with the real output number for outputs.
    private func gradFnClause(for saved: SavedValue, keepsOriginal: Bool, at position: Int) -> (name: String, outputNr: Int)? {
        let saving = index.name(ofNode: saved.node)
        if keepsOriginal {
            if let name = currentGradFnName(of: saved.tensor, at: position) { return (name, 0) }
            let leafAtSave = index.gradFns[saved.tensor].value(before: saved.event)?.node == nil
            return leafAtSave ? nil : (saving, 0)
        }
        if isInPlaceOnView(saved),
           let change = index.gradFns[saved.tensor].value(before: position),
           let node = change.node, change.version == saved.savedVersion {
            return (index.name(ofNode: node), saved.outputNr)
        }
        return (saving, saved.outputNr)
    }

    private func isInPlaceOnView(_ saved: SavedValue) -> Bool {
        guard index.tensors[saved.tensor].base != nil, let op = index.nodes[saved.node].op else { return false }
        return index.op(op).isInPlace
    }

    /// `tensor.grad_fn` as PyTorch would read it before `position`: a differentiable view whose
    /// counter moved since its grad_fn was set gets it rebuilt as `AsStridedBackward0`.
    func currentGradFnName(of tensor: Int, at position: Int) -> String? {
        let change = index.gradFns[tensor].value(before: position)
        let info = index.tensors[tensor]
        if let base = info.base, change?.requiresGrad ?? info.requiresGrad,
           change?.node != nil || requiresGrad(base, at: position),
           change?.version != index.version(of: tensor, before: position) {
            return "AsStridedBackward0"
        }
        return change?.node.map { index.name(ofNode: $0) }
    }

    func requiresGrad(_ tensor: Int, at position: Int) -> Bool {
        index.gradFns[tensor].value(before: position)?.requiresGrad ?? index.tensors[tensor].requiresGrad
    }

    /// The message of an error that stopped `call` before any node ran, if the tape records one.
    private func rejection(of call: BackwardCall) -> String? {
        if let raised = index.firstErrorByBackward[call.id],
           !(Diagnosis.Kind(classifying: raised)?.isUnpackError ?? false) {
            return raised.message
        }
        if let end = index.backwardEnds[call.id]?.end, end.failedNode == nil, let message = end.message {
            return message
        }
        return nil
    }
}
