/// An `op` event as a whole-tape scan reads it (`TapeVisitor.visitOp`): its index and the
/// (tensor, version) pairs of its inputs and outputs, decoded as they are walked. Valid only
/// during the call that receives it. Its name, call site and flags are decoded when asked.
public struct ScannedOp {
    public let index: Int
    /// `in`, by its last copy when the line repeats the key.
    public let inputs: StoredTensorVersions
    /// `out`, by its last copy.
    public let outputs: StoredTensorVersions

    @inlinable
    init(index: Int, inputs: StoredTensorVersions, outputs: StoredTensorVersions) {
        self.index = index
        self.inputs = inputs
        self.outputs = outputs
    }
}
