/// One saved variable (`grad_fn._saved_<slot>`) seen from a point on the tape.
public struct SavedValue: Hashable, Sendable {
    /// Whether unpacking the saved variable at that point would succeed.
    public enum Status: Hashable, Sendable {
        /// The counter still reads the saved version.
        case fresh
        /// An in-place write moved the counter since the save: unpacking raises the version error.
        case stale
        /// Backward call `byBackward` ran the node without `retain_graph` and freed it: unpacking
        /// raises "Trying to backward through the graph a second time".
        case freed(byBackward: Int)
    }

    /// The node that saved it.
    public var node: Int
    /// The slot name in `Functions.h` order (`self`, `other`, `result`...).
    public var slot: String
    public var tensor: Int
    /// `saved_version`: the counter's value at save time.
    public var savedVersion: Int
    /// The counter's value at the point of view.
    public var currentVersion: Int
    /// Whether the node saved its own output (`result`) rather than an input.
    public var isOutput: Bool
    public var outputNr: Int
    public var status: Status
    /// The position of the `save` event on the tape.
    public var event: Int

    public init(
        node: Int, slot: String, tensor: Int, savedVersion: Int, currentVersion: Int,
        isOutput: Bool, outputNr: Int, status: Status, event: Int
    ) {
        self.node = node
        self.slot = slot
        self.tensor = tensor
        self.savedVersion = savedVersion
        self.currentVersion = currentVersion
        self.isOutput = isOutput
        self.outputNr = outputNr
        self.status = status
        self.event = event
    }

    /// `save` as unpacked while its counter still reads the saved version and its node was not
    /// freed, with its slot's name.
    init(fresh save: TapeIndex.Save, slot: String) {
        self.init(
            node: save.node, slot: slot, tensor: save.tensor, savedVersion: save.savedVersion,
            currentVersion: save.savedVersion, isOutput: save.isOutput, outputNr: save.outputNr, status: .fresh,
            event: save.event)
    }
}
