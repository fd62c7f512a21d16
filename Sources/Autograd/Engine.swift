import Tape

/// PyTorch's backward engine (torch/csrc/autograd/engine.cpp) on one thread.
///
/// It counts dependencies from the root, then repeatedly runs the ready node with the highest
/// `sequence_nr` (AccumulateGrad, `UInt64.max`, first), summing gradients per node input. Each
/// node unpacks all its saved variables first; nodes run before a failure keep their effects.
struct Engine {
    let runtime: Runtime
    let backwardID: Int
    let retainGraph: Bool

    /// A node waiting in the ready queue; ties (several AccumulateGrads) run in arrival order.
    private struct Task {
        let node: Node
        let arrival: Int

        func runsBefore(_ other: Task) -> Bool {
            node.sequenceNr != other.node.sequenceNr ? node.sequenceNr > other.node.sequenceNr : arrival < other.arrival
        }
    }

    /// A binary max-heap of tasks ordered by `runsBefore` (`ReadyQueue` in engine.h).
    private struct ReadyQueue {
        private var heap: [Task] = []

        mutating func push(_ task: Task) {
            heap.append(task)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].runsBefore(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Task? {
            guard !heap.isEmpty else { return nil }
            heap.swapAt(0, heap.count - 1)
            let top = heap.removeLast()
            var parent = 0
            while true {
                let (left, right) = (2 * parent + 1, 2 * parent + 2)
                var first = parent
                if left < heap.count && heap[left].runsBefore(heap[first]) { first = left }
                if right < heap.count && heap[right].runsBefore(heap[first]) { first = right }
                if first == parent { break }
                heap.swapAt(parent, first)
                parent = first
            }
            return top
        }
    }

    func execute(root: Node, rootGrads: [Tensor?]) throws {
        var dependencies = [ObjectIdentifier: Int]()
        var stack = [root]
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        while let node = stack.popLast() {
            for edge in node.nextEdges.compactMap({ $0 }) {
                let id = ObjectIdentifier(edge.node)
                dependencies[id, default: 0] += 1
                if seen.insert(id).inserted { stack.append(edge.node) }
            }
        }
        var buffers = [ObjectIdentifier: [Tensor?]]()
        buffers[ObjectIdentifier(root)] = rootGrads
        var ready = ReadyQueue()
        ready.push(Task(node: root, arrival: 0))
        var arrivals = 1
        while let task = ready.pop() {
            let node = task.node
            let inputs = buffers.removeValue(forKey: ObjectIdentifier(node)) ?? []
            let outputs = try run(node, inputs: inputs)
            for (i, edge) in node.nextEdges.enumerated() {
                guard let edge else { continue }
                let id = ObjectIdentifier(edge.node)
                var buffer = buffers[id] ?? [Tensor?](repeating: nil, count: edge.node.inputMetadata.count)
                if i < outputs.count, let grad = outputs[i] {
                    buffer[edge.inputNr] = buffer[edge.inputNr].map { Kernel.add($0, grad) } ?? grad
                }
                buffers[id] = buffer
                dependencies[id, default: 1] -= 1
                if dependencies[id] == 0 {
                    ready.push(Task(node: edge.node, arrival: arrivals))
                    arrivals += 1
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

extension Runtime {
    /// `torch.autograd.backward(tensors, grad_tensors, retain_graph)`.
    ///
    /// Missing gradients are implicit ones for single-element outputs. Raises PyTorch's errors for
    /// non-scalar outputs, wrong gradient shapes, roots that do not require grad, and any failure
    /// inside the graph (a stale or freed saved tensor), after recording how far backward got.
    public func backward(_ tensors: [Tensor], gradTensors: [Tensor?] = [], retainGraph: Bool = false) throws {
        var grads = [Tensor?]()
        for (i, out) in tensors.enumerated() {
            if i < gradTensors.count, let grad = gradTensors[i] {
                guard grad.shape == out.shape else {
                    throw AutogradError.runtimeError(
                        "Mismatch in shape: grad_output[\(i)] has a shape of \(Messages.torchSize(grad.shape)) and output[\(i)] has a shape of \(Messages.torchSize(out.shape)).")
                }
                grads.append(grad)
            } else if out.requiresGrad {
                guard out.numel == 1 else { throw AutogradError.runtimeError(Messages.implicitScalar) }
                grads.append(Kernel.full(out, shape: out.shape, value: 1, dtype: out.dtype))
            } else {
                grads.append(nil)
            }
        }
        var edges = [GradientEdge]()
        for out in tensors { try out.checkViewHistory() }
        for (i, out) in tensors.enumerated() {
            guard let edge = out.gradientEdge() else {
                throw AutogradError.runtimeError("element \(i) of tensors does not require grad and does not have a grad_fn")
            }
            edges.append(edge)
        }
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
        do {
            try withGradMode(false) {
                try Engine(runtime: self, backwardID: id, retainGraph: retainGraph).execute(root: root, rootGrads: rootGrads)
            }
        } catch let failure as BackwardFailure {
            recorder.record(.backwardEnd(BackwardEnd(backward: id, failedNode: tapeID(of: failure.node), failedSlot: failure.slot,
                                                     message: failure.error.message)))
            throw failure.error
        }
        recorder.record(.backwardEnd(BackwardEnd(backward: id)))
    }
}
