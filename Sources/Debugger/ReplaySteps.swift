/// The nodes a replayed backward call ran, in the engine's order, kept as node ids only: a step's
/// name and saved variables are read from the index when asked.
///
/// A replay stops at the first node with a saved variable it cannot unpack, so every step but the
/// failing last one unpacked all its saved variables fresh: their values follow from the save
/// alone (the counter still reads the saved version), and only the failing step's are stored.
/// A call that runs a million nodes keeps one integer per node instead of a `[SavedValue]` array
/// and a name per node (issue 9).
public struct ReplaySteps: RandomAccessCollection, Hashable, Sendable {
    let indexReference: IndexReference
    /// The node each step ran.
    let nodes: [Int]
    /// The last step's saved variables as unpacked, when one of them was not fresh.
    let failingSaved: [SavedValue]?

    init(index: IndexReference, nodes: [Int], failingSaved: [SavedValue]?) {
        indexReference = index
        self.nodes = nodes
        self.failingSaved = failingSaved
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { nodes.count }

    public subscript(position: Int) -> ReplayStep {
        let saved = position == nodes.count - 1 ? failingSaved : nil
        return ReplayStep(index: indexReference, node: nodes[position], unpacked: saved)
    }

    /// Calls `body` with each step's node and, for a failing last step, its saved variables as
    /// unpacked (nil for a step that unpacked them all fresh), without making a `ReplayStep`
    /// per node.
    func forEachStep(_ body: (_ node: Int, _ unpacked: [SavedValue]?) -> Void) {
        for (number, node) in nodes.enumerated() {
            body(node, number == nodes.count - 1 ? failingSaved : nil)
        }
    }

    public static func == (lhs: ReplaySteps, rhs: ReplaySteps) -> Bool {
        lhs.elementsEqual(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(nodes)
    }
}
