import Tape

/// The grad_fn graph at one point of a run, as data for a picture (`tapedeck graph`): like
/// torchviz's `show_saved`, but every saved slot carries its saved and current version, and the
/// stale slot, the failing node and the in-place op to blame are marked.
///
/// The point is the first autograd error when the run raised one (its backward call's graph, as it
/// stood when the error was raised), else the end of the run (the last backward call's graph, or
/// every graph output when the run never called backward).
public struct GraphPicture: Hashable, Sendable {
    /// One grad_fn node with what a reader needs to find it in the program.
    public struct Node: Hashable, Sendable {
        public var id: Int
        /// `grad_fn.name()`.
        public var name: String
        public var sequenceNr: UInt64
        /// Where the forward op that created the node ran, and its Python spelling, when known.
        public var site: CallSite?
        public var call: String?
        /// For `AccumulateGrad`, the program's name for the leaf it accumulates into.
        public var variable: String?
        /// Saved variables in unpack order, each with the program's name for the tensor.
        public var saved: [Slot]
        /// The node whose saved variable failed to unpack.
        public var isFailing: Bool
        /// The node the in-place op to blame created.
        public var isCulprit: Bool
    }

    /// A saved slot and the program's name for the tensor it holds.
    public struct Slot: Hashable, Sendable {
        public var value: SavedValue
        public var tensorName: String
        /// The slot whose unpack raised the error being pictured.
        public var isFailing: Bool
    }

    /// An entry of `next_functions`: the gradient flows from `from` to `to`'s input `inputNr`.
    public struct Edge: Hashable, Sendable {
        public var from: Int
        public var to: Int
        public var inputNr: Int
    }

    /// What the picture shows, as a title.
    public var title: String
    /// The tape position pictured.
    public var position: Int
    /// Reachable nodes, roots first, in breadth-first order.
    public var nodes: [Node]
    public var edges: [Edge]
    /// The in-place op to blame, drawn as its own box when it created no node in the picture.
    public var culprit: Diagnosis.Culprit?
    /// The node whose saved slot the culprit invalidated (the failing node).
    public var culpritTarget: Int?

    /// Whether the culprit is drawn as a node of the graph rather than as a box of its own.
    public var culpritIsNode: Bool { nodes.contains { $0.isCulprit } }
}

extension Debugger {
    /// The picture at the first autograd error, or at the end of the run.
    public func picture() -> GraphPicture {
        let failure = explain().diagnoses.first { $0.severity == .error }
        let position = failure?.event ?? eventCount
        let backward = failure?.backward ?? (index.backwardCount(before: position) > 0 ? index.backwardCount(before: position) - 1 : nil)
        let roots = backward.map { replays[$0].call.roots.map(\.node) } ?? outputNodes(before: position)
        let culpritOp = failure?.culprit?.op
        var nodes: [GraphPicture.Node] = []
        var edges: [GraphPicture.Edge] = []
        var seen = Set(roots)
        var queue = roots
        var head = 0
        while head < queue.count {
            let id = queue[head]
            head += 1
            let record = index.node(id)
            nodes.append(pictureNode(record, at: position, failure: failure, culpritOp: culpritOp))
            for next in record.next.compactMap({ $0 }) where index.nodes[next.node].event < position {
                edges.append(GraphPicture.Edge(from: id, to: next.node, inputNr: next.inputNr))
                if seen.insert(next.node).inserted { queue.append(next.node) }
            }
        }
        let title = failure.map { "\(tape.header.path):\($0.site.line): \($0.kind.summary)" }
            ?? "\(tape.header.path): graph at the end of the run"
        return GraphPicture(
            title: title, position: position, nodes: nodes, edges: edges, culprit: failure?.culprit,
            culpritTarget: failure?.node?.id)
    }

    private func pictureNode(_ record: NodeRecord, at position: Int, failure: Diagnosis?, culpritOp: Int?) -> GraphPicture.Node {
        let op = record.op.map { index.op($0) }
        let isFailing = failure?.node?.id == record.id
        let slots = savedValues(ofNode: record.id, at: position).map { value in
            GraphPicture.Slot(
                value: value, tensorName: label(of: value.tensor, at: position),
                isFailing: isFailing && failure?.saved?.event == value.event)
        }
        return GraphPicture.Node(
            id: record.id, name: record.name, sequenceNr: record.sequenceNr, site: op?.site, call: op?.call,
            variable: record.variable.map { label(of: $0, at: position) }, saved: slots, isFailing: isFailing,
            isCulprit: culpritOp != nil && record.op == culpritOp)
    }

    /// The nodes created before `position` that no other node leads to: the grad_fns of the
    /// graph's outputs.
    private func outputNodes(before position: Int) -> [Int] {
        let created = index.nodes.indices.filter { index.nodes[$0].event < position }
        var reached = Set<Int>()
        for id in created {
            for case let next? in index.graph.next(of: id) { reached.insert(next.node) }
        }
        return created.filter { !reached.contains($0) }
    }
}
