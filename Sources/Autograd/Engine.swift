import Tape
import TorchRules

/// PyTorch's backward engine (torch/csrc/autograd/engine.cpp) on one thread.
///
/// It counts dependencies from the root, then repeatedly runs the ready node with the highest
/// `sequence_nr` (AccumulateGrad, `UInt64.max`, first), summing gradients per node input. Each
/// node unpacks all its saved variables first; nodes run before a failure keep their effects.
struct Engine {
    let runtime: Runtime
    let backwardID: Int
    let retainGraph: Bool
    /// For `torch.autograd.grad`: the input edges whose gradients are captured instead of
    /// accumulated. Only nodes on a path to one of them run (the rest of the graph is pruned).
    var captures: [GradientEdge] = []
    /// For `backward(inputs=)`: the leaves' AccumulateGrad nodes, the only ones that run at the
    /// end of the pruned graph.
    var targets: [Node] = []

    /// Runs the graph from `root`; returns the captured gradients (one per capture edge).
    @discardableResult
    func execute(root: Node, rootGrads: [Tensor?]) throws -> [Tensor?] {
        var dependencies = [ObjectIdentifier: Int]()
        var order = [root]
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var index = 0
        while index < order.count {
            for edge in order[index].nextEdges.compactMap({ $0 }) {
                let id = ObjectIdentifier(edge.node)
                dependencies[id, default: 0] += 1
                if seen.insert(id).inserted { order.append(edge.node) }
            }
            index += 1
        }
        let plan = captures.isEmpty && targets.isEmpty ? nil : ExecutionPlan(captures: captures, targets: targets, reachable: order)
        var captured = [Tensor?](repeating: nil, count: captures.count)
        var buffers = [ObjectIdentifier: [Tensor?]]()
        buffers[ObjectIdentifier(root)] = rootGrads
        var ready = ReadyQueue<Node>()
        ready.push(root, sequenceNr: root.sequenceNr)
        while let node = ready.pop() {
            let id = ObjectIdentifier(node)
            let inputs = buffers.removeValue(forKey: id) ?? []
            if let plan {
                for (inputNr, slot) in plan.captured[id] ?? [] where inputNr < inputs.count { captured[slot] = inputs[inputNr] }
                guard plan.needed.contains(id) else { continue }
            }
            let outputs = try run(node, inputs: inputs)
            for (i, edge) in node.nextEdges.enumerated() {
                guard let edge else { continue }
                let next = ObjectIdentifier(edge.node)
                if let plan, !plan.needed.contains(next) && plan.captured[next] == nil { continue }
                var buffer = buffers[next] ?? [Tensor?](repeating: nil, count: edge.node.inputMetadata.count)
                if i < outputs.count, let grad = outputs[i] {
                    buffer[edge.inputNr] = buffer[edge.inputNr].map { Kernel.add($0, grad) } ?? grad
                }
                buffers[next] = buffer
                dependencies[next, default: 1] -= 1
                if dependencies[next] == 0 {
                    ready.push(edge.node, sequenceNr: edge.node.sequenceNr)
                }
            }
        }
        return captured
    }

    /// Which nodes `autograd.grad` runs (`init_to_execute`): those with a path to a captured
    /// edge. Captured nodes that lead nowhere further only hand over their input gradient.
    private struct ExecutionPlan {
        var needed = Set<ObjectIdentifier>()
        var captured = [ObjectIdentifier: [(inputNr: Int, slot: Int)]]()

        init(captures: [GradientEdge], targets: [Node], reachable: [Node]) {
            needed = Set(targets.map(ObjectIdentifier.init))
            for (slot, edge) in captures.enumerated() {
                captured[ObjectIdentifier(edge.node), default: []].append((edge.inputNr, slot))
            }
            var changed = true
            while changed {
                changed = false
                for node in reachable.reversed() where !needed.contains(ObjectIdentifier(node)) {
                    let leadsToCapture = node.nextEdges.contains { edge in
                        guard let edge else { return false }
                        let next = ObjectIdentifier(edge.node)
                        return needed.contains(next) || captured[next] != nil
                    }
                    if leadsToCapture {
                        needed.insert(ObjectIdentifier(node))
                        changed = true
                    }
                }
            }
        }
    }

    /// Runs one node: retained grads, apply (or accumulate), output validation, release.
    private func run(_ node: Node, inputs: [Tensor?]) throws -> [Tensor?] {
        let recorder = runtime.recorder
        let nodeID = runtime.tapeID(of: node)
        recorder.record(.nodeRun(NodeRun(backward: backwardID, node: nodeID, incoming: inputs.map { $0.map(preview) })))
        for (tensor, outputNr) in node.retainedGradTensors() where outputNr < inputs.count {
            if let grad = inputs[outputNr] { tensor.retainGradValue(grad) }
        }
        var outputs: [Tensor?]
        if let variable = node.variable {
            if let grad = inputs.first ?? nil { variable.accumulateGrad(grad) }
            outputs = []
        } else {
            do {
                outputs = inputs.contains(where: { $0 != nil }) ? try node.apply(inputs) : node.nextEdges.map { _ in nil }
            } catch let failure as BackwardFailure {
                throw failure
            } catch let error as AutogradError {
                throw BackwardFailure(node: node, slot: nil, error: error)
            }
            try validate(&outputs, of: node)
        }
        if !retainGraph && node.hasSavedVariables {
            node.releaseVariables()
            recorder.record(.release(node: nodeID))
        }
        if runtime.isAnomalyDetectionEnabled && runtime.anomalyChecksNaN,
           let i = outputs.firstIndex(where: { $0?.contiguousValues().contains(where: \.isNaN) ?? false }) {
            throw BackwardFailure(node: node, slot: nil, error: .runtimeError(
                "Function '\(node.name)' returned nan values in its \(i)th output."))
        }
        recorder.record(.nodeResult(NodeResult(backward: backwardID, node: nodeID, outgoing: node.nextEdges.indices.map { i in
            i < outputs.count && node.nextEdges[i] != nil ? outputs[i].map(preview) : nil
        })))
        return outputs
    }

    /// `validate_outputs`: reduces broadcast gradients, casts dtypes, rejects wrong shapes.
    private func validate(_ outputs: inout [Tensor?], of node: Node) throws {
        for (i, edge) in node.nextEdges.enumerated() {
            guard let edge, i < outputs.count, let grad = outputs[i] else { continue }
            let metadata = edge.node.inputMetadata[edge.inputNr]
            var fixed = grad
            if grad.shape != metadata.shape {
                guard Kernel.isExpandable(metadata.shape, to: grad.shape) else {
                    throw BackwardFailure(node: node, slot: nil, error: .runtimeError(
                        "Function \(node.name) returned an invalid gradient at index \(i) - got \(Messages.sizes(grad.shape)) but expected shape compatible with \(Messages.sizes(metadata.shape))"))
                }
                fixed = Kernel.sumTo(grad, shape: metadata.shape)
            }
            if fixed.dtype != metadata.dtype { fixed = Kernel.cast(fixed, to: metadata.dtype) }
            outputs[i] = fixed
        }
    }

    private func preview(_ grad: Tensor) -> TensorValues {
        TensorValues(tensor: -1, shape: grad.shape, values: Array(grad.contiguousValues().prefix(TensorValues.previewLimit)))
    }
}
