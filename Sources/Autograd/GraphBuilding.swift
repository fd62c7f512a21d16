extension Runtime {
    /// Whether an op on `inputs` records a node: grad mode is on and some input requires grad.
    func needsNode(_ inputs: [Tensor?]) -> Bool {
        isGradEnabled && inputs.contains { $0?.requiresGrad == true }
    }

    /// Reading the grad_fn of each input, as collecting next edges does: raises for a no_grad or
    /// multi-output view whose base changed (only when a node will be built).
    func checkHistory(of inputs: [Tensor]) throws {
        guard needsNode(inputs) else { return }
        for input in inputs { try input.checkViewHistory() }
    }

    /// Creates a node whose next edges are the gradient edges of `inputs` (nil for non-tensor
    /// operands), taking the next sequence number, and notes it for the tape.
    func makeNode(_ name: String, inputs: [Tensor?], outputs: [Tensor], fromOp: Bool = true,
                  formula: @escaping BackwardFormula) -> Node {
        let sequenceNr = takeSequenceNr()
        let node = Node(name: name, sequenceNr: sequenceNr, nextEdges: inputs.map { $0?.gradientEdge() },
                        inputMetadata: outputs.map { TensorMetadata(shape: $0.shape, dtype: $0.dtype) },
                        formula: formula)
        noteNode(node, fromOp: fromOp)
        return node
    }
}

extension Node {
    /// Declares the next saved slot (in `Functions.h` order); nil records a slot left unsaved.
    func save(_ slot: String, _ tensor: Tensor?, isOutput: Bool = false, isInPlaceOnView: Bool = false, runtime: Runtime) {
        guard let tensor else {
            savedVariables.append(SavedVariable(unsavedSlot: slot))
            return
        }
        let saved = SavedVariable(slot: slot, tensor: tensor, isOutput: isOutput, isInPlaceOnView: isInPlaceOnView)
        savedVariables.append(saved)
        runtime.noteSave(saved, in: self)
    }

    /// Runs the node: unpacks every saved variable in declaration order (raising on a stale or
    /// freed one), then applies its derivative formula.
    func apply(_ grads: [Tensor?]) throws -> [Tensor?] {
        var saved = [Tensor?]()
        for variable in savedVariables {
            do {
                saved.append(try variable.unpack(for: self))
            } catch let error as AutogradError {
                throw BackwardFailure(node: self, slot: variable.slot, error: error)
            }
        }
        guard let formula else { return [] }
        return try formula(BackwardInputs(grads: grads, saved: saved, node: self))
    }
}

/// A node failed to unpack a saved variable during backward.
struct BackwardFailure: Error, @unchecked Sendable {
    let node: Node
    let slot: String?
    let error: AutogradError
}
