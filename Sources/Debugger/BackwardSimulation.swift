import Tape
import TorchRules

/// PyTorch's engine order over a recorded graph, computing nothing: count each node's incoming
/// edges from the roots, then repeatedly run the ready node with the highest `sequence_nr` and
/// release the nodes whose last dependency it delivered.
///
/// With one root the root node is queued first; with several, a `GraphRoot` (not on the tape)
/// runs first and delivers to each root edge in order.
///
/// The counts live in one dense array over every node of the tape, made once and reused call
/// after call (`start` clears only the nodes the previous call reached): a training loop replays
/// thousands of small graphs out of a large tape, and a single call may reach a million nodes,
/// where a dictionary lookup per edge was the replay's largest cost. The discovery stack and the
/// ready queue keep their storage from call to call too, so a call allocates nothing.
struct BackwardSimulation: Sendable {
    /// Incoming edges not yet delivered, by node id; meaningful for the nodes in `reached`, zero
    /// for every other node.
    private var pending: [Int32]
    /// The nodes the current call reached from its roots, in discovery order.
    private var reached: [Int] = []
    /// The nodes reached whose edges are not walked yet (empty between calls).
    private var stack: [Int] = []
    private var queue = ReadyQueue<Int>()

    /// A simulation over a graph of `nodeCount` nodes, before any call starts.
    init(nodeCount: Int) {
        pending = [Int32](repeating: 0, count: nodeCount)
    }

    /// Starts a new call from `roots`, forgetting what is left of the previous one.
    mutating func start(roots: [Edge], graph: NodeGraph) {
        for node in reached { pending[node] = 0 }
        reached.removeAll(keepingCapacity: true)
        queue.removeAll()
        // A node is reached once its count is non-zero. Edges only point to older nodes, so a
        // single root is never the target of an edge and is reached with a count of zero.
        if roots.count == 1 {
            reached.append(roots[0].node)
        } else {
            for root in roots {
                if pending[root.node] == 0 { reached.append(root.node) }
                pending[root.node] += 1
            }
        }
        stack.append(contentsOf: reached)
        while let node = stack.popLast() {
            graph.forEachEdge(of: node) { edge in
                if pending[edge.node] == 0 {
                    reached.append(edge.node)
                    stack.append(edge.node)
                }
                pending[edge.node] += 1
            }
        }
        if roots.count == 1 {
            push(roots[0].node, graph: graph)
        } else {
            for root in roots { deliver(to: root.node, graph: graph) }
        }
    }

    /// The next node the engine runs, nil when the backward pass is done.
    mutating func next() -> Int? {
        queue.pop()
    }

    /// `node` ran: pass a gradient along each of its `next_functions`.
    mutating func finish(_ node: Int, graph: NodeGraph) {
        graph.forEachEdge(of: node) { edge in deliver(to: edge.node, graph: graph) }
    }

    private mutating func deliver(to target: Int, graph: NodeGraph) {
        pending[target] -= 1
        if pending[target] == 0 { push(target, graph: graph) }
    }

    private mutating func push(_ node: Int, graph: NodeGraph) {
        queue.push(node, sequenceNr: graph.sequenceNrs[node])
    }
}
