import Tape

/// PyTorch's engine order over a recorded graph, computing nothing: count each node's incoming
/// edges from the roots, then repeatedly run the ready node with the highest `sequence_nr` and
/// release the nodes whose last dependency it delivered.
///
/// With one root the root node is queued first; with several, a `GraphRoot` (not on the tape)
/// runs first and delivers to each root edge in order.
struct BackwardSimulation: Hashable, Sendable {
    /// Incoming edges not yet delivered, per node reachable from the roots.
    private(set) var dependencies: [Int: Int] = [:]
    private(set) var queue = ReadyQueue()

    init(roots: [Edge], nodes: [NodeRecord]) {
        var seen = Set(roots.map(\.node))
        var stack = Array(seen)
        if roots.count > 1 {
            for root in roots { dependencies[root.node, default: 0] += 1 }
        }
        while let node = stack.popLast() {
            for edge in nodes[node].next.compactMap({ $0 }) {
                dependencies[edge.node, default: 0] += 1
                if seen.insert(edge.node).inserted { stack.append(edge.node) }
            }
        }
        if roots.count == 1 {
            push(roots[0].node, nodes: nodes)
        } else {
            deliver(to: roots.map(\.node), nodes: nodes)
        }
    }

    /// The next node the engine runs, nil when the backward pass is done.
    mutating func next() -> Int? {
        queue.pop()?.node
    }

    /// `node` ran: pass a gradient along each of its `next_functions`.
    mutating func finish(_ node: Int, nodes: [NodeRecord]) {
        deliver(to: nodes[node].next.compactMap { $0?.node }, nodes: nodes)
    }

    private mutating func deliver(to targets: [Int], nodes: [NodeRecord]) {
        for target in targets {
            let remaining = (dependencies[target] ?? 1) - 1
            dependencies[target] = remaining
            if remaining == 0 { push(target, nodes: nodes) }
        }
    }

    private mutating func push(_ node: Int, nodes: [NodeRecord]) {
        queue.push(ReadyQueue.Task(node: node, sequenceNr: nodes[node].sequenceNr))
    }
}
