import Tape

/// The grad_fn graph the engine walks: each node's `sequence_nr` and `next_functions`, kept in
/// flat arrays (one for every node's edges) so that indexing a million nodes allocates no array
/// per node and the replay reads the edges without decoding the node events again.
struct NodeGraph: Sendable {
    /// An edge in 16 bytes instead of an `Edge?`'s 24: node ids fit in 4 (`TapeIndex` checks the
    /// tape's size), -1 for an input that needs no gradient.
    private struct StoredEdge: Sendable {
        var node: Int32
        var inputNr: Int

        init(_ edge: Edge?) {
            node = edge.map { Int32(truncatingIfNeeded: $0.node) } ?? -1
            inputNr = edge?.inputNr ?? 0
        }

        var edge: Edge? { node < 0 ? nil : Edge(node: Int(node), inputNr: inputNr) }
    }

    private(set) var sequenceNrs: [UInt64] = []
    /// Node `i`'s edges are `edges[edgeStarts[i]..<edgeStarts[i + 1]]`.
    private var edgeStarts: [Int] = [0]
    private var edges: [StoredEdge] = []

    init() {}

    /// The graph of `records`, whose ids are their positions.
    init(_ records: [NodeRecord]) {
        for record in records { add(sequenceNr: record.sequenceNr, next: record.next[...]) }
    }

    var count: Int { sequenceNrs.count }

    mutating func reserveCapacity(nodes: Int) {
        sequenceNrs.reserveCapacity(nodes)
        edgeStarts.reserveCapacity(nodes + 1)
        edges.reserveCapacity(nodes * 2)
    }

    /// Adds the next node, with its `next_functions`.
    mutating func add(sequenceNr: UInt64, next: ArraySlice<Edge?>) {
        edges.append(contentsOf: next.map(StoredEdge.init))
        closeNode(sequenceNr: sequenceNr)
    }

    /// Appends one of the next node's `next_functions` (the indexer adds them as it reads them);
    /// `closeNode` then adds the node.
    mutating func append(edge: Edge?) {
        edges.append(StoredEdge(edge))
    }

    /// Adds the next node, whose `next_functions` are the edges appended since the previous one.
    mutating func closeNode(sequenceNr: UInt64) {
        sequenceNrs.append(sequenceNr)
        edgeStarts.append(edges.count)
    }

    /// Calls `body` with each of node `node`'s `next_functions` that is not nil, in order, without
    /// slicing `edges` (a slice retains the array; the replay walks every edge twice).
    @inline(__always)
    func forEachEdge(of node: Int, _ body: (Edge) -> Void) {
        for i in edgeStarts[node]..<edgeStarts[node + 1] {
            let stored = edges[i]
            if stored.node >= 0 { body(Edge(node: Int(stored.node), inputNr: stored.inputNr)) }
        }
    }

    /// Node `node`'s `next_functions`, nil where an input needs no gradient.
    func next(of node: Int) -> [Edge?] {
        edges[edgeStarts[node]..<edgeStarts[node + 1]].map(\.edge)
    }
}
