import Tape
import TorchRules

extension Runtime {
    /// `torch.autograd.backward(tensors, grad_tensors, retain_graph, inputs)`.
    ///
    /// Missing gradients are implicit ones for single-element outputs. Raises PyTorch's errors for
    /// non-scalar outputs, wrong gradient shapes, roots that do not require grad, and any failure
    /// inside the graph (a stale or freed saved tensor), after recording how far backward got.
    /// With `inputs`, only the graph leading to them runs and only their `.grad` changes.
    public func backward(_ tensors: [Tensor], gradTensors: [Tensor?] = [], retainGraph: Bool = false,
                         inputs: [Tensor]? = nil) throws {
        let grads = try makeGrads(tensors, gradTensors)
        let edges = try rootEdges(tensors)
        guard let inputs else {
            _ = try runEngine(edges: edges, grads: grads, retainGraph: retainGraph, captures: [], targets: [])
            return
        }
        let leaves = inputs.filter { $0.gradFn == nil }
        let others = inputs.filter { $0.gradFn != nil }
        if leaves.contains(where: { !$0.requiresGradFlag }) {
            throw AutogradError.runtimeError("One of the differentiated Tensors does not require grad")
        }
        let captured = try runEngine(edges: edges, grads: grads, retainGraph: retainGraph,
                                     captures: try inputEdges(others), targets: leaves.map { $0.accumulateGradNode() })
        for (tensor, grad) in zip(others, captured) {
            if let grad { tensor.retainGradValue(grad) }
        }
    }

    /// `torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, allow_unused)`: the
    /// gradients of `outputs` with respect to `inputs`, without touching any `.grad`. Only the
    /// part of the graph that leads to `inputs` runs, so stale tensors saved elsewhere go unnoticed.
    public func grad(_ outputs: [Tensor], inputs: [Tensor], gradOutputs: [Tensor?] = [], retainGraph: Bool = false,
                     allowUnused: Bool = false) throws -> [Tensor?] {
        let grads = try makeGrads(outputs, gradOutputs)
        let edges = try rootEdges(outputs)
        let result = try runEngine(edges: edges, grads: grads, retainGraph: retainGraph, captures: try inputEdges(inputs),
                                   targets: [])
        if !allowUnused, let unused = result.firstIndex(where: { $0 == nil }) {
            throw AutogradError.runtimeError(
                "The differentiated Tensor at index \(unused) appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.")
        }
        return result
    }

    /// The gradient edge of each differentiated input (its grad_fn, or its leaf's AccumulateGrad).
    private func inputEdges(_ inputs: [Tensor]) throws -> [GradientEdge] {
        try inputs.map { input in
            guard let edge = input.gradientEdge() else {
                throw AutogradError.runtimeError("One of the differentiated Tensors does not require grad")
            }
            return edge
        }
    }

    /// `_make_grads`: given gradients are shape-checked; missing ones are ones for a one-element output.
    private func makeGrads(_ tensors: [Tensor], _ given: [Tensor?]) throws -> [Tensor?] {
        var grads = [Tensor?]()
        for (i, out) in tensors.enumerated() {
            if i < given.count, let grad = given[i] {
                guard grad.shape == out.shape else {
                    throw AutogradError.runtimeError(
                        "Mismatch in shape: grad_output[\(i)] has a shape of \(Messages.torchSize(grad.shape)) and output[\(i)] has a shape of \(Messages.torchSize(out.shape)).")
                }
                grads.append(grad)
            } else if out.requiresGrad {
                guard out.numel == 1 else { throw AutogradError.runtimeError(AutogradMessage.nonScalarBackward) }
                grads.append(Kernel.full(out, shape: out.shape, value: 1, dtype: out.dtype))
            } else {
                grads.append(nil)
            }
        }
        return grads
    }

    /// The gradient edge of each root, with PyTorch's error for a root outside any graph.
    private func rootEdges(_ tensors: [Tensor]) throws -> [GradientEdge] {
        for out in tensors { try out.checkViewHistory() }
        return try tensors.enumerated().map { i, out in
            guard let edge = out.gradientEdge() else {
                throw AutogradError.runtimeError("element \(i) of tensors does not require grad and does not have a grad_fn")
            }
            return edge
        }
    }

    /// Records the backward call and runs the engine from its root (a GraphRoot for several).
    private func runEngine(edges: [GradientEdge], grads: [Tensor?], retainGraph: Bool,
                           captures: [GradientEdge], targets: [Node]) throws -> [Tensor?] {
        let root: Node
        var rootGrads: [Tensor?]
        if edges.count == 1 {
            root = edges[0].node
            rootGrads = [Tensor?](repeating: nil, count: root.inputMetadata.count)
            rootGrads[edges[0].inputNr] = grads[0].map { Kernel.cast($0, to: root.inputMetadata[edges[0].inputNr].dtype) }
        } else {
            root = Node(name: "torch::autograd::GraphRoot", sequenceNr: takeSequenceNr(), nextEdges: edges,
                        inputMetadata: grads.map { TensorMetadata(shape: $0?.shape ?? [], dtype: $0?.dtype ?? .defaultFloat) },
                        formula: { $0.grads })
            rootGrads = grads
        }
        let id = recorder.newBackwardID()
        let roots = edges.map { Edge(node: tapeID(of: $0.node), inputNr: $0.inputNr) }
        recorder.record(.backward(BackwardCall(id: id, roots: roots, site: recorder.site, retainGraph: retainGraph)))
        let result: [Tensor?]
        do {
            result = try withGradMode(false) {
                try Engine(runtime: self, backwardID: id, retainGraph: retainGraph, captures: captures, targets: targets)
                    .execute(root: root, rootGrads: rootGrads)
            }
        } catch let failure as BackwardFailure {
            recorder.record(.backwardEnd(BackwardEnd(backward: id, failedNode: tapeID(of: failure.node), failedSlot: failure.slot,
                                                     message: failure.error.message)))
            throw failure.error
        }
        recorder.record(.backwardEnd(BackwardEnd(backward: id)))
        return result
    }
}
