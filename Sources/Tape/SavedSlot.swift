/// A tensor a grad_fn node saved for backward (a `SavedVariable`), with its `saved_version`.
public struct SavedSlot: Hashable, Sendable {
    public var node: Int
    /// The slot's name in `Functions.h` (`self`, `other`, `result`, `mat2`...), the same as `grad_fn._saved_<slot>`.
    public var slot: String
    public var tensor: Int
    /// The counter's value when the tensor was saved; unpacking checks the current value against it.
    public var savedVersion: Int
    /// Whether the node saved one of its own outputs (`result`): errors then name the saving node.
    public var isOutput: Bool
    /// The output index when `isOutput`.
    public var outputNr: Int
    /// The shape when saved (messages show it for saved outputs).
    public var shape: [Int]

    public init(node: Int, slot: String, tensor: Int, savedVersion: Int, isOutput: Bool, outputNr: Int = 0, shape: [Int]) {
        self.node = node
        self.slot = slot
        self.tensor = tensor
        self.savedVersion = savedVersion
        self.isOutput = isOutput
        self.outputNr = outputNr
        self.shape = shape
    }
}
