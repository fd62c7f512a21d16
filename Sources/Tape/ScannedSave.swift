/// A `save` event as a whole-tape scan reads it (`TapeVisitor.visitSave`): the node that saved,
/// the slot's name (an interned id), the tensor, its saved_version, whether it is an output of
/// the node and which; its shape is decoded when asked.
public struct ScannedSave: Hashable, Sendable {
    public let node: Int
    public let slot: Int?
    public let tensor: Int
    public let savedVersion: Int
    public let isOutput: Bool
    public let outputNr: Int

    @inlinable
    init(node: Int, slot: Int?, tensor: Int, savedVersion: Int, isOutput: Bool, outputNr: Int) {
        self.node = node
        self.slot = slot
        self.tensor = tensor
        self.savedVersion = savedVersion
        self.isOutput = isOutput
        self.outputNr = outputNr
    }
}
