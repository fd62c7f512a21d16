/// A `node` event as a whole-tape scan reads it (`TapeVisitor.visitNode`): its id, grad_fn name
/// (an interned id, `Tape.internedString(_:)`), sequence_nr, the op that created it, the leaf of
/// an AccumulateGrad and its `next_functions`, decoded as they are walked. Valid only during the
/// call that receives it.
public struct ScannedNode {
    public let id: Int
    public let name: Int?
    public let sequenceNr: UInt64
    public let op: Int?
    public let variable: Int?
    /// `next`, nil where an input needs no gradient; by its last copy.
    public let edges: StoredEdges

    @inlinable
    init(id: Int, name: Int?, sequenceNr: UInt64, op: Int?, variable: Int?, edges: StoredEdges) {
        self.id = id
        self.name = name
        self.sequenceNr = sequenceNr
        self.op = op
        self.variable = variable
        self.edges = edges
    }
}
