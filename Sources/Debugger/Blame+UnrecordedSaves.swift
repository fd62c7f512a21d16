import Tape
import TorchRules

extension Blame {
    /// The saved variable behind a version error raised by a node the tape has no `save` event of.
    ///
    /// A recorder cannot always read a node's saved variables: most `_foreach_*` nodes
    /// (`ForeachMulBackward0List`, `ForeachExpBackward0`) have no Python bindings, so the recorder
    /// writes the node and its edges but none of its saves. When the backward call's end names such
    /// a node as the one that failed, the saved tensor must be an input or an output of the op that
    /// created it. Each is tried as the saved variable (inputs at their version when the op started,
    /// outputs at theirs after it) and kept when PyTorch's message, rebuilt for it, is the raised
    /// message byte for byte: the test `unpackFailure` applies to saves read outside backward. Nil
    /// unless the matches share one version counter, so an ambiguous message names nothing.
    ///
    /// The returned saved value's slot is `?`: the slot is not known, only the tensor.
    func unrecordedSaveFailure(of error: RaisedError) -> (failure: UnpackFailure, position: Int, call: BackwardCall?)? {
        guard let backward = error.backward, let end = index.backwardEnds[backward]?.end,
              let node = end.failedNode, !index.hasSaves(node), index.wrapped[node] == nil,
              let op = index.nodes[node].op else { return nil }
        let replay = replays[backward]
        let position = replay.event
        let record = index.op(op)
        let opEvent = index.position(ofOp: op)
        let anomalyDetection = error.message.hasSuffix(AutogradMessage.anomalyOnHint)
        var matches: [SavedValue] = []
        for input in record.inputs {
            let saved = staleCandidate(node: node, tensor: input, isOutput: false, outputNr: 0, event: opEvent, at: position)
            if let saved, replayer.message(for: saved, at: position, anomalyDetection: anomalyDetection) == error.message {
                matches.append(saved)
            }
        }
        for output in record.outputs {
            let outputNr = index.gradFns[output.tensor].values.first { $0.node == node }?.outputNr
            guard let outputNr,
                  let saved = staleCandidate(node: node, tensor: output, isOutput: true, outputNr: outputNr, event: opEvent, at: position)
            else { continue }
            let message = AutogradMessage.versionMismatch(
                dtype: index.dtype(of: output.tensor), sizes: index.shape(of: output.tensor, before: opEvent + 1),
                gradFn: (index.name(ofNode: node), outputNr), current: saved.currentVersion, saved: saved.savedVersion,
                anomalyDetection: anomalyDetection)
            if message == error.message { matches.append(saved) }
        }
        guard let first = matches.first,
              matches.allSatisfy({ index.counter(of: $0.tensor) == index.counter(of: first.tensor) }) else { return nil }
        return (UnpackFailure(node: node, saved: first, message: error.message), position, replay.call)
    }

    /// `tensor` as if `node` had saved it at `version`, seen from `position`; nil when its counter
    /// still reads that version (unpacking it would succeed).
    private func staleCandidate(
        node: Int, tensor: TensorVersion, isOutput: Bool, outputNr: Int, event: Int, at position: Int
    ) -> SavedValue? {
        let current = index.version(of: tensor.tensor, before: position)
        guard current != tensor.version else { return nil }
        return SavedValue(
            node: node, slot: "?", tensor: tensor.tensor, savedVersion: tensor.version, currentVersion: current,
            isOutput: isOutput, outputNr: outputNr, status: .stale, event: event)
    }
}
