import Tape
import TorchRules

/// PyTorch's engine order over a recorded graph, computing nothing: count each node's incoming
/// edges from the roots, then repeatedly run the ready node with the highest `sequence_nr` and
/// release the nodes whose last dependency it delivered.
///
/// With one root the root node is queued first; with several, a `GraphRoot` (not on the tape)
/// runs first and delivers to each root edge in order.
struct BackwardSimulation: Hashable, Sendable {
    /// Incoming edges not yet delivered, per node reachable from the roots (a dictionary: a
    /// training loop replays thousands of small graphs out of a large tape).
    private var pending: [Int: Int] = [:]
    private(set) var queue = ReadyQueue<Int>()

    init(roots: [Edge], nodes: [NodeRecord]) {
        var seen = Set(roots.map(\.node))
        var stack = Array(seen)
        if roots.count > 1 {
            for root in roots { pending[root.node, default: 0] += 1 }
        }
        while let node = stack.popLast() {
            for case let edge? in nodes[node].next {
                pending[edge.node, default: 0] += 1
                if seen.insert(edge.node).inserted { stack.append(edge.node) }
            }
        }
        if roots.count == 1 {
            push(roots[0].node, nodes: nodes)
        } else {
            deliver(to: roots.map(\.node), nodes: nodes)
        }
    }

    /// The nodes still waiting for gradients, with how many they wait for.
    var waiting: [Int: Int] { pending.filter { $0.value > 0 } }

    /// The next node the engine runs, nil when the backward pass is done.
    mutating func next() -> Int? {
        queue.pop()
    }

    /// `node` ran: pass a gradient along each of its `next_functions`.
    mutating func finish(_ node: Int, nodes: [NodeRecord]) {
        for case let edge? in nodes[node].next { deliver(to: edge.node, nodes: nodes) }
    }

    private mutating func deliver(to targets: [Int], nodes: [NodeRecord]) {
        for target in targets { deliver(to: target, nodes: nodes) }
    }

    private mutating func deliver(to target: Int, nodes: [NodeRecord]) {
        let remaining = (pending[target] ?? 1) - 1
        pending[target] = remaining
        if remaining == 0 { push(target, nodes: nodes) }
    }

    private mutating func push(_ node: Int, nodes: [NodeRecord]) {
        queue.push(node, sequenceNr: nodes[node].sequenceNr)
    }
}
